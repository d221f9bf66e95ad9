import { and, count, eq, inArray, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import { GraphQLError } from 'graphql';
import type { NewEvent } from '@cg/events';
import type { Tx } from '@cg/db';
import { conflict, invalidField, type BaseContext } from '@cg/subgraph';
import { couponRedemptions, coupons, type CouponRow, type OrderRow } from '../db/schema.ts';
import { insertInBatches } from '../db/insert-in-batches.ts';
import { OrderStatus } from '../orders/order.enum.ts';
import { CouponDiscountType, CouponRefusal } from './coupon.enum.ts';

/** What order intake hands over: an order as it will be recorded, with the codes it names. */
export interface CouponOrder {
  customerId: string | null;
  currency: string;
  status: string;
  /** The items after their own discounts: what a percentage or a fixed amount applies to. */
  itemsNet: number;
  /** Item discounts plus the order-level discount. */
  discount: number;
  shipping: number;
  placedAt: Date;
  /** Distinct codes, as the intake schema leaves them. */
  codes: readonly string[];
}

/** The coupons an order redeems, locked, each with what it takes off the order. */
export interface CouponClaim {
  lines: { coupon: CouponRow; discount: number }[];
  /** Σ of the lines' discounts: the order's coupon_discount. */
  couponDiscount: number;
  /** A cancelled order's redemptions are recorded released: they use nothing up. */
  released: boolean;
}

const NO_COUPONS = (released: boolean): CouponClaim => ({ lines: [], couponDiscount: 0, released });

/** CONFLICT with the reason a coupon is refused, naming the code's field. */
function refused(reason: CouponRefusal, field: string, message: string): GraphQLError {
  const error = conflict(message);
  Object.assign(error.extensions, { reason, fields: [{ field, message }] });
  return error;
}

/** The uses a batch has claimed so far, so its later orders see them before they are written. */
class Uses {
  private readonly counts = new Map<string, number>();
  get(couponId: string, customerId: string | null = null): number {
    return this.counts.get(`${couponId}:${customerId ?? ''}`) ?? 0;
  }
  add(couponId: string, customerId: string | null = null, n = 1): void {
    this.counts.set(`${couponId}:${customerId ?? ''}`, this.get(couponId, customerId) + n);
  }
}

/**
 * O8: order intake redeems coupons, and status changes release and retake them. A batch of orders
 * (bulk intake; single intake is a batch of one) costs the same statements as one order.
 */
export class CouponRedemptionService {
  constructor(private readonly ctx: BaseContext) {}

  /**
   * Intake, first half, before the orders are written: locks every coupon the batch names (one
   * statement; in id order, so intakes naming the same coupons queue rather than deadlock), reads
   * the per-customer uses (one statement), and judges the orders in turn, each seeing the uses
   * of the ones before it. An order with a code that cannot be redeemed gets its error; nothing
   * is counted until `redeem`. The locks hold until the transaction ends: of 20 orders racing for
   * a single use, each waits for the one before and then sees its use. Start, expiry and stop are
   * judged at the order's placement, the limits at intake.
   */
  async claim(tx: Tx, orders: readonly CouponOrder[], field: string): Promise<(CouponClaim | GraphQLError)[]> {
    const keys = [...new Set(orders.flatMap((order) => order.codes.map((code) => code.toLowerCase())))];
    if (keys.length === 0) return orders.map((order) => NO_COUPONS(order.status === OrderStatus.CANCELLED));
    const found = await tx
      .select()
      .from(coupons)
      .where(and(eq(coupons.storeId, this.ctx.storeId), inArray(coupons.codeKey, keys)))
      .orderBy(coupons.id)
      .for('update');
    const byKey = new Map(found.map((row) => [row.codeKey, row]));
    const used = await this.usesBy(
      tx,
      orders.map((order) => order.customerId),
      found,
    );
    const claimed = new Uses();
    return orders.map((order) => {
      try {
        const claim = this.claimOne(order, byKey, used, claimed, field);
        if (!claim.released) {
          for (const { coupon } of claim.lines) {
            claimed.add(coupon.id);
            claimed.add(coupon.id, order.customerId);
          }
        }
        return claim;
      } catch (error) {
        if (!(error instanceof GraphQLError)) throw error;
        return error;
      }
    });
  }

  private claimOne(
    order: CouponOrder,
    byKey: Map<string, CouponRow>,
    used: Uses,
    claimed: Uses,
    field: string,
  ): CouponClaim {
    const released = order.status === OrderStatus.CANCELLED;
    if (order.codes.length === 0) return NO_COUPONS(released);
    const keys = order.codes.map((code) => code.toLowerCase());
    const unknown = keys.findIndex((key) => !byKey.has(key));
    if (unknown >= 0) throw invalidField(`${field}.${unknown}`, 'is not a coupon code of this store');
    const lines = keys.map((key, index) => {
      const coupon = byKey.get(key)!;
      const uses = released
        ? null
        : {
            total: coupon.timesUsed + claimed.get(coupon.id),
            customer: order.customerId
              ? used.get(coupon.id, order.customerId) + claimed.get(coupon.id, order.customerId)
              : 0,
          };
      requireRedeemable(coupon, order.placedAt, uses, `${field}.${index}`);
      return { coupon, discount: discountOf(coupon, order, `${field}.${index}`) };
    });
    const couponDiscount = lines.reduce((sum, line) => sum + line.discount, 0);
    // The sales platform computed the order's discount; it has to include what its coupons took off.
    if (couponDiscount > order.discount)
      throw invalidField('input.discount', `must cover the coupons' discount of ${couponDiscount}`);
    return { lines, couponDiscount, released };
  }

  /** Redemptions not released, per coupon and customer; only for coupons with a per-customer limit. */
  private async usesBy(tx: Tx, customerIds: readonly (string | null)[], rows: CouponRow[]): Promise<Uses> {
    const uses = new Uses();
    const limited = rows.filter((row) => row.perCustomerLimit !== null).map((row) => row.id);
    // A guest's order counts against the total only: a guest has no identity to count under.
    const customers = [...new Set(customerIds.filter((id): id is string => id !== null))];
    if (customers.length === 0 || limited.length === 0) return uses;
    const counts = await tx
      .select({ couponId: couponRedemptions.couponId, customerId: couponRedemptions.customerId, uses: count() })
      .from(couponRedemptions)
      .where(
        and(
          eq(couponRedemptions.storeId, this.ctx.storeId),
          inArray(couponRedemptions.customerId, customers),
          inArray(couponRedemptions.couponId, limited),
          isNull(couponRedemptions.releasedAt),
        ),
      )
      .groupBy(couponRedemptions.couponId, couponRedemptions.customerId);
    for (const row of counts) uses.add(row.couponId, row.customerId, Number(row.uses));
    return uses;
  }

  /**
   * Intake, second half, once the orders exist: counts the uses (one statement; the coupons are
   * locked, and the check on times_used would refuse a use beyond the limit anyway), writes the
   * redemptions and returns their `coupon.redeemed` events.
   */
  async redeem(
    tx: Tx,
    redeemed: readonly { order: OrderRow; claim: CouponClaim }[],
  ): Promise<NewEvent<'coupon.redeemed'>[]> {
    const lines = redeemed.flatMap(({ order, claim }) => claim.lines.map((line) => ({ order, claim, ...line })));
    if (lines.length === 0) return [];
    const uses = new Map<string, number>();
    for (const line of lines) if (!line.claim.released) uses.set(line.coupon.id, (uses.get(line.coupon.id) ?? 0) + 1);
    await this.countUses(tx, uses);
    await insertInBatches(
      couponRedemptions,
      lines.map(({ order, claim, coupon, discount }) => ({
        storeId: this.ctx.storeId,
        couponId: coupon.id,
        orderId: order.id,
        customerId: order.customerId,
        discount,
        currency: order.currency,
        releasedAt: claim.released ? new Date() : null,
      })),
      (values) =>
        tx
          .insert(couponRedemptions)
          .values(values)
          .then(() => []),
    );
    return lines.map(({ order, coupon, discount }) => ({
      type: 'coupon.redeemed',
      storeId: order.storeId,
      customerId: order.customerId,
      payload: {
        couponId: coupon.id,
        code: coupon.code,
        discount,
        orderId: order.id,
        orderNumber: order.number,
        orderStatus: order.status,
        orderDiscount: order.discount,
        currency: order.currency,
        redeemedAt: order.createdAt.toISOString(),
      },
    }));
  }

  /** Adds each coupon's uses (negative: gives them back), in one statement. */
  private async countUses(tx: Tx, uses: ReadonlyMap<string, number>): Promise<void> {
    const ids = [...uses.keys()].sort();
    if (ids.length === 0) return;
    const delta = sql.join(
      ids.map((id) => sql`when ${id}::uuid then ${uses.get(id)!}::int`),
      sql` `,
    );
    await tx
      .update(coupons)
      .set({ timesUsed: sql`${coupons.timesUsed} + (case ${coupons.id} ${delta} end)`, updatedAt: new Date() })
      .where(and(eq(coupons.storeId, this.ctx.storeId), inArray(coupons.id, ids)));
  }

  /**
   * An order's status moves (`order` is locked, before the change): cancelling gives its coupons'
   * uses back; leaving CANCELLED takes them again, if they are still to be had (else CONFLICT with
   * the reason, and the status stays). Start, expiry and stop were judged when the order was
   * placed and are not judged again.
   */
  async onStatusChange(tx: Tx, order: OrderRow, to: string): Promise<void> {
    if (to === OrderStatus.CANCELLED && order.status !== OrderStatus.CANCELLED) {
      const released = await tx
        .update(couponRedemptions)
        .set({ releasedAt: new Date() })
        .where(this.redemptionsOf(order.id, isNull(couponRedemptions.releasedAt)))
        .returning({ couponId: couponRedemptions.couponId });
      await this.countUses(tx, new Map(released.map((row) => [row.couponId, -1])));
    } else if (order.status === OrderStatus.CANCELLED && to !== OrderStatus.CANCELLED) {
      const rows = await tx
        .select()
        .from(coupons)
        .where(
          and(
            eq(coupons.storeId, this.ctx.storeId),
            inArray(
              coupons.id,
              tx
                .select({ id: couponRedemptions.couponId })
                .from(couponRedemptions)
                .where(this.redemptionsOf(order.id, isNotNull(couponRedemptions.releasedAt))),
            ),
          ),
        )
        .orderBy(coupons.id)
        .for('update');
      if (rows.length === 0) return;
      const used = await this.usesBy(tx, [order.customerId], rows);
      for (const coupon of rows) {
        const field = 'status';
        if (coupon.usageLimit !== null && coupon.timesUsed >= coupon.usageLimit)
          throw refused(CouponRefusal.COUPON_USED_UP, field, `Coupon ${coupon.code} is used up`);
        if (coupon.perCustomerLimit !== null && used.get(coupon.id, order.customerId) >= coupon.perCustomerLimit)
          throw refused(
            CouponRefusal.COUPON_LIMIT_PER_CUSTOMER,
            field,
            `Coupon ${coupon.code} is used up for this customer`,
          );
      }
      await tx
        .update(couponRedemptions)
        .set({ releasedAt: null })
        .where(this.redemptionsOf(order.id, isNotNull(couponRedemptions.releasedAt)));
      await this.countUses(tx, new Map(rows.map((row) => [row.id, 1])));
    }
  }

  private redemptionsOf(orderId: string, condition: SQL): SQL {
    return and(eq(couponRedemptions.storeId, this.ctx.storeId), eq(couponRedemptions.orderId, orderId), condition)!;
  }
}

/** `uses`: the coupon's uses so far, in total and by this customer; null when the limits do not apply. */
function requireRedeemable(
  coupon: CouponRow,
  placedAt: Date,
  uses: { total: number; customer: number } | null,
  field: string,
): void {
  const code = coupon.code;
  if (coupon.stoppedAt && coupon.stoppedAt <= placedAt)
    throw refused(CouponRefusal.COUPON_STOPPED, field, `Coupon ${code} is stopped`);
  if (placedAt < coupon.startsAt)
    throw refused(CouponRefusal.COUPON_NOT_STARTED, field, `Coupon ${code} has not started yet`);
  if (coupon.expiresAt && placedAt >= coupon.expiresAt)
    throw refused(CouponRefusal.COUPON_EXPIRED, field, `Coupon ${code} has expired`);
  if (uses === null) return;
  if (coupon.usageLimit !== null && uses.total >= coupon.usageLimit)
    throw refused(CouponRefusal.COUPON_USED_UP, field, `Coupon ${code} is used up`);
  if (coupon.perCustomerLimit !== null && uses.customer >= coupon.perCustomerLimit)
    throw refused(CouponRefusal.COUPON_LIMIT_PER_CUSTOMER, field, `Coupon ${code} is used up for this customer`);
}

/**
 * What a coupon takes off: a percentage of the items after their own discounts (rounded down, so
 * a platform's rounding either way is covered), a fixed amount (in the order's currency, at most
 * the items), or the order's shipping (which the platform records in the discount as well).
 */
function discountOf(coupon: CouponRow, order: CouponOrder, field: string): number {
  switch (coupon.discountType as CouponDiscountType) {
    case CouponDiscountType.PERCENTAGE:
      return Math.floor((order.itemsNet * coupon.amount) / 10_000);
    case CouponDiscountType.FIXED_AMOUNT:
      if (coupon.currency !== order.currency)
        throw invalidField(field, `is a coupon in ${coupon.currency}, not the order's ${order.currency}`);
      return Math.min(coupon.amount, order.itemsNet);
    case CouponDiscountType.FREE_SHIPPING:
      return order.shipping;
  }
}
