import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explain, planNodes, startTestGraph, type PlanNode, type TestGraph, type TestStore } from '@cg/testing';
import { CustomerSortField } from './customer.sort.ts';

/**
 * With 100,000 customers in a store (and others in another store), the first page of the list
 * under every sort, filter and value tab, and of a segment's members, must be answered from an
 * index: no sequential scan of the customers, their metrics or the watchlist. The plans come from
 * EXPLAIN of the statements the request sent, planned as the request ran them: as the request role,
 * under row-level security, where only leakproof conditions can be index conditions. (Counting — `totalCount`, `memberCount`,
 * statistics — reads all of the store's rows by nature and is not checked here.)
 */
const CUSTOMERS = 100_000;

let graph: TestGraph;
let store: TestStore;

beforeAll(async () => {
  graph = await startTestGraph();
  store = await graph.createStore('Large store');
  const other = await graph.createStore('Neighbour store');
  const sql = graph.graph.subgraphs.customer.db.sql;
  for (const [storeId, count] of [
    [store.id, CUSTOMERS],
    [other.id, 5_000],
  ] as const) {
    await sql`
      insert into customer.customers (store_id, first_name, last_name, email, phone, country, status, tags, created_at,
        deleted_at, restorable_until)
      select ${storeId}, 'First' || i, 'Last' || (i % 997), 'bulk' || i || '@example.com', '+90532' || lpad(i::text, 7, '0'),
        (array['TR','DE','US','NL','FR'])[1 + i % 5],
        (case when i % 20 = 0 then 'blocked' when i % 7 = 0 then 'inactive' else 'active' end)::customer.customer_status,
        case when i % 10 = 0 then array['vip'] else '{}'::text[] end,
        now() - (i || ' minutes')::interval,
        -- One customer in 1,000 deleted (C5), restorable for 30 days.
        case when i % 1000 = 0 then now() end, case when i % 1000 = 0 then now() + interval '30 days' end
      from generate_series(1, ${count}::int) as i`;
    await sql`
      insert into customer.customer_metrics (customer_id, store_id, order_count, total_spent, units, returned_units,
        discount_received, promo_code_orders, first_order_at, last_order_at, currency, wallet_balance, wallet_currency,
        loyalty_points, loyalty_pending_points, loyalty_event_seq, loyalty_tier)
      select id, store_id, n, n * 2500, n * 2, n / 5, n * 100, n / 3,
        case when n > 0 then created_at end, case when n > 0 then created_at + interval '1 day' end,
        'EUR', (n % 4) * 1000, 'EUR',
        -- A loyalty account for one customer in three, with points spread over 0–9,999.
        case when n % 3 = 0 then abs(hashtext(id::text || 'points')) % 10000 else 0 end, 0,
        case when n % 3 = 0 then 1 else 0 end,
        -- Of those, one in ten Gold, three Silver, the rest Bronze, whatever their points.
        case when n % 3 = 0 then (case abs(hashtext(id::text || 'tier')) % 10 when 0 then 'Gold'
          when 1 then 'Silver' when 2 then 'Silver' when 3 then 'Silver' else 'Bronze' end) end
      from (select id, store_id, created_at, (abs(hashtext(id::text)) % 30) as n from customer.customers where store_id = ${storeId}) c`;
    // One customer in 200 is watched.
    await sql`
      insert into customer.watchlist (store_id, customer_id, created_by)
      select store_id, id, 'staff' from customer.customers where store_id = ${storeId} and abs(hashtext(id::text)) % 200 = 0`;
    // One order per customer with one SKU of 1,000, so such a SKU has about a hundred buyers; and
    // half of the customers bought SKU-HALF.
    await sql`
      insert into customer.metrics_order_skus (store_id, order_id, sku, customer_id, counts)
      select store_id, gen_random_uuid(), 'SKU-' || (abs(hashtext(id::text)) % 1000), id, true
      from customer.customers where store_id = ${storeId}
      union all
      select store_id, gen_random_uuid(), 'SKU-HALF', id, true
      from customer.customers where store_id = ${storeId} and abs(hashtext(id::text || 'half')) % 2 = 0`;
  }
  await sql`analyze customer.metrics_order_skus`;
  await sql`analyze customer.customers`;
  await sql`analyze customer.customer_metrics`;
  await sql`analyze customer.watchlist`;
}, 300_000);
afterAll(() => graph?.close());

const LIST = /* GraphQL */ `
  query ($filter: CustomerFilter, $sort: CustomerSort, $tab: CustomerTab) {
    customers(first: 20, filter: $filter, sort: $sort, tab: $tab) {
      edges {
        node {
          id
          fullName
        }
      }
    }
  }
`;

const scans = (plan: PlanNode): string[] =>
  planNodes(plan)
    .filter((node) => node['Node Type'] === 'Seq Scan')
    .map((node) => `Seq Scan on ${node['Relation Name']}`);

const listRows = (data: any): unknown[] => data.customers.edges;

/** Runs a request and EXPLAINs the one statement that read the customers. */
async function planned(
  variables: Record<string, unknown>,
  query = LIST,
  rowsOf: (data: any) => unknown[] = listRows,
): Promise<{ rows: number; plan: PlanNode }> {
  const customerDb = graph.graph.subgraphs.customer.db;
  let rows = 0;
  const statements = await customerDb.captureStatements(async () => {
    rows = rowsOf(await store.data(query, variables)).length;
  });
  const page = statements.filter((statement) => /from "customer"\."customers"/.test(statement.query));
  expect(page).toHaveLength(1);
  return { rows, plan: await explain(customerDb, page[0]!, { schema: 'customer', storeId: store.id }) };
}

async function sequentialScans(
  variables: Record<string, unknown>,
  query = LIST,
  rowsOf: (data: any) => unknown[] = listRows,
): Promise<{ rows: number; seqScans: string[] }> {
  const { rows, plan } = await planned(variables, query, rowsOf);
  return { rows, seqScans: scans(plan) };
}

it('sees a sequential scan where there is one (the check itself)', async () => {
  const plan = await explain(graph.graph.subgraphs.customer.db, {
    query: `select * from customer.customers where notes = 'x'`,
    parameters: [],
  });
  expect(scans(plan)).toEqual(['Seq Scan on customers']);
});

describe(`the first page of the customer list over ${CUSTOMERS.toLocaleString('en')} customers`, () => {
  const sorts = Object.values(CustomerSortField).flatMap((field) =>
    ['ASC', 'DESC'].map((direction) => ({
      field: Object.keys(CustomerSortField).find((k) => (CustomerSortField as any)[k] === field),
      direction,
    })),
  );

  it.each(sorts)('sorted by $field $direction uses an index', async (sort) => {
    const result = await sequentialScans({ sort });
    expect(result).toEqual({ rows: 20, seqScans: [] });
  });

  it.each(['ASC', 'DESC'])('sorted by LOYALTY_POINTS %s walks the points index of the metrics', async (direction) => {
    const { rows, plan } = await planned({ sort: { field: 'LOYALTY_POINTS', direction } });
    expect(rows).toBe(20);
    expect(planNodes(plan).map((node) => node['Index Name'])).toContain('customer_metrics_loyalty_points_idx');
  });

  it.each(['ASC', 'DESC'])(
    'filtered by one loyalty tier and sorted by LOYALTY_POINTS %s walks the tier index of the metrics',
    async (direction) => {
      const { rows, plan } = await planned({
        filter: { loyaltyTiers: ['Gold'] },
        sort: { field: 'LOYALTY_POINTS', direction },
      });
      expect(rows).toBe(20);
      expect(scans(plan)).toEqual([]);
      expect(planNodes(plan).map((node) => node['Index Name'])).toContain('customer_metrics_loyalty_tier_idx');
      // Walked in the order of the page, not sorted afterwards.
      expect(planNodes(plan).map((node) => node['Node Type'])).not.toContain('Sort');
    },
  );

  it.each([
    ['status', { status: ['BLOCKED'] }],
    ['country', { country: ['NL'] }],
    ['tags', { tags: ['vip'] }],
    [
      'membership date range',
      { createdFrom: new Date(Date.now() - 86_400_000).toISOString(), createdTo: new Date().toISOString() },
    ],
    ['total spent range', { minTotalSpent: 50_000, maxTotalSpent: 60_000 }],
    ['order count range', { minOrders: 25, maxOrders: 29 }],
    ['loyalty points range', { minLoyaltyPoints: 9_000, maxLoyaltyPoints: 9_100 }],
    ['loyalty tiers', { loyaltyTiers: ['Gold', 'Silver'] }],
    ['last order date range', { lastOrderFrom: new Date(Date.now() - 7 * 86_400_000).toISOString() }],
    ['name prefix search', { search: 'first12' }],
    ['email prefix search', { search: 'bulk9999' }],
    ['phone prefix search', { search: '+905320001' }],
    ['a rare SKU bought', { skus: ['SKU-7', 'SKU-8'] }],
    ['a SKU half of the customers bought', { skus: ['SKU-HALF'] }],
    ['deleted (C5)', { deleted: true }],
  ])('filtered by %s uses an index', async (_name, filter) => {
    const result = await sequentialScans({ filter });
    expect(result.seqScans).toEqual([]);
    expect(result.rows).toBeGreaterThan(0);
  });

  it.each(['ALL', 'HIGHEST_VALUE', 'MOST_ORDERS', 'MOST_RETURNED_UNITS', 'PROMO_CODE_USERS', 'WATCHLIST'])(
    'of the %s tab uses an index',
    async (tab) => {
      expect(await sequentialScans({ tab })).toEqual({ rows: 20, seqScans: [] });
    },
  );

  it.each([true, false])('filtered by watched: %s uses an index', async (watched) => {
    expect(await sequentialScans({ filter: { watched } })).toEqual({ rows: 20, seqScans: [] });
  });

  it.each<[string, unknown[], Record<string, unknown>?]>([
    ['order count', [{ kind: 'ORDER_COUNT', min: 25 }]],
    ['total spent', [{ kind: 'TOTAL_SPENT', min: 50_000, max: 60_000 }], { field: 'TOTAL_SPENT', direction: 'DESC' }],
    ['last order within', [{ kind: 'LAST_ORDER', withinDays: 30 }], { field: 'LAST_ORDER_AT', direction: 'DESC' }],
    ['never ordered', [{ kind: 'LAST_ORDER', never: true }]],
    [
      'tags and status',
      [
        { kind: 'TAGS', tags: ['vip'] },
        { kind: 'STATUS', status: ['ACTIVE'] },
      ],
      { field: 'NAME', direction: 'ASC' },
    ],
    ['country', [{ kind: 'LOCATION', country: ['NL'] }], { field: 'ORDER_COUNT', direction: 'DESC' }],
  ])('of a segment’s members by %s uses an index', async (name, rules, sort) => {
    const { createSegment } = await store.data(
      `mutation($input: CreateSegmentInput!) { createSegment(input: $input) { id } }`,
      {
        input: { name, rules },
      },
    );
    const members = `query($id: ID!, $sort: CustomerSort) { segment(id: $id) { members(first: 20, sort: $sort) { edges { node { id } } } } }`;
    const result = await sequentialScans({ id: createSegment.id, sort }, members, (data) => data.segment.members.edges);
    expect(result).toEqual({ rows: 20, seqScans: [] });
  });
});
