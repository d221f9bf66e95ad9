/**
 * Operations on the customer metrics projection: rebuild it by replaying the producers' outboxes,
 * and check it against the producers' own figures. An operator's tool: it holds each subgraph's
 * own connection, and no subgraph reads another's tables.
 */
import type { Database } from '@cg/db';
import { replay } from '@cg/events';
import { customerSubgraph, metricsHandlers, NOT_PURCHASES } from '@cg/customer';
import { commerceHistorySubgraph, orderFiguresByCustomer } from '@cg/commerce-history';
import { engagementSubgraph } from '@cg/engagement';

export interface MetricsDatabases {
  customer: Database;
  'commerce-history': Database;
  engagement: Database;
}

const { customerMetrics, metricsOrders, metricsOrderSkus } = customerSubgraph.tables;

/** Replays only the projection's handlers: the timeline, guests and audit log keep what they have. */
export function rebuildMetrics(dbs: MetricsDatabases) {
  return replay({
    consumer: { db: dbs.customer, wiring: customerSubgraph.events!.consumer! },
    handlers: metricsHandlers,
    sources: [
      { name: 'commerce-history', db: dbs['commerce-history'], outbox: commerceHistorySubgraph.tables.outbox },
      { name: 'engagement', db: dbs.engagement, outbox: engagementSubgraph.tables.outbox },
    ],
    reset: async (tx) => {
      await tx.delete(metricsOrders);
      await tx.delete(metricsOrderSkus);
      await tx.update(customerMetrics).set({
        orderCount: 0,
        totalSpent: 0,
        units: 0,
        returnedUnits: 0,
        negativeFeedback: 0,
        discountReceived: 0,
        promoCodeOrders: 0,
        firstOrderAt: null,
        lastOrderAt: null,
        currency: null,
        walletBalance: 0,
        walletCurrency: null,
        walletEventSeq: 0,
        loyaltyPoints: 0,
        loyaltyPendingPoints: 0,
        loyaltyEventSeq: 0,
        loyaltyTier: null,
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
  negativeFeedback: number;
  discountReceived: number;
  lastOrderAt: string | null;
  walletBalance: number;
  loyaltyPoints: number;
  loyaltyPendingPoints: number;
  /** C11: whether the customer has a loyalty account (statistics' `loyaltyMembers`). */
  loyaltyMember: boolean;
  /** E3: the name of the tier the account holds, or null. */
  loyaltyTier: string | null;
}

const ZERO: Figures = {
  orderCount: 0,
  totalSpent: 0,
  units: 0,
  returnedUnits: 0,
  negativeFeedback: 0,
  discountReceived: 0,
  lastOrderAt: null,
  walletBalance: 0,
  loyaltyPoints: 0,
  loyaltyPendingPoints: 0,
  loyaltyMember: false,
  loyaltyTier: null,
};

export interface Mismatch {
  storeId: string;
  customerId: string;
  projected: Figures;
  source: Figures;
}

/** Every customer whose projected metrics differ from what the source subgraphs hold now. */
export async function checkMetrics(dbs: MetricsDatabases): Promise<{ customers: number; mismatches: Mismatch[] }> {
  // Returned units and negative feedback as commerce-history defines them (orders/order-outcome.ts).
  const orderFigures = await orderFiguresByCustomer(dbs['commerce-history'].orm, NOT_PURCHASES);
  const wallets = await dbs.engagement.sql`
    select store_id::text as store_id, customer_id::text as id, balance from engagement.wallets`;
  // The stored figures, not those a read shows (which counts pending points already due as
  // spendable): the projection has what the account's last change announced, and so do they.
  const loyaltyAccounts = await dbs.engagement.sql`
    select a.store_id::text as store_id, a.customer_id::text as id, a.points, a.pending_points, t.name as tier
    from engagement.loyalty_accounts a
    left join engagement.loyalty_tiers t on t.store_id = a.store_id and t.id = a.tier_id`;
  const projected = await dbs.customer.sql`
    select store_id::text as store_id, customer_id::text as id, order_count, total_spent, units, returned_units, negative_feedback, discount_received,
      last_order_at, wallet_balance, loyalty_points, loyalty_pending_points, loyalty_event_seq, loyalty_tier
    from customer.customer_metrics`;

  // Every figure under its store and customer: a customer id is only ever a customer of one store.
  const key = (storeId: string, customerId: string) => `${storeId}/${customerId}`;
  const source = new Map<string, Figures>();
  const at = (id: string) => source.get(id) ?? { ...ZERO };
  for (const row of orderFigures) {
    const id = key(row.storeId, row.customerId);
    source.set(id, {
      ...at(id),
      orderCount: Number(row.orderCount),
      totalSpent: Number(row.totalSpent),
      units: Number(row.units),
      returnedUnits: Number(row.returnedUnits),
      negativeFeedback: Number(row.negativeFeedback),
      discountReceived: Number(row.discount),
      lastOrderAt: row.lastOrderAt ? new Date(row.lastOrderAt).toISOString() : null,
    });
  }
  for (const row of wallets) {
    const id = key(row.store_id, row.id);
    source.set(id, { ...at(id), walletBalance: Number(row.balance) });
  }
  for (const row of loyaltyAccounts) {
    const id = key(row.store_id, row.id);
    source.set(id, {
      ...at(id),
      loyaltyPoints: Number(row.points),
      loyaltyPendingPoints: Number(row.pending_points),
      loyaltyMember: true,
      loyaltyTier: row.tier ?? null,
    });
  }

  const mismatches: Mismatch[] = [];
  const seen = new Set<string>();
  for (const row of projected) {
    seen.add(key(row.store_id, row.id));
    const figures: Figures = {
      orderCount: Number(row.order_count),
      totalSpent: Number(row.total_spent),
      units: Number(row.units),
      returnedUnits: Number(row.returned_units),
      negativeFeedback: Number(row.negative_feedback),
      discountReceived: Number(row.discount_received),
      lastOrderAt: row.last_order_at ? new Date(row.last_order_at).toISOString() : null,
      walletBalance: Number(row.wallet_balance),
      loyaltyPoints: Number(row.loyalty_points),
      loyaltyPendingPoints: Number(row.loyalty_pending_points),
      loyaltyMember: Number(row.loyalty_event_seq) > 0,
      loyaltyTier: row.loyalty_tier ?? null,
    };
    const expected = at(key(row.store_id, row.id));
    if (JSON.stringify(figures) !== JSON.stringify(expected))
      mismatches.push({ storeId: row.store_id, customerId: row.id, projected: figures, source: expected });
  }
  // Figures of a store for a customer it does not have (recorded before the directory refused them).
  for (const [id, figures] of source) {
    if (seen.has(id)) continue;
    const [storeId, customerId] = id.split('/') as [string, string];
    mismatches.push({ storeId, customerId, projected: { ...ZERO }, source: figures });
  }
  return { customers: projected.length, mismatches };
}
