/**
 * What `pnpm bench` measures. A scenario prepares once (follows cursors, finds customers…) and
 * returns the GraphQL requests that the timing loop cycles through; a ratio compares two
 * scenarios' medians. New sorts, searches or list shapes are one line in the lists below.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Kind, parse, print, type OperationDefinitionNode } from 'graphql';
import type { RunningGraph } from '@cg/graph';
import { BENCH_REFERENCE_CODE, type GeneratedData } from './data.ts';

export interface GraphRequest {
  query: string;
  variables?: Record<string, unknown>;
  /**
   * Sent straight to this subgraph, with the headers our gateway adds (token, gateway and access
   * assertions), rather than through the gateway: the subgraph's own time.
   */
  subgraph?: string;
}

export interface BenchContext {
  graph: RunningGraph;
  data: GeneratedData;
  /** POSTs to the gateway with the main store's staff token; returns `data`, throws on errors. */
  request<T = any>(request: GraphRequest): Promise<T>;
}

interface Prepared {
  /** Cycled through by the timing loop (one per iteration, round robin). */
  requests: GraphRequest[];
  /** Shown next to the numbers: what was found while preparing. */
  note?: string;
}

export interface Scenario {
  name: string;
  prepare(ctx: BenchContext): Promise<Prepared>;
}

export interface Ratio {
  name: string;
  /** Scenario names: median of `numerator` / median of `denominator`. */
  numerator: string;
  denominator: string;
  /** What a healthy value is. */
  expect: string;
}

// ---- customer list: every sort, first page and page 50 ----------------------------------------

export interface ListSort {
  field: string;
  direction: 'ASC' | 'DESC';
}

/**
 * The sorts timed by default, one line each. Profile sorts both ways; the metrics projection's
 * sorts (issue 3) highest first, as the value tabs use them. `--all-sorts` times every field of
 * the schema's `CustomerSortField` in both directions.
 */
export const LIST_SORTS: ListSort[] = [
  { field: 'NAME', direction: 'ASC' },
  { field: 'NAME', direction: 'DESC' },
  { field: 'CREATED_AT', direction: 'ASC' },
  { field: 'CREATED_AT', direction: 'DESC' },
  { field: 'TOTAL_SPENT', direction: 'DESC' },
  { field: 'ORDER_COUNT', direction: 'DESC' },
  { field: 'LAST_ORDER_AT', direction: 'DESC' },
  { field: 'RETURNED_UNITS', direction: 'DESC' },
  { field: 'WALLET_BALANCE', direction: 'DESC' },
  { field: 'DISCOUNT_RECEIVED', direction: 'DESC' },
  { field: 'LOYALTY_POINTS', direction: 'DESC' },
];

const PAGE_SIZE = 20;
/** The deep page's number unless `--deep-page` says otherwise. */
export const DEEP_PAGE = 50;
/** The sort also timed straight in the customer subgraph: the value tabs' default. */
const DIRECT_SORT: ListSort = { field: 'TOTAL_SPENT', direction: 'DESC' };

const LIST_QUERY = `query BenchCustomerList($first: Int!, $after: String, $sort: CustomerSort, $filter: CustomerFilter) {
  customers(first: $first, after: $after, sort: $sort, filter: $filter) {
    pageInfo { hasNextPage endCursor }
    edges { node { id fullName email phone status createdAt } }
  }
}`;

const CURSOR_QUERY = `query BenchCursor($first: Int!, $after: String, $sort: CustomerSort) {
  customers(first: $first, after: $after, sort: $sort) { pageInfo { hasNextPage endCursor } }
}`;

/** Every field of `CustomerSortField` in the running schema, both directions. */
export async function schemaSorts(ctx: BenchContext): Promise<ListSort[]> {
  const data = await ctx.request<{ __type: { enumValues: { name: string }[] } | null }>({
    query: '{ __type(name: "CustomerSortField") { enumValues { name } } }',
  });
  const fields = data.__type?.enumValues.map((value) => value.name) ?? [];
  return fields.flatMap((field) => (['ASC', 'DESC'] as const).map((direction) => ({ field, direction })));
}

const sortLabel = (sort: ListSort) => `${sort.field} ${sort.direction}`;
const listPageName = (sort: ListSort, page: number, subgraph?: string) =>
  `list ${sortLabel(sort)}, page ${page}${subgraph ? `, in the ${subgraph} subgraph` : ''}`;

function listPage(sort: ListSort, page: number, subgraph?: string): Scenario {
  return {
    name: listPageName(sort, page, subgraph),
    async prepare(ctx) {
      let after: string | null = null;
      for (let hop = 1; hop < page; hop += 1) {
        const data: { customers: { pageInfo: { hasNextPage: boolean; endCursor: string | null } } } = await ctx.request(
          {
            query: CURSOR_QUERY,
            variables: { first: PAGE_SIZE, after, sort },
          },
        );
        if (!data.customers.pageInfo.hasNextPage)
          throw new Error(`${sortLabel(sort)}: only ${hop} pages of ${PAGE_SIZE}`);
        after = data.customers.pageInfo.endCursor;
      }
      return {
        requests: [{ query: LIST_QUERY, variables: { first: PAGE_SIZE, after, sort }, subgraph }],
        note: page > 1 ? `cursor after ${page - 1} pages` : undefined,
      };
    },
  };
}

/** The same first page, also asking for `totalCount` (a count over the store's customers). */
const listWithTotal: Scenario = {
  name: 'list CREATED_AT DESC, page 1 + totalCount',
  async prepare() {
    return {
      requests: [
        {
          query: LIST_QUERY.replace('pageInfo {', 'totalCount\n    pageInfo {'),
          variables: { first: PAGE_SIZE, sort: { field: 'CREATED_AT', direction: 'DESC' } },
        },
      ],
    };
  },
};

// ---- search -----------------------------------------------------------------------------------

/**
 * Prefix searches (name, last name, email); the note says how many customers match. A list of
 * prefixes is searched in turn, one per request, as staff typing different names would.
 */
const SEARCHES: { name: string; search: string | string[] }[] = [
  { name: 'search name prefix "meh" (common)', search: 'meh' },
  { name: 'search name prefix "zeynep ka"', search: 'zeynep ka' },
  { name: 'search last-name prefix "kowal" (rare)', search: 'kowal' },
  { name: 'search email prefix "ayse.yilmaz.1"', search: 'ayse.yilmaz.1' },
  { name: 'search no match "xq"', search: 'xq' },
  // Staff searching different names one after another on the same pooled connection.
  { name: 'search "zeynep ka", "mehmet de", "xq" in turn', search: ['zeynep ka', 'mehmet de', 'xq'] },
];

function search(entry: { name: string; search: string | string[] }): Scenario {
  return {
    name: entry.name,
    async prepare(ctx) {
      const searches = typeof entry.search === 'string' ? [entry.search] : entry.search;
      const matches: number[] = [];
      for (const text of searches) {
        const { customers } = await ctx.request<{ customers: { totalCount: number } }>({
          query: 'query BenchSearchCount($filter: CustomerFilter) { customers(filter: $filter) { totalCount } }',
          variables: { filter: { search: text } },
        });
        matches.push(customers.totalCount);
      }
      return {
        requests: searches.map((text) => ({
          query: LIST_QUERY,
          variables: { first: PAGE_SIZE, filter: { search: text } },
        })),
        note: `${matches.map((n) => n.toLocaleString('en')).join(' / ')} match${matches.length === 1 && matches[0] === 1 ? '' : 'es'}`,
      };
    },
  };
}

// ---- customer detail --------------------------------------------------------------------------

/** The `CustomerDetail` operation of the explorer's examples, as the admin console sends it. */
export function customerDetailQuery(): string {
  const file = resolve(import.meta.dirname, '../../gateway/src/explorer/examples.graphql');
  const document = parse(readFileSync(file, 'utf8'));
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode =>
      definition.kind === Kind.OPERATION_DEFINITION && definition.name?.value === 'CustomerDetail',
  );
  if (!operation) throw new Error(`No CustomerDetail operation in ${file}`);
  return print(operation);
}

/** Customers of the main store by order count: the heaviest, or those at the median. */
export async function customersByOrders(
  ctx: Pick<BenchContext, 'graph' | 'data'>,
  which: 'heaviest' | 'median',
  count: number,
) {
  const sql = ctx.graph.subgraphs['commerce-history']!.db.sql;
  const storeId = ctx.data.main.id;
  const rows =
    which === 'heaviest'
      ? await sql<{ id: string; orders: number }[]>`
          select customer_id::text as id, count(*)::int as orders from commerce_history.orders
          where store_id = ${storeId} and customer_id is not null
          group by customer_id order by count(*) desc, customer_id limit ${count}`
      : await sql<{ id: string; orders: number }[]>`
          with per_customer as (
            select customer_id, count(*)::int as orders from commerce_history.orders
            where store_id = ${storeId} and customer_id is not null group by customer_id
          ), median as (select percentile_disc(0.5) within group (order by orders) as orders from per_customer)
          select customer_id::text as id, p.orders from per_customer p, median m
          where p.orders = m.orders order by customer_id limit ${count}`;
  return rows;
}

function customerDetail(which: 'heaviest' | 'median'): Scenario {
  return {
    name:
      which === 'heaviest'
        ? 'customer detail, 5 customers with most orders'
        : 'customer detail, 5 customers with median orders',
    async prepare(ctx) {
      const customers = await customersByOrders(ctx, which, 5);
      const query = customerDetailQuery();
      return {
        requests: customers.map((customer) => ({ query, variables: { id: customer.id } })),
        note: `orders: ${customers.map((customer) => customer.orders.toLocaleString('en')).join(', ')}`,
      };
    },
  };
}

// ---- the heaviest customer's commerce sections --------------------------------------------------

const HEAVIEST_SECTIONS: { name: string; query: string }[] = [
  {
    name: 'purchased products of the customer with most orders, by units',
    query: `query BenchPurchasedProducts($id: ID!) {
  customer(id: $id) {
    purchasedProducts(first: 20, sort: UNITS) {
      totalCount
      edges { node { productId sku name orders units returnedUnits amount { amount currency } lastPurchasedAt } }
    }
  }
}`,
  },
  {
    name: 'order logs of the customer with most orders',
    query: `query BenchOrderLogs($id: ID!) {
  customer(id: $id) {
    logs(kind: ORDER, first: 20) { totalCount edges { node { id event orderNumber fromOrderStatus toOrderStatus actor ip createdAt } } }
  }
}`,
  },
  {
    name: 'payment logs of the customer with most orders',
    query: `query BenchPaymentLogs($id: ID!) {
  customer(id: $id) {
    logs(kind: PAYMENT, first: 20) { totalCount edges { node { id event orderNumber transactionCode toPaymentStatus createdAt } } }
  }
}`,
  },
];

function heaviestSection(entry: { name: string; query: string }): Scenario {
  return {
    name: entry.name,
    async prepare(ctx) {
      const [customer] = await customersByOrders(ctx, 'heaviest', 1);
      return {
        requests: [{ query: entry.query, variables: { id: customer!.id } }],
        note: `${customer!.orders.toLocaleString('en')} orders`,
      };
    },
  };
}

// ---- the customer list filtered by a SKU bought -------------------------------------------------

/** The list of the buyers of the SKU in the most, or the fewest, of the main store's orders. */
function skuFilter(which: 'most' | 'fewest'): Scenario {
  return {
    name: `list filtered by the SKU in the ${which} orders`,
    async prepare(ctx) {
      const sql = ctx.graph.subgraphs['commerce-history']!.db.sql;
      const [row] = await sql<{ sku: string }[]>`
        select sku from commerce_history.order_items
        where store_id = ${ctx.data.main.id} and sku is not null
        group by sku order by ${which === 'most' ? sql`count(*) desc` : sql`count(*) asc`}, sku limit 1`;
      const filter = { skus: [row!.sku] };
      const { customers } = await ctx.request<{ customers: { totalCount: number } }>({
        query: 'query BenchSkuCount($filter: CustomerFilter) { customers(filter: $filter) { totalCount } }',
        variables: { filter },
      });
      return {
        requests: [{ query: LIST_QUERY, variables: { first: PAGE_SIZE, filter } }],
        note: `${row!.sku}: ${customers.totalCount.toLocaleString('en')} buyers`,
      };
    },
  };
}

// ---- a list page with every subgraph's section (batching) --------------------------------------

/**
 * The list with sections is timed at 10, 50 and 100 customers (the results' rows keep these sizes,
 * though pages of 1–9 are allowed too). With DataLoader batching the statement count does not grow with it.
 */
const SECTION_LIST_SIZES = [10, 50, 100];

const sectionListName = (size: number) => `list of ${size} + orders/wallet/permissions`;

function sectionList(size: number): Scenario {
  return {
    name: sectionListName(size),
    async prepare() {
      return {
        requests: [
          {
            query: `query BenchCustomerSections($first: Int!) {
  customers(first: $first) {
    edges { node { id fullName orders { totalCount } wallet { balance { amount currency } } permissions { totalCount } } }
  }
}`,
            variables: { first: size },
          },
        ],
      };
    },
  };
}

// ---- a reference code's dashboard (E10) --------------------------------------------------------

const DASHBOARD_DAYS = 90;

/** The dashboard of the main store's code with 100,000 uses, over the 90 days up to the data's day. */
const referenceCodeDashboard: Scenario = {
  name: `reference code dashboard, ${DASHBOARD_DAYS} days of a code with 100,000 uses`,
  async prepare(ctx) {
    const sql = ctx.graph.subgraphs.engagement!.db.sql;
    const [code] = await sql<{ id: string }[]>`
      select id::text from engagement.reference_codes where store_id = ${ctx.data.main.id} and code = ${BENCH_REFERENCE_CODE}`;
    const to = ctx.data.now.slice(0, 10);
    const from = new Date(Date.parse(to) - (DASHBOARD_DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
    const request = {
      query: `query BenchReferenceCodeDashboard($id: ID!, $from: String, $to: String) {
  referenceCode(id: $id) {
    id
    dashboard(from: $from, to: $to) {
      usageCount accessCount conversionRate limitUsage
      days { date accesses uses rewards }
    }
  }
}`,
      variables: { id: code!.id, from, to },
    };
    const { referenceCode } = await ctx.request<{
      referenceCode: { dashboard: { usageCount: number; days: unknown[] } };
    }>(request);
    return {
      requests: [request],
      note: `${referenceCode.dashboard.days.length} days, ${referenceCode.dashboard.usageCount.toLocaleString('en')} uses in range`,
    };
  },
};

// ---- the lists --------------------------------------------------------------------------------

/**
 * Every scenario, with the list timed under `sorts` (LIST_SORTS unless `--all-sorts`), each on its
 * first page and on page `deepPage`.
 */
export const scenarios = (sorts: ListSort[] = LIST_SORTS, deepPage = DEEP_PAGE): Scenario[] => [
  ...sorts.flatMap((sort) => [listPage(sort, 1), listPage(sort, deepPage)]),
  listPage(DIRECT_SORT, 1, 'customer'),
  listPage(DIRECT_SORT, deepPage, 'customer'),
  listWithTotal,
  ...SEARCHES.map(search),
  customerDetail('heaviest'),
  customerDetail('median'),
  ...HEAVIEST_SECTIONS.map(heaviestSection),
  skuFilter('most'),
  skuFilter('fewest'),
  referenceCodeDashboard,
  ...SECTION_LIST_SIZES.map(sectionList),
];

export const ratios = (sorts: ListSort[] = LIST_SORTS, deepPage = DEEP_PAGE): Ratio[] => [
  ...[
    ...sorts.map((sort) => ({ sort, subgraph: undefined as string | undefined })),
    { sort: DIRECT_SORT, subgraph: 'customer' },
  ].map(({ sort, subgraph }) => ({
    name: `list ${sortLabel(sort)}${subgraph ? ` in the ${subgraph} subgraph` : ''}: page ${deepPage} / page 1`,
    numerator: listPageName(sort, deepPage, subgraph),
    denominator: listPageName(sort, 1, subgraph),
    expect: '≈ 1 (keyset pagination: a deep page costs what the first does)',
  })),
  ...SECTION_LIST_SIZES.slice(1).map((size) => ({
    name: `list with sections: ${size} / ${SECTION_LIST_SIZES[0]} customers`,
    numerator: sectionListName(size),
    denominator: sectionListName(SECTION_LIST_SIZES[0]!),
    expect: `well below ${size / SECTION_LIST_SIZES[0]!} (batched: same statements, only more rows)`,
  })),
  {
    name: 'customer detail: most orders / median orders',
    numerator: 'customer detail, 5 customers with most orders',
    denominator: 'customer detail, 5 customers with median orders',
    expect: '≈ 1 except for counting the orders (paged by index, LIMIT 10)',
  },
];
