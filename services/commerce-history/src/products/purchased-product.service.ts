import { sql, type SQL } from 'drizzle-orm';
import {
  connectionByParentQuery,
  keysetSort,
  money,
  SortDirection,
  type BaseContext,
  type ConnectionResult,
  type KeysetKey,
} from '@cg/subgraph';
import { orderItems, orders } from '../db/schema.ts';
import type { CommerceHistoryDb } from '../context.ts';
import { cancelledUnitsSql, returnedUnitsSql } from '../orders/order-outcome.ts';
import { PurchasedProductSort, type PurchasedProductRow } from './purchased-product.type.ts';

/** Orders that are not purchases, as the customer's metrics count them. */
const NOT_PURCHASES = ['draft', 'cancelled', 'expired', 'returned'];

const SORT_KEYS: Record<PurchasedProductSort, KeysetKey<PurchasedProductRow>> = {
  [PurchasedProductSort.UNITS]: [sql`s.units`, 'bigint', (row) => row.units],
  [PurchasedProductSort.AMOUNT]: [sql`s.amount`, 'bigint', (row) => row.amount.amount],
  [PurchasedProductSort.LAST_PURCHASE]: [sql`s.last_purchased_at`, 'timestamptz', (row) => row.lastPurchasedAt],
};

/** The sort, then the product id and SKU, which are unique per product. */
function productSort(sort: PurchasedProductSort, direction: SortDirection) {
  return keysetSort<PurchasedProductRow>(`purchased:${sort}:${direction}`, direction, [
    SORT_KEYS[sort],
    [sql`s.product_id`, 'text', (row) => row.productId],
    [sql`s.sku_key`, 'text', (row) => row.skuKey],
  ]);
}

/**
 * O6: a customer's purchased products, from the lines of their purchases. Returns are recorded
 * per order, not per line (order_requests hold units), so an order's returned units
 * (order-outcome.ts) are allocated to its lines in proportion to their quantities: each line gets
 * the whole part of quantity × returned ÷ order units, and the units left go one each to the lines
 * with the largest remainders, the earlier line first on a tie. Units are net of returns and of
 * partial cancellations (order-outcome.ts), allocated together the same way, as the P&L does.
 */
export class PurchasedProductService {
  constructor(
    private readonly db: CommerceHistoryDb,
    private readonly ctx: BaseContext,
  ) {}

  forCustomer(
    customerId: string,
    args: {
      first?: number | null;
      after?: string | null;
      sort?: PurchasedProductSort | null;
      direction?: SortDirection | null;
    },
  ): Promise<ConnectionResult<PurchasedProductRow>> {
    const sort = args.sort ?? PurchasedProductSort.UNITS;
    const direction = args.direction ?? SortDirection.DESC;
    return connectionByParentQuery(this.ctx, this.db, {
      relation: 'purchasedProductsByCustomer',
      parentId: customerId,
      source: (parent) => this.products(parent),
      sort: productSort(sort, direction),
      filterKey: [sort, direction],
      args,
      mapRow: (raw) => ({
        productId: String(raw.product_id),
        sku: raw.sku === null || raw.sku === undefined ? null : String(raw.sku),
        skuKey: String(raw.sku_key),
        name: String(raw.name),
        orders: Number(raw.orders),
        units: Number(raw.units),
        returnedUnits: Number(raw.returned_units),
        amount: money(Number(raw.amount), String(raw.currency)),
        lastPurchasedAt: orders.createdAt.mapFromDriverValue(raw.last_purchased_at as string) as Date,
      }),
    });
  }

  private products(parent: SQL): SQL {
    const own = this.ctx.principal.kind === 'customer' ? sql` and ${parent} = ${this.ctx.principal.userId}` : sql``;
    const notPurchases = `{${NOT_PURCHASES.join(',')}}`;
    const lines = sql`select ${orderItems.productId} as product_id, ${orderItems.sku} as sku, ${orderItems.name} as name,
        ${orderItems.quantity} as quantity, ${orderItems.total} as total, ${orderItems.position} as position,
        ${orders.id} as order_id, ${orders.createdAt} as created_at, ${orders.currency} as currency,
        ${orders.units} as order_units, ${returnedUnitsSql} as returned, ${cancelledUnitsSql} as cancelled
      from ${orders} join ${orderItems} on ${orderItems.storeId} = ${orders.storeId} and ${orderItems.orderId} = ${orders.id}
      where ${orders.storeId} = ${this.ctx.storeId} and ${orders.customerId} = ${parent}${own}
        and ${orders.status} <> all(${notPurchases}::commerce_history.order_status[])`;
    const allocated = sql`select l.*, l.quantity * l.returned / greatest(l.order_units, 1) as share,
        row_number() over (partition by l.order_id
          order by l.quantity * l.returned % greatest(l.order_units, 1) desc, l.position) as remainder_rank,
        l.quantity * (l.returned + l.cancelled) / greatest(l.order_units, 1) as gone_share,
        row_number() over (partition by l.order_id
          order by l.quantity * (l.returned + l.cancelled) % greatest(l.order_units, 1) desc, l.position) as gone_rank
      from (${lines}) l`;
    const perLine = sql`select a.*, a.share + case when a.remainder_rank
          <= a.returned - sum(a.share) over (partition by a.order_id) then 1 else 0 end as line_returned,
        a.gone_share + case when a.gone_rank
          <= a.returned + a.cancelled - sum(a.gone_share) over (partition by a.order_id) then 1 else 0 end as line_gone
      from (${allocated}) a`;
    return sql`select b.product_id, coalesce(b.sku, '') as sku_key, max(b.sku) as sku,
        (array_agg(b.name order by b.created_at desc, b.order_id desc))[1] as name,
        count(distinct b.order_id)::bigint as orders, (sum(b.quantity) - sum(b.line_gone))::bigint as units,
        sum(b.line_returned)::bigint as returned_units, sum(b.total)::bigint as amount,
        max(b.created_at) as last_purchased_at, max(b.currency) as currency
      from (${perLine}) b
      group by b.product_id, coalesce(b.sku, '')`;
  }
}
