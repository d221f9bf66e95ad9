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
      await loadInStore<CustomerMetricsRow>(this.ctx, this.db, customerMetrics, customerId, {
        key: customerMetrics.customerId,
      }),
    );
  }
}

export function present(row: CustomerMetricsRow | null | undefined): CustomerMetrics {
  const money = (amount: number | undefined, currency: string | null | undefined) =>
    currency && amount !== undefined ? { amount, currency } : null;
  const orders = row?.orderCount ?? 0;
  return {
    orderCount: orders,
    totalSpent: money(row?.totalSpent, row?.currency),
    averageOrderValue: money(orders ? Math.round((row?.totalSpent ?? 0) / orders) : 0, row?.currency),
    units: row?.units ?? 0,
    returnedUnits: row?.returnedUnits ?? 0,
    negativeFeedback: row?.negativeFeedback ?? 0,
    discountReceived: money(row?.discountReceived, row?.currency),
    promoCodeOrders: row?.promoCodeOrders ?? 0,
    promoCodeShare: orders ? (row?.promoCodeOrders ?? 0) / orders : 0,
    firstOrderAt: row?.firstOrderAt ?? null,
    lastOrderAt: row?.lastOrderAt ?? null,
    walletBalance: money(row?.walletBalance, row?.walletCurrency),
  };
}
