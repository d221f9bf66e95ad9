/**
 * CPU milliseconds the gateway process spends per operation: the four subgraphs run in this
 * process, the gateway (`main.ts`, production mode) in its own, and the customer detail is sent to
 * it by a staff member at concurrency 16. The gateway's CPU comes from /proc/<pid>/stat over the
 * timed requests only (after a warm-up).
 *
 *   DATABASE_URL=postgres://… corepack pnpm bench:gateway-cpu [--requests N]
 *     [--rounds N] [--gateway DIR]... [--cpu-prof DIR]
 *
 * Each `--gateway` (a folder under gateway/ holding a main.ts, default src) runs once per round, in
 * turn, against the same subgraphs and data, so that two versions compare in one run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Kind, parse, print, type OperationDefinitionNode } from 'graphql';
import { signToken } from '@cg/auth';
import { createStore } from '@cg/customer';
import { dropDatabase, ensureDatabase, withDatabase } from '@cg/db';
import { startGraph } from '@cg/graph';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '16' },
    rounds: { type: 'string', default: '1' },
    gateway: { type: 'string', multiple: true, default: ['src'] },
    'cpu-prof': { type: 'string' },
  },
});
const REQUESTS = Number(values.requests);
const CONCURRENCY = Number(values.concurrency);
const GATEWAY_DIR = fileURLToPath(new URL('../../gateway', import.meta.url));
/** USER_HZ, the unit of /proc/<pid>/stat's times, is 100 on Linux. */
const TICKS_PER_SECOND = 100;

function detailQuery(): string {
  const document = parse(readFileSync(`${GATEWAY_DIR}/src/explorer/examples.graphql`, 'utf8'));
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && d.name?.value === 'CustomerDetail',
  );
  return print(operation!);
}

/** utime + stime of a process, in milliseconds. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

async function startGatewayProcess(dir: string, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const profile = values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', `${dir}/main.ts`], {
    cwd: GATEWAY_DIR,
    env: { ...process.env, ...env, PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /gateway at (\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`gateway exited with ${code}: ${out}`)));
  });
  return { child, url };
}

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

const adminUrl = process.env.DATABASE_URL;
if (!adminUrl) throw new Error('DATABASE_URL names the PostgreSQL server to create a database on');
process.env.AUTH_SECRET ||= randomBytes(32).toString('base64url');
process.env.ASSERTION_SECRET ||= randomBytes(32).toString('base64url');
const database = `cg_gwcpu_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
await ensureDatabase(adminUrl, database);
const databaseUrl = withDatabase(adminUrl, database);
const graph = await startGraph({ databaseUrl });
try {
  const env: NodeJS.ProcessEnv = {
    DATABASE_URL: databaseUrl,
    ...Object.fromEntries(
      Object.entries(graph.subgraphs).map(([name, s]) => [`${name.toUpperCase().replace(/-/g, '_')}_URL`, s.url]),
    ),
  };
  const ownerUserId = randomUUID();
  const store = await createStore(graph.subgraphs.customer.db.orm, { name: 'CPU', currency: 'EUR', ownerUserId });
  const token = await signToken({ kind: 'staff', userId: ownerUserId, storeId: store.id });
  const post = async (url: string, query: string, variables: Record<string, unknown>) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: any; errors?: unknown[] };
    if (body.errors?.length) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };
  const { createCustomer } = await post(
    graph.gateway.url,
    `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`,
    { input: { firstName: 'Ayse', lastName: 'Yilmaz', email: 'ayse@example.com' } },
  );
  for (let i = 0; i < 5; i++) {
    await post(graph.gateway.url, `mutation($input: RecordOrderInput!) { recordOrder(input: $input) { id } }`, {
      input: {
        customerId: createCustomer.id,
        number: `CPUORDER0${i}`,
        channel: 'WEB',
        currency: 'EUR',
        items: [{ productId: `p${i}`, name: 'Product', quantity: 1, unitPrice: 1000 + i }],
      },
    });
  }
  const query = detailQuery();
  const variables = { id: createCustomer.id };
  const load = async (url: string, count: number) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next++ < count) await post(url, query, variables);
      }),
    );
  };
  for (let round = 1; round <= Number(values.rounds); round++) {
    for (const dir of values.gateway) {
      const gateway = await startGatewayProcess(dir, env);
      try {
        await load(gateway.url, 300);
        const before = cpuMs(gateway.child.pid!);
        const start = performance.now();
        await load(gateway.url, REQUESTS);
        const seconds = (performance.now() - start) / 1000;
        const gatewayMs = cpuMs(gateway.child.pid!) - before;
        console.log(
          JSON.stringify({
            round,
            gateway: dir,
            requests: REQUESTS,
            concurrency: CONCURRENCY,
            reqPerSecond: Math.round((REQUESTS / seconds) * 10) / 10,
            gatewayCpuMsPerOp: Math.round((gatewayMs / REQUESTS) * 100) / 100,
          }),
        );
      } finally {
        await stop(gateway.child);
      }
    }
  }
} finally {
  await graph.close();
  await dropDatabase(adminUrl, database);
}
