import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGraph, type TestGraph, type TestStore } from '@cg/testing';
import { CustomerSortField } from './customer.sort.ts';

/**
 * With 100,000 customers in a store (and others in another store), the first page of the list
 * under every sort and every filter must be answered from an index: no sequential scan of the
 * customers or their metrics. The plans come from EXPLAIN of the statements the request sent.
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
      insert into customer.customers (store_id, first_name, last_name, email, phone, country, status, tags, created_at)
      select ${storeId}, 'First' || i, 'Last' || (i % 997), 'bulk' || i || '@example.com', '+90532' || lpad(i::text, 7, '0'),
        (array['TR','DE','US','NL','FR'])[1 + i % 5],
        (case when i % 20 = 0 then 'blocked' when i % 7 = 0 then 'inactive' else 'active' end)::customer.customer_status,
        case when i % 10 = 0 then array['vip'] else '{}'::text[] end,
        now() - (i || ' minutes')::interval
      from generate_series(1, ${count}::int) as i`;
    await sql`
      insert into customer.customer_metrics (customer_id, store_id, order_count, total_spent, units, returned_units,
        discount_received, promo_code_orders, first_order_at, last_order_at, currency, wallet_balance, wallet_currency)
      select id, store_id, n, n * 2500, n * 2, n / 5, n * 100, n / 3,
        case when n > 0 then created_at end, case when n > 0 then created_at + interval '1 day' end,
        'EUR', (n % 4) * 1000, 'EUR'
      from (select id, store_id, created_at, (abs(hashtext(id::text)) % 30) as n from customer.customers where store_id = ${storeId}) c`;
  }
  await sql`analyze customer.customers`;
  await sql`analyze customer.customer_metrics`;
}, 300_000);
afterAll(() => graph?.close());

const LIST = /* GraphQL */ `
  query($filter: CustomerFilter, $sort: CustomerSort) {
    customers(first: 20, filter: $filter, sort: $sort) { edges { node { id fullName } } }
  }`;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

function scans(node: PlanNode): string[] {
  const own = node['Node Type'] === 'Seq Scan' ? [`Seq Scan on ${node['Relation Name']}`] : [];
  return [...own, ...(node.Plans ?? []).flatMap(scans)];
}

async function sequentialScans(variables: Record<string, unknown>): Promise<{ rows: number; seqScans: string[] }> {
  const customerDb = graph.graph.subgraphs.customer.db;
  let rows = 0;
  const statements = await customerDb.captureStatements(async () => {
    rows = (await store.data(LIST, variables)).customers.edges.length;
  });
  const page = statements.filter((statement) => /from "customer"\."customers"/.test(statement.query));
  expect(page).toHaveLength(1);
  const [explained] = await customerDb.sql.unsafe(`explain (format json) ${page[0]!.query}`, page[0]!.parameters as never[]);
  const plan = (explained as unknown as { 'QUERY PLAN': { Plan: PlanNode }[] })['QUERY PLAN'][0]!.Plan;
  return { rows, seqScans: scans(plan) };
}

it('sees a sequential scan where there is one (the check itself)', async () => {
  const sql = graph.graph.subgraphs.customer.db.sql;
  const [explained] = await sql.unsafe(`explain (format json) select * from customer.customers where notes = 'x'`);
  const plan = (explained as unknown as { 'QUERY PLAN': { Plan: PlanNode }[] })['QUERY PLAN'][0]!.Plan;
  expect(scans(plan)).toEqual(['Seq Scan on customers']);
});

describe(`the first page of the customer list over ${CUSTOMERS.toLocaleString('en')} customers`, () => {
  const sorts = Object.values(CustomerSortField).flatMap((field) =>
    ['ASC', 'DESC'].map((direction) => ({ field: Object.keys(CustomerSortField).find((k) => (CustomerSortField as any)[k] === field), direction })),
  );

  it.each(sorts)('sorted by $field $direction uses an index', async (sort) => {
    const result = await sequentialScans({ sort });
    expect(result).toEqual({ rows: 20, seqScans: [] });
  });

  it.each([
    ['status', { status: ['BLOCKED'] }],
    ['country', { country: ['NL'] }],
    ['tags', { tags: ['vip'] }],
    ['membership date range', { createdFrom: new Date(Date.now() - 86_400_000).toISOString(), createdTo: new Date().toISOString() }],
    ['total spent range', { minTotalSpent: 50_000, maxTotalSpent: 60_000 }],
    ['order count range', { minOrders: 25, maxOrders: 29 }],
    ['last order date range', { lastOrderFrom: new Date(Date.now() - 7 * 86_400_000).toISOString() }],
    ['name prefix search', { search: 'first12' }],
    ['email prefix search', { search: 'bulk9999' }],
    ['phone prefix search', { search: '+905320001' }],
  ])('filtered by %s uses an index', async (_name, filter) => {
    const result = await sequentialScans({ filter });
    expect(result.seqScans).toEqual([]);
    expect(result.rows).toBeGreaterThan(0);
  });
});
