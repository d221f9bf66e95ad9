/**
 * Operations on the customer metrics projection: rebuild it by replaying the producers' outboxes,
 * and check it against the producers' own figures. An operator's tool: it holds each subgraph's
 * own connection, and no subgraph reads another's tables.
 */
import type { Database } from '@cg/db';
import { replay } from '@cg/events';
import { customerSubgraph, NOT_PURCHASES } from '@cg/customer';
import { commerceHistorySubgraph } from '@cg/commerce-history';
import { engagementSubgraph } from '@cg/engagement';

export interface MetricsDatabases {
  customer: Database;
  'commerce-history': Database;
  engagement: Database;
}

const { customerMetrics } = customerSubgraph.tables;

export function rebuildMetrics(dbs: MetricsDatabases) {
  return replay({
    consumer: { db: dbs.customer, wiring: customerSubgraph.events!.consumer! },
    sources: [
      { name: 'commerce-history', db: dbs['commerce-history'], outbox: commerceHistorySubgraph.tables.outbox },
      { name: 'engagement', db: dbs.engagement, outbox: engagementSubgraph.tables.outbox },
    ],
    reset: async (tx) => {
      await tx.update(customerMetrics).set({
        orderCount: 0,
        totalSpent: 0,
        units: 0,
        returnedUnits: 0,
        discountReceived: 0,
        promoCodeOrders: 0,
        firstOrderAt: null,
        lastOrderAt: null,
        currency: null,
        walletBalance: 0,
        walletCurrency: null,
        walletEventSeq: 0,
        updatedAt: new Date(),
      });
    },
  });
}

interface Figures {
  orderCount: number;
  totalSpent: number;
  units: number;
  returnedUnits: number;
  discountReceived: number;
  lastOrderAt: string | null;
  walletBalance: number;
}

const ZERO: Figures = { orderCount: 0, totalSpent: 0, units: 0, returnedUnits: 0, discountReceived: 0, lastOrderAt: null, walletBalance: 0 };

export interface Mismatch {
  customerId: string;
  projected: Figures;
  source: Figures;
}

/** Every customer whose projected metrics differ from what the source subgraphs hold now. */
export async function checkMetrics(dbs: MetricsDatabases): Promise<{ customers: number; mismatches: Mismatch[] }> {
  const excluded = `{${NOT_PURCHASES.join(',')}}`;
  const orders = await dbs['commerce-history'].sql`
    select customer_id::text as id,
      (count(*) filter (where status <> all(${excluded}::commerce_history.order_status[])))::int as order_count,
      coalesce(sum(total) filter (where status <> all(${excluded}::commerce_history.order_status[])), 0)::bigint as total_spent,
      coalesce(sum(units) filter (where status <> all(${excluded}::commerce_history.order_status[])), 0)::int as units,
      coalesce(sum(units) filter (where status = 'returned'), 0)::int as returned_units,
      coalesce(sum(discount) filter (where status <> all(${excluded}::commerce_history.order_status[])), 0)::bigint as discount,
      max(created_at) as last_order_at
    from commerce_history.orders where customer_id is not null group by customer_id`;
  const wallets = await dbs.engagement.sql`select customer_id::text as id, balance from engagement.wallets`;
  const projected = await dbs.customer.sql`
    select customer_id::text as id, order_count, total_spent, units, returned_units, discount_received, last_order_at, wallet_balance
    from customer.customer_metrics`;

  const source = new Map<string, Figures>();
  const at = (id: string) => source.get(id) ?? { ...ZERO };
  for (const row of orders) {
    source.set(row.id, {
      ...at(row.id),
      orderCount: Number(row.order_count),
      totalSpent: Number(row.total_spent),
      units: Number(row.units),
      returnedUnits: Number(row.returned_units),
      discountReceived: Number(row.discount),
      lastOrderAt: row.last_order_at ? new Date(row.last_order_at).toISOString() : null,
    });
  }
  for (const row of wallets) source.set(row.id, { ...at(row.id), walletBalance: Number(row.balance) });

  const mismatches: Mismatch[] = [];
  for (const row of projected) {
    const figures: Figures = {
      orderCount: Number(row.order_count),
      totalSpent: Number(row.total_spent),
      units: Number(row.units),
      returnedUnits: Number(row.returned_units),
      discountReceived: Number(row.discount_received),
      lastOrderAt: row.last_order_at ? new Date(row.last_order_at).toISOString() : null,
      walletBalance: Number(row.wallet_balance),
    };
    const expected = at(row.id);
    if (JSON.stringify(figures) !== JSON.stringify(expected)) mismatches.push({ customerId: row.id, projected: figures, source: expected });
  }
  return { customers: projected.length, mismatches };
}
