/**
 * The operations timed through every setup: the admin console's customer detail (the explorer's
 * `CustomerDetail`) on customers with the median number of orders, and a list page of 50 customers
 * with a section from each subgraph.
 */
import type { RunningGraph } from '@cg/graph';
import type { GeneratedData } from '../data.ts';
import { customerDetailQuery, customersByOrders } from '../scenarios.ts';

export interface Operation {
  name: string;
  /** Request bodies (JSON), sent in turn. */
  bodies: string[];
  note: string;
}

/** 50 customers, each with order count, total spent, wallet balance and 10 permissions. */
const LIST_WITH_SECTIONS_QUERY = `query BenchCustomerListSections($first: Int!) {
  customers(first: $first) {
    edges {
      node {
        id
        fullName
        orders { totalCount }
        metrics { totalSpent { amount currency } }
        wallet { balance { amount currency } }
        permissions(first: 10) { edges { node { id kind status } } }
      }
    }
  }
}`;

/** Customers the detail cycles through: enough that concurrent clients rarely ask for the same one. */
const DETAIL_CUSTOMERS = 20;

export async function benchOperations(graph: RunningGraph, data: GeneratedData): Promise<Operation[]> {
  const median = await customersByOrders({ graph, data }, 'median', DETAIL_CUSTOMERS);
  const detail = customerDetailQuery();
  return [
    {
      name: 'customer detail',
      bodies: median.map((customer) => JSON.stringify({ query: detail, variables: { id: customer.id } })),
      note: `CustomerDetail on ${median.length} customers with the median order count (${median[0]?.orders ?? 0} orders), in turn`,
    },
    {
      name: 'list of 50 with sections',
      bodies: [JSON.stringify({ query: LIST_WITH_SECTIONS_QUERY, variables: { first: 50 } })],
      note: '50 customers with order count, total spent, wallet balance and 10 permissions each',
    },
  ];
}
