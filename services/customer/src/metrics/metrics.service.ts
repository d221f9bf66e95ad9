import { loadInStore, type BaseContext } from '@cg/subgraph';
import { customerMetrics, type CustomerMetricsRow } from '../db/schema/index.ts';
import type { CustomerDb } from '../context.ts';
import type { CustomerMetrics } from './metrics.type.ts';

export class MetricsService {
  constructor(
    private readonly db: CustomerDb,
    private readonly ctx: BaseContext,
  ) {}

  async forCustomer(customerId: string): Promise<CustomerMetrics> {
    return present(
      customerId,
      await loadInStore<CustomerMetricsRow>(this.ctx, this.db, customerMetrics, customerId, {
        key: customerMetrics.customerId,
      }),
    );
  }
}

export function present(customerId: string, row: CustomerMetricsRow | null | undefined): CustomerMetrics {
  const money = (amount: number | undefined, currency: string | null | undefined) =>
    currency && amount !== undefined ? { amount, currency } : null;
  const orders = row?.orderCount ?? 0;
  // No order that counts: no sum and no average, rather than a zero that reads as a free purchase.
  const spent = orders ? row?.totalSpent : undefined;
  return {
    id: customerId,
    orderCount: orders,
    totalSpent: money(spent, row?.currency),
    averageOrderValue: money(spent === undefined ? undefined : Math.round(spent / orders), row?.currency),
    units: row?.units ?? 0,
    returnedUnits: row?.returnedUnits ?? 0,
    negativeFeedback: row?.negativeFeedback ?? 0,
    discountReceived: money(row?.discountReceived, row?.currency),
    promoCodeOrders: row?.promoCodeOrders ?? 0,
    promoCodeShare: orders ? (row?.promoCodeOrders ?? 0) / orders : 0,
    firstOrderAt: row?.firstOrderAt ?? null,
    lastOrderAt: row?.lastOrderAt ?? null,
    walletBalance: money(row?.walletBalance, row?.walletCurrency),
    loyaltyPoints: row?.loyaltyPoints ?? 0,
    pendingLoyaltyPoints: row?.loyaltyPendingPoints ?? 0,
    loyaltyTier: row?.loyaltyTier ?? null,
  };
}
