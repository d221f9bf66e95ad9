import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '@cg/auth';
import { eventually, startTestGraph, type TestGraph, type TestStore } from '@cg/testing';
import { rebuildDirectories } from '../events/directories.ts';

/**
 * The customer directory of commerce-history, engagement and consent (@cg/events' directory.ts,
 * @cg/subgraph's directory/directory.service.ts): writes naming a customer are accepted only for
 * a customer of the caller's store, never for an erased one, orders not for a blocked one, and a
 * customer created a moment ago is never refused while its events are on their way.
 */

let graph: TestGraph;
let store: TestStore;
let other: TestStore;

beforeAll(async () => {
  graph = await startTestGraph();
  store = await graph.createStore('Directory store', { currency: 'EUR' });
  other = await graph.createStore('Other store', { currency: 'EUR' });
});
afterAll(() => graph?.close());

const ORDER = /* GraphQL */ `
  mutation ($input: RecordOrderInput!) {
    recordOrder(input: $input) {
      id
      total {
        currency
      }
    }
  }
`;
const CREDIT = /* GraphQL */ `
  mutation ($input: AdjustWalletInput!) {
    adjustWallet(input: $input) {
      entry {
        id
      }
    }
  }
`;
const GRANT = /* GraphQL */ `
  mutation ($input: PermissionChangeInput!) {
    grantPermission(input: $input) {
      id
    }
  }
`;
const SET_STATUS = /* GraphQL */ `
  mutation ($id: ID!, $status: CustomerStatus!) {
    updateCustomer(id: $id, input: { status: $status }) {
      status
    }
  }
`;

let orderNumbers = 0;
const orderInput = (customerId: string, currency = 'EUR') => {
  orderNumbers += 1;
  return {
    number: `DIR${String(orderNumbers).padStart(7, '0')}`,
    channel: 'WEB',
    currency,
    customerId,
    items: [{ productId: 'p', name: 'Product', quantity: 1, unitPrice: 1000 }],
  };
};
const creditInput = (customerId: string) => ({ customerId, amount: 500, currency: 'EUR', reason: 'Goodwill' });
const grantInput = (customerId: string) => ({ customerId, channel: 'EMAIL', source: 'ADMIN' });

/** The three writes that name a customer, as `as` (a store) sends them; each answer whole. */
const writes = (as: TestStore, customerId: string) =>
  Promise.all([
    as.request(ORDER, { input: orderInput(customerId) }),
    as.request(CREDIT, { input: creditInput(customerId) }),
    as.request(GRANT, { input: grantInput(customerId) }),
  ]);

const codes = (responses: { errors?: { extensions?: Record<string, unknown> }[] }[]) =>
  responses.map((response) => response.errors?.[0]?.extensions?.code ?? 'OK');

/** Rows that name the customer in the three subgraphs, whoever's store they are in. */
async function rowsNaming(customerId: string) {
  const sql = graph.graph.subgraphs.customer.db.sql;
  const [row] = await sql`
    select
      (select count(*) from commerce_history.orders where customer_id = ${customerId})::int as orders,
      (select count(*) from commerce_history.outbox where customer_id = ${customerId})::int as order_events,
      (select count(*) from engagement.wallet_entries where customer_id = ${customerId})::int as wallet_entries,
      (select count(*) from engagement.wallets where customer_id = ${customerId})::int as wallets,
      (select count(*) from engagement.outbox where customer_id = ${customerId})::int as wallet_events,
      (select count(*) from consent.permission_records where customer_id = ${customerId})::int as permissions,
      (select count(*) from consent.outbox where customer_id = ${customerId})::int as consent_events`;
  return row!;
}
const NOTHING = {
  orders: 0,
  order_events: 0,
  wallet_entries: 0,
  wallets: 0,
  wallet_events: 0,
  permissions: 0,
  consent_events: 0,
};

/** Directory rows of a customer in the three subgraphs and their store ids. */
async function directoryRows(customerId: string) {
  const sql = graph.graph.subgraphs.customer.db.sql;
  return sql`
    select 'commerce_history' as subgraph, store_id::text, status, erased_at is not null as erased
      from commerce_history.customer_directory where customer_id = ${customerId}
    union all select 'engagement', store_id::text, status, erased_at is not null
      from engagement.customer_directory where customer_id = ${customerId}
    union all select 'consent', store_id::text, status, erased_at is not null
      from consent.customer_directory where customer_id = ${customerId}
    order by 1`;
}

/** The customer subgraph's relay stopped: its events wait in its outbox until `resume`. */
async function withCustomerEventsHeld(work: () => Promise<void>) {
  const delivery = graph.graph.subgraphs.customer.delivery!;
  await delivery.stop();
  try {
    await work();
  } finally {
    await delivery.start();
  }
}

describe('writes naming a customer the store does not have', () => {
  it('are NOT_FOUND for an id no store has, and write nothing', async () => {
    const id = randomUUID();
    const responses = await writes(store, id);
    expect(codes(responses)).toEqual(['NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND']);
    expect(responses.map((response) => response.errors?.[0]?.message)).toEqual(
      Array(3).fill(`Customer ${id} was not found`),
    );
    expect(await rowsNaming(id)).toEqual(NOTHING);
    expect(await directoryRows(id)).toEqual([]);
  });

  it("are NOT_FOUND for another store's customer, before and after its events arrive, and write nothing", async () => {
    const { id } = await store.createCustomer();
    // At once (the other store's directory misses, the customer subgraph answers for its store only)…
    expect(codes(await writes(other, id))).toEqual(['NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND']);
    // … and once every directory holds the customer under its own store.
    await eventually(async () => expect(await graph.undelivered()).toBe(0));
    expect((await directoryRows(id)).map((row) => row.store_id)).toEqual(Array(3).fill(store.id));
    expect(codes(await writes(other, id))).toEqual(['NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND']);
    expect(await rowsNaming(id)).toEqual(NOTHING);
  });
});

describe('order intake and the customer status (C14)', () => {
  it("refuses a blocked customer's order with CUSTOMER_BLOCKED and accepts it once unblocked", async () => {
    const { id } = await store.createCustomer();
    await store.data(SET_STATUS, { id, status: 'BLOCKED' });
    await eventually(async () => expect(await graph.undelivered()).toBe(0));
    const refused = await store.request(ORDER, { input: orderInput(id) });
    expect(refused.errors?.[0]).toMatchObject({
      message: 'Customer is blocked and cannot place orders',
      extensions: { code: 'CUSTOMER_BLOCKED' },
    });
    expect(await rowsNaming(id)).toEqual(NOTHING);
    // Blocked customers still get wallet entries and consents: only ordering is barred.
    expect(codes(await writes(store, id)).slice(1)).toEqual(['OK', 'OK']);

    // Unblocked while the event that says so is held back: the directory still says blocked, and
    // the order is accepted all the same, because a refusal is confirmed with the customer subgraph.
    await withCustomerEventsHeld(async () => {
      await store.data(SET_STATUS, { id, status: 'ACTIVE' });
      const accepted = await store.request(ORDER, { input: orderInput(id) });
      expect(accepted.errors).toBeUndefined();
      expect((await directoryRows(id)).every((row) => row.status === 'blocked')).toBe(true);
    });
    await eventually(async () => expect(await graph.undelivered()).toBe(0));
    expect((await directoryRows(id)).map((row) => row.status)).toEqual(Array(3).fill('active'));
    expect((await store.request(ORDER, { input: orderInput(id) })).errors).toBeUndefined();
  });

  it('refuses a blocked customer whose events have not arrived anywhere yet', async () => {
    await withCustomerEventsHeld(async () => {
      const { id } = await store.createCustomer({ status: 'BLOCKED' });
      const refused = await store.request(ORDER, { input: orderInput(id) });
      expect(refused.errors?.[0]?.extensions?.code).toBe('CUSTOMER_BLOCKED');
      expect(await rowsNaming(id)).toEqual(NOTHING);
    });
  });

  it("refuses an order in another currency than the store's and writes nothing", async () => {
    const { id } = await store.createCustomer();
    const refused = await store.request(ORDER, { input: orderInput(id, 'JPY') });
    expect(refused.errors?.[0]).toMatchObject({
      extensions: {
        code: 'BAD_USER_INPUT',
        fields: [{ field: 'input.currency', message: "must be EUR, the store's currency" }],
      },
    });
    expect(await rowsNaming(id)).toEqual(NOTHING);
  });
});

it('lets a signed-in customer created a moment ago record their own consent, asked with their own token', async () => {
  await withCustomerEventsHeld(async () => {
    const { id } = await store.createCustomer();
    const token = await signToken({ kind: 'customer', userId: id, storeId: store.id });
    const own = await graph.request(GRANT, { input: { ...grantInput(id), source: 'CHECKOUT' } }, { token });
    expect(own.errors).toBeUndefined();
    // A token of a customer the store does not have gets nothing recorded either.
    const ghost = randomUUID();
    const stranger = await signToken({ kind: 'customer', userId: ghost, storeId: store.id });
    const response = await graph.request(
      GRANT,
      { input: { ...grantInput(ghost), source: 'CHECKOUT' } },
      { token: stranger },
    );
    expect(response.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(await rowsNaming(ghost)).toEqual(NOTHING);
  });
});

describe('erased customers (C19)', () => {
  const ERASE = /* GraphQL */ `
    mutation ($id: ID!) {
      eraseCustomer(id: $id) {
        id
      }
    }
  `;

  it('get no new orders, wallet entries or consents, before and after the erasure reaches each subgraph', async () => {
    const erase = async () => {
      const { id } = await store.createCustomer();
      await store.data(ERASE, { id });
      return id;
    };
    let early = '';
    await withCustomerEventsHeld(async () => {
      early = await erase();
      expect(codes(await writes(store, early))).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT']);
    });
    const late = await erase();
    await eventually(async () => expect(await graph.undelivered()).toBe(0));
    for (const id of [early, late]) {
      const responses = await writes(store, id);
      expect(codes(responses)).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT']);
      expect(responses[0]!.errors![0]!.message).toBe('Customer is erased');
      expect(await rowsNaming(id)).toEqual(NOTHING);
      expect((await directoryRows(id)).map((row) => row.erased)).toEqual([true, true, true]);
    }
  });
});

describe('the delivery lag', () => {
  it('never refuses a customer created a moment ago: 100 times, an order, a wallet credit and a consent at once', async () => {
    // Four clients side by side, 25 customers each, one after the other.
    const lane = async (lane: number) => {
      for (let i = 0; i < 25; i += 1) {
        const { id } = await store.createCustomer();
        const responses = await writes(store, id);
        expect({ lane, i, codes: codes(responses) }).toEqual({ lane, i, codes: ['OK', 'OK', 'OK'] });
      }
    };
    await Promise.all([0, 1, 2, 3].map(lane));
  });

  it('accepts them while none of the customer events has arrived, and the events then change nothing', async () => {
    const ids: string[] = [];
    await withCustomerEventsHeld(async () => {
      for (let i = 0; i < 5; i += 1) {
        const { id } = await store.createCustomer();
        expect(codes(await writes(store, id))).toEqual(['OK', 'OK', 'OK']);
        ids.push(id);
      }
    });
    await eventually(async () => expect(await graph.undelivered()).toBe(0));
    for (const id of ids) {
      expect(await directoryRows(id)).toEqual(
        ['commerce_history', 'consent', 'engagement'].map((subgraph) => ({
          subgraph,
          store_id: store.id,
          status: 'active',
          erased: false,
        })),
      );
    }
  });
});

it('is rebuilt by replaying the customer outbox into empty tables (pnpm directory:rebuild)', async () => {
  await eventually(async () => expect(await graph.undelivered()).toBe(0));
  const subgraphs = graph.graph.subgraphs;
  const sql = subgraphs.customer.db.sql;
  const rows = () =>
    sql`select subgraph, store_id, customer_id, status, currency, erased_at
      from (select 'commerce_history' as subgraph, * from commerce_history.customer_directory
        union all select 'engagement', * from engagement.customer_directory
        union all select 'consent', * from consent.customer_directory) d
      order by 1, 2, 3`;
  const before = await rows();
  expect(before.length).toBeGreaterThan(300);
  const results = await rebuildDirectories({
    customer: subgraphs.customer.db,
    'commerce-history': subgraphs['commerce-history']!.db,
    engagement: subgraphs.engagement!.db,
    consent: subgraphs.consent!.db,
  });
  expect(Object.values(results).map((result) => result.pending)).toEqual([0, 0, 0]);
  expect(await rows()).toEqual(before);
});
