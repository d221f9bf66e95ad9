import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { BaseContext } from '@cg/subgraph';
import { customerMetrics, customers, stores } from '../db/schema/index.ts';
import type { CustomerDb } from '../context.ts';
import { isLoyaltyMember } from '../metrics/metrics.projection.ts';
import type { CustomerStatistics } from './statistics.type.ts';

export class StatisticsService {
  constructor(
    private readonly db: CustomerDb,
    private readonly ctx: BaseContext,
  ) {}

  /**
   * One statement: an aggregate over the store's metrics rows and one over its profiles (each a
   * scan of that store's rows only, reached through the (store_id, …) indexes), cross-joined as
   * two one-row subqueries; the store's currency is an uncorrelated subquery, evaluated once.
   */
  async forStore(): Promise<CustomerStatistics> {
    const storeId = this.ctx.storeId;
    const number = (expression: SQL) => sql<number>`coalesce(${expression}, 0)::bigint`.mapWith(Number);
    const storeCurrency = sql`(select ${stores.currency} from ${stores} where ${stores.id} = ${storeId})`;
    const m = this.db
      .select({
        active: number(sql`count(*) filter (where ${customerMetrics.lastOrderAt} >= now() - interval '30 days')`).as(
          'active',
        ),
        orders: number(sql`sum(${customerMetrics.orderCount})`).as('orders'),
        units: number(sql`sum(${customerMetrics.units})`).as('units'),
        returned: number(sql`sum(${customerMetrics.returnedUnits})`).as('returned'),
        buyers: number(sql`count(*) filter (where ${customerMetrics.orderCount} >= 1)`).as('buyers'),
        repeaters: number(sql`count(*) filter (where ${customerMetrics.orderCount} >= 2)`).as('repeaters'),
        loyaltyMembers: number(sql`count(*) filter (where ${isLoyaltyMember})`).as('loyalty_members'),
        spentInStoreCurrency: number(
          sql`sum(${customerMetrics.totalSpent}) filter (where ${customerMetrics.currency} = ${storeCurrency})`,
        ).as('spent_in_store_currency'),
        ordersInStoreCurrency: number(
          sql`sum(${customerMetrics.orderCount}) filter (where ${customerMetrics.currency} = ${storeCurrency})`,
        ).as('orders_in_store_currency'),
        currency: sql<string | null>`${storeCurrency}`.as('currency'),
      })
      .from(customerMetrics)
      .where(eq(customerMetrics.storeId, storeId))
      .as('m');
    const c = this.db
      .select({
        total: number(sql`count(*)`).as('total'),
        newThisMonth: number(
          sql`count(*) filter (where ${customers.createdAt} >= date_trunc('month', now(), 'UTC'))`,
        ).as('new_this_month'),
      })
      .from(customers)
      // C5: deleted profiles are no customers of the store; their orders still count above.
      .where(and(eq(customers.storeId, storeId), isNull(customers.deletedAt)))
      .as('c');
    const [row] = await this.db.select().from(m).crossJoin(c);
    const figures = row!;
    const average =
      figures.m.ordersInStoreCurrency > 0 && figures.m.currency
        ? {
            amount: Math.round(figures.m.spentInStoreCurrency / figures.m.ordersInStoreCurrency),
            currency: figures.m.currency,
          }
        : null;
    return {
      totalCustomers: figures.c.total,
      activeLast30Days: figures.m.active,
      newThisMonth: figures.c.newThisMonth,
      averageOrderValue: average,
      repeatCustomerRate: figures.m.buyers > 0 ? figures.m.repeaters / figures.m.buyers : null,
      loyaltyMembers: figures.m.loyaltyMembers,
      ordersCount: figures.m.orders,
      unitsSold: figures.m.units,
      returnedUnits: figures.m.returned,
    };
  }
}
