/**
 * `pnpm tokens [--json]`: a staff, a customer and a guest token for the demo store of a running
 * `pnpm start`, signed with the same keys (`.data/keys.json`, or AUTH_SECRET/ASSERTION_SECRET when
 * the environment names them), valid 30 days. Reads the demo store from the launcher's database
 * (the same DATABASE_URL, DATABASE_NAME and EMBEDDED_PG_PORT as `pnpm start`) and its example
 * customer through the gateway (GATEWAY_URL, or PORT as `pnpm start` takes it).
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkKeys, signToken } from '@cg/auth';
import { customerSubgraph } from '@cg/customer';
import { connect, databaseUrlFor, withDatabase } from '@cg/db';
import { DEMO_STAFF, demoStore } from './demo-data.ts';
import { useLocalKeys } from './local-keys.ts';

const LIFETIME = '30d';
const root = resolve(import.meta.dirname, '../..');
const dataDir = resolve(root, process.env.DATA_DIR ?? '.data');
const gatewayUrl = process.env.GATEWAY_URL ?? `http://127.0.0.1:${process.env.PORT ?? 4000}/graphql`;
const adminUrl =
  process.env.DATABASE_URL ??
  `postgres://postgres:postgres@127.0.0.1:${process.env.EMBEDDED_PG_PORT ?? 54329}/postgres`;
const databaseUrl = withDatabase(adminUrl, process.env.DATABASE_NAME ?? 'customer_graph');

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

// Without the launcher's keys, tokens signed here would open nothing: never make new ones.
if (!process.env.AUTH_SECRET && !existsSync(join(dataDir, 'keys.json'))) {
  fail(`No keys in ${join(dataDir, 'keys.json')}: run \`pnpm start\` once first, it makes them.`);
}
useLocalKeys(dataDir);
checkKeys();

async function post<T>(token: string, query: string): Promise<T> {
  const response = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (!body.data || body.errors?.length) {
    throw new Error(`The gateway answered ${response.status}: ${body.errors?.map((e) => e.message).join('; ')}`);
  }
  return body.data;
}

const db = connect({
  url: databaseUrlFor('customer', { ...process.env, DATABASE_URL: databaseUrl }) ?? databaseUrl,
  schema: customerSubgraph.tables,
  max: 1,
  applicationName: 'tokens',
});
try {
  const store = await demoStore(gatewayUrl, db.orm).catch((error: unknown) =>
    fail(`Could not read the demo store (is \`pnpm start\` running, at ${gatewayUrl}?): ${String(error)}`),
  );
  if (!store) fail('No demo store yet: `pnpm start` loads it on its first run.');
  const staff = await signToken(
    { kind: 'staff', userId: DEMO_STAFF, storeId: store.store.id },
    { expiresIn: LIFETIME },
  );
  const { customer, guests } = await post<{
    customer: { fullName: string };
    guests: { edges: { node: { orders: { edges: { node: { number: string } }[] } } }[] };
  }>(
    staff,
    `{ customer(id: "${store.exampleCustomerId}") { fullName }
       guests(first: 1) { edges { node { orders(first: 1) { edges { node { number } } } } } } }`,
  );
  const customerToken = await signToken(
    { kind: 'customer', userId: store.exampleCustomerId, storeId: store.store.id },
    { expiresIn: LIFETIME },
  );
  // A guest is a storefront session without a signed-in customer: its subject names the session.
  const guestToken = await signToken(
    { kind: 'guest', userId: `demo-guest-${randomUUID()}`, storeId: store.store.id },
    { expiresIn: LIFETIME },
  );
  const guestOrder = guests.edges[0]?.node.orders.edges[0]?.node.number;

  if (process.argv.includes('--json')) {
    console.log(
      JSON.stringify(
        {
          gatewayUrl,
          store: store.store,
          staff: { userId: DEMO_STAFF, token: staff },
          customer: { id: store.exampleCustomerId, fullName: customer.fullName, token: customerToken },
          guest: { token: guestToken, exampleOrderNumber: guestOrder ?? null },
        },
        null,
        2,
      ),
    );
  } else {
    const curl = (token: string, query: string) =>
      `curl ${gatewayUrl} -H 'content-type: application/json' -H 'authorization: Bearer ${token}' \\\n      -d '${JSON.stringify({ query })}'`;
    console.log(`Tokens for ${store.store.name} (${store.store.id}), valid ${LIFETIME}:

  Staff (${DEMO_STAFF}, owner):  ${staff}
  Customer (${customer.fullName}, ${store.exampleCustomerId}):  ${customerToken}
  Guest (a storefront session):  ${guestToken}

  A customer reads their own profile:
    ${curl(customerToken, '{ me { fullName email orders(first: 3) { edges { node { number status } } } } }')}
${
  guestOrder
    ? `  A guest looks orders up by number:
    ${curl(guestToken, `{ guestOrders(numbers: ["${guestOrder}"]) { number status total { amount currency } } }`)}
`
    : ''
}`);
  }
} finally {
  await db.close();
}
