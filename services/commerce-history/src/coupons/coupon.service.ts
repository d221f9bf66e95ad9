import { and, count, eq, inArray, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import { getTableColumns } from 'drizzle-orm';
import type { GraphQLError } from 'graphql';
import { auditChanges, auditSnapshot, type NewEvent } from '@cg/events';
import { isUniqueViolation, type Tx } from '@cg/db';
import {
  conflict,
  connectionByParentQuery,
  invalidField,
  keysetSort,
  loadInStore,
  money,
  notFound,
  parseInput,
  requireId,
  rootConnection,
  startsWith,
  type BaseContext,
  type ConnectionResult,
} from '@cg/subgraph';
import { couponRedemptions, coupons, type CouponRow, type OrderRow } from '../db/schema.ts';
import { audit } from '../audit-trail.ts';
import type { CommerceHistoryDb } from '../context.ts';
import type { CampaignService } from '../campaigns/campaign.service.ts';
import { OrderStatus } from '../orders/order.enum.ts';
import { CouponDiscountType, CouponRefusal, type CouponStatus } from './coupon.enum.ts';
import {
  couponFilterSchema,
  createCouponSchema,
  updateCouponSchema,
  type CouponFilter,
  type CouponFilterValues,
  type CreateCouponInput,
  type UpdateCouponInput,
} from './coupon.inputs.ts';
import { couponStatus, couponStatusesCondition } from './coupon.sql.ts';

const AUDIT_BOOKKEEPING = ['storeId', 'codeKey', 'timesUsed', 'createdAt', 'updatedAt'];
const DUPLICATE_CODE = 'is already the code of a coupon of this store (codes ignore case)';

/** Newest first; served by coupons_store_created_idx (store_id, created_at, id). */
const couponSort = keysetSort<CouponRow>('coupons:createdAt:desc', 'desc', [
  [coupons.createdAt, 'timestamptz', (row) => row.createdAt],
  [coupons.id, 'uuid', (row) => row.id],
]);

/** What Customer.coupons resolves to (the coupon as its row). */
export interface CustomerCouponResult {
  coupon: CouponRow;
  timesUsed: number;
  discountReceived: { amount: number; currency: string };
  lastUsedAt: Date;
}

/** Latest use first. */
const customerCouponSort = keysetSort<CustomerCouponResult>('customerCoupons:lastUsedAt:desc', 'desc', [
  [sql`s.last_used_at`, 'timestamptz', (row) => row.lastUsedAt],
  [sql`s.id`, 'uuid', (row) => row.coupon.id],
]);

/** What order intake hands over: the order as it will be recorded. */
interface CouponOrder {
  customerId: string | null;
  currency: string;
  status: string;
  /** The items after their own discounts: what a percentage or a fixed amount applies to. */
  itemsNet: number;
  /** Item discounts plus the order-level discount. */
  discount: number;
  shipping: number;
  placedAt: Date;
}

/** The coupons an order redeems, locked, each with what it takes off the order. */
interface CouponClaim {
  lines: { coupon: CouponRow; discount: number }[];
  /** Σ of the lines' discounts: the order's coupon_discount. */
  couponDiscount: number;
  /** A cancelled order's redemptions are recorded released: they use nothing up. */
  released: boolean;
}

/** CONFLICT with the reason a coupon is refused, naming the code's field. */
function refused(reason: CouponRefusal, field: string, message: string): GraphQLError {
  const error = conflict(message);
  Object.assign(error.extensions, { reason, fields: [{ field, message }] });
  return error;
}

export class CouponService {
  /** The instant of this request: statuses and status filters are decided against it. */
  private readonly now = new Date();

  constructor(
    private readonly db: CommerceHistoryDb,
    private readonly ctx: BaseContext,
    private readonly campaigns: CampaignService,
  ) {}

  load(id: string): Promise<CouponRow | null> {
    return loadInStore<CouponRow>(this.ctx, this.db, coupons, id);
  }

  async get(id: string): Promise<CouponRow | null> {
    requireId(id);
    return this.load(id);
  }

  statusOf(row: CouponRow): CouponStatus {
    return couponStatus(row, this.now);
  }

  /** The store's coupons, newest first, filtered by derived status, campaign and code prefix. */
  async list(args: {
    first?: number | null;
    after?: string | null;
    filter?: CouponFilter | null;
  }): Promise<ConnectionResult<CouponRow>> {
    const filter = parseInput(couponFilterSchema, args.filter ?? {}, 'filter');
    const conditions = and(eq(coupons.storeId, this.ctx.storeId), ...this.filterConditions(filter));
    return rootConnection(couponSort, args, {
      page: ({ after, orderBy, limit }) =>
        this.db
          .select()
          .from(coupons)
          .where(and(conditions, after))
          .orderBy(...orderBy)
          .limit(limit),
      count: () => this.db.select({ total: count() }).from(coupons).where(conditions),
    });
  }

  private filterConditions(filter: CouponFilterValues): SQL[] {
    const conditions: SQL[] = [];
    const status = couponStatusesCondition(filter.status, this.now);
    if (status) conditions.push(status);
    if (filter.campaignId) conditions.push(inArray(coupons.campaignId, filter.campaignId));
    if (filter.code) conditions.push(startsWith(coupons.codeKey, filter.code));
    return conditions;
  }

  async create(input: CreateCouponInput): Promise<CouponRow> {
    const data = parseInput(createCouponSchema, input, 'input');
    try {
      return await this.db.transaction(async (tx) => {
        if (data.campaignId) await this.campaigns.requireKnown(tx, [data.campaignId], 'input.campaignId');
        const [row] = await tx
          .insert(coupons)
          .values({ storeId: this.ctx.storeId, ...data, createdBy: this.ctx.principal.userId })
          .returning();
        await this.audit(tx, 'coupon.create', row!.id, null, auditSnapshot(row!, AUDIT_BOOKKEEPING));
        return row!;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'coupons_store_code_key')) throw invalidField('input.code', DUPLICATE_CODE);
      throw error;
    }
  }

  /** Dates and limits are checked together with the ones kept; the limit never goes below the uses. */
  async update(id: string, input: UpdateCouponInput): Promise<CouponRow> {
    requireId(id);
    const data = parseInput(updateCouponSchema, input, 'input');
    const { clear, ...set } = data;
    const changes: Partial<CouponRow> = Object.fromEntries(
      Object.entries(set).filter(([, value]) => value !== undefined),
    );
    for (const field of clear) Object.assign(changes, { [field]: null });
    return this.db.transaction(async (tx) => {
      const current = await this.lock(tx, id);
      const next = { ...current, ...changes };
      if (next.expiresAt && next.expiresAt <= next.startsAt)
        throw invalidField(data.expiresAt ? 'input.expiresAt' : 'input.startsAt', 'the expiry must be after the start');
      if (next.usageLimit !== null && next.usageLimit < current.timesUsed)
        throw invalidField('input.usageLimit', `must not be below the ${current.timesUsed} uses so far`);
      if (next.usageLimit !== null && next.perCustomerLimit !== null && next.perCustomerLimit > next.usageLimit)
        throw invalidField('input.perCustomerLimit', 'must not exceed usageLimit');
      if (data.campaignId) await this.campaigns.requireKnown(tx, [data.campaignId], 'input.campaignId');
      const [row] = await tx
        .update(coupons)
        .set({ ...changes, updatedAt: new Date() })
        .where(and(eq(coupons.storeId, this.ctx.storeId), eq(coupons.id, id)))
        .returning();
      const changed = auditChanges(current, row!, AUDIT_BOOKKEEPING);
      await this.audit(tx, 'coupon.update', id, changed.before, changed.after);
      return row!;
    });
  }

  /** The manual stop: orders naming the code are refused from then on; once stopped it stays so. */
  async stop(id: string): Promise<CouponRow> {
    requireId(id);
    return this.db.transaction(async (tx) => {
      const current = await this.lock(tx, id);
      if (current.stoppedAt) throw conflict('Coupon is already stopped');
      const [row] = await tx
        .update(coupons)
        .set({ stoppedAt: this.now, updatedAt: new Date() })
        .where(and(eq(coupons.storeId, this.ctx.storeId), eq(coupons.id, id)))
        .returning();
      await this.audit(tx, 'coupon.stop', id, { stoppedAt: null }, { stoppedAt: row!.stoppedAt!.toISOString() });
      return row!;
    });
  }

  private async lock(tx: Tx, id: string): Promise<CouponRow> {
    const [row] = await tx
      .select()
      .from(coupons)
      .where(and(eq(coupons.storeId, this.ctx.storeId), eq(coupons.id, id)))
      .for('update');
    if (!row) throw notFound('Coupon', id);
    return row;
  }

  private audit(
    tx: Tx,
    action: string,
    id: string,
    before: Record<string, unknown> | null,
    after: Record<string, unknown> | null,
  ) {
    return audit.record(tx, this.ctx, { action, entityType: 'Coupon', entityId: id, before, after });
  }

  /**
   * O8 intake, first half, before the order is written: locks the coupons the codes name (one
   * statement; in id order, so orders naming the same coupons queue rather than deadlock), refuses
   * the order when any cannot be redeemed, and works out each one's discount. The lock holds until
   * the order's transaction ends: of 20 orders racing for a single use, each waits for the one
   * before and then sees its use. Start, expiry and stop are judged at the order's placement.
   */
  async claim(tx: Tx, order: CouponOrder, codes: readonly string[], field: string): Promise<CouponClaim> {
    const released = order.status === OrderStatus.CANCELLED;
    if (codes.length === 0) return { lines: [], couponDiscount: 0, released };
    const keys = codes.map((code) => code.toLowerCase());
    const found = await tx
      .select()
      .from(coupons)
      .where(and(eq(coupons.storeId, this.ctx.storeId), inArray(coupons.codeKey, keys)))
      .orderBy(coupons.id)
      .for('update');
    const byKey = new Map(found.map((row) => [row.codeKey, row]));
    const unknown = keys.findIndex((key) => !byKey.has(key));
    if (unknown >= 0) throw invalidField(`${field}.${unknown}`, 'is not a coupon code of this store');
    const rows = keys.map((key) => byKey.get(key)!);
    const used = released ? new Map<string, number>() : await this.usesBy(tx, order.customerId, rows);
    const lines = rows.map((coupon, index) => {
      this.requireRedeemable(coupon, order.placedAt, released ? null : (used.get(coupon.id) ?? 0), `${field}.${index}`);
      return { coupon, discount: this.discountOf(coupon, order, `${field}.${index}`) };
    });
    const couponDiscount = lines.reduce((sum, line) => sum + line.discount, 0);
    // The sales platform computed the order's discount; it has to include what its coupons took off.
    if (couponDiscount > order.discount)
      throw invalidField('input.discount', `must cover the coupons' discount of ${couponDiscount}`);
    return { lines, couponDiscount, released };
  }

  /** `uses`: the customer's redemptions so far, null when the limits do not apply. */
  private requireRedeemable(coupon: CouponRow, placedAt: Date, uses: number | null, field: string): void {
    const code = coupon.code;
    if (coupon.stoppedAt && coupon.stoppedAt <= placedAt)
      throw refused(CouponRefusal.COUPON_STOPPED, field, `Coupon ${code} is stopped`);
    if (placedAt < coupon.startsAt)
      throw refused(CouponRefusal.COUPON_NOT_STARTED, field, `Coupon ${code} has not started yet`);
    if (coupon.expiresAt && placedAt >= coupon.expiresAt)
      throw refused(CouponRefusal.COUPON_EXPIRED, field, `Coupon ${code} has expired`);
    if (uses === null) return;
    if (coupon.usageLimit !== null && coupon.timesUsed >= coupon.usageLimit)
      throw refused(CouponRefusal.COUPON_USED_UP, field, `Coupon ${code} is used up`);
    if (coupon.perCustomerLimit !== null && uses >= coupon.perCustomerLimit)
      throw refused(CouponRefusal.COUPON_LIMIT_PER_CUSTOMER, field, `Coupon ${code} is used up for this customer`);
  }

  /**
   * What a coupon takes off: a percentage of the items after their own discounts (rounded down, so
   * a platform's rounding either way is covered), a fixed amount (in the order's currency, at most
   * the items), or the order's shipping (which the platform records in the discount as well).
   */
  private discountOf(coupon: CouponRow, order: CouponOrder, field: string): number {
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

  /** The customer's redemptions not released, per coupon; only for coupons with a per-customer limit. */
  private async usesBy(tx: Tx, customerId: string | null, rows: CouponRow[]): Promise<Map<string, number>> {
    const limited = rows.filter((row) => row.perCustomerLimit !== null).map((row) => row.id);
    // A guest's order counts against the total only: a guest has no identity to count under.
    if (!customerId || limited.length === 0) return new Map();
    const counts = await tx
      .select({ couponId: couponRedemptions.couponId, uses: count() })
      .from(couponRedemptions)
      .where(
        and(
          eq(couponRedemptions.storeId, this.ctx.storeId),
          eq(couponRedemptions.customerId, customerId),
          inArray(couponRedemptions.couponId, limited),
          isNull(couponRedemptions.releasedAt),
        ),
      )
      .groupBy(couponRedemptions.couponId);
    return new Map(counts.map((row) => [row.couponId, Number(row.uses)]));
  }

  /**
   * O8 intake, second half, once the order exists: counts the uses (the coupons are locked; the
   * check on times_used would refuse a use beyond the limit anyway), writes the redemptions and
   * returns their `coupon.redeemed` events.
   */
  async redeem(tx: Tx, order: OrderRow, claim: CouponClaim): Promise<NewEvent<'coupon.redeemed'>[]> {
    if (claim.lines.length === 0) return [];
    const ids = claim.lines.map((line) => line.coupon.id);
    if (!claim.released) await this.countUses(tx, ids, 1);
    await tx.insert(couponRedemptions).values(
      claim.lines.map((line) => ({
        storeId: this.ctx.storeId,
        couponId: line.coupon.id,
        orderId: order.id,
        customerId: order.customerId,
        discount: line.discount,
        currency: order.currency,
        releasedAt: claim.released ? new Date() : null,
      })),
    );
    return claim.lines.map((line) => ({
      type: 'coupon.redeemed',
      storeId: order.storeId,
      customerId: order.customerId,
      payload: {
        couponId: line.coupon.id,
        code: line.coupon.code,
        discount: line.discount,
        orderId: order.id,
        orderNumber: order.number,
        orderStatus: order.status,
        orderDiscount: order.discount,
        currency: order.currency,
        redeemedAt: order.createdAt.toISOString(),
      },
    }));
  }

  private async countUses(tx: Tx, ids: string[], delta: 1 | -1): Promise<void> {
    await tx
      .update(coupons)
      .set({ timesUsed: sql`${coupons.timesUsed} + ${delta}`, updatedAt: new Date() })
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
      if (released.length) await this.countUses(tx, released.map((row) => row.couponId).sort(), -1);
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
      const used = await this.usesBy(tx, order.customerId, rows);
      for (const coupon of rows) {
        const field = 'status';
        if (coupon.usageLimit !== null && coupon.timesUsed >= coupon.usageLimit)
          throw refused(CouponRefusal.COUPON_USED_UP, field, `Coupon ${coupon.code} is used up`);
        if (coupon.perCustomerLimit !== null && (used.get(coupon.id) ?? 0) >= coupon.perCustomerLimit)
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
      await this.countUses(
        tx,
        rows.map((row) => row.id),
        1,
      );
    }
  }

  private redemptionsOf(orderId: string, condition: SQL): SQL {
    return and(eq(couponRedemptions.storeId, this.ctx.storeId), eq(couponRedemptions.orderId, orderId), condition)!;
  }

  /**
   * O8: each coupon the customer's orders redeemed, once, with how often and what it took off,
   * released redemptions (cancelled orders) left out. One statement for every customer of the
   * request that asks the same page (coupon_redemptions_customer_idx finds each one's uses).
   */
  forCustomer(
    customerId: string,
    args: { first?: number | null; after?: string | null },
  ): Promise<ConnectionResult<CustomerCouponResult>> {
    const columns = Object.entries(getTableColumns(coupons));
    return connectionByParentQuery(this.ctx, this.db, {
      relation: 'couponsByCustomer',
      parentId: customerId,
      source: (parent) => this.usedBy(parent),
      sort: customerCouponSort,
      args,
      mapRow: (raw) => {
        const coupon: Record<string, unknown> = {};
        for (const [key, column] of columns) {
          const value = raw[column.name];
          coupon[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
        }
        return {
          coupon: coupon as CouponRow,
          timesUsed: Number(raw.customer_uses),
          discountReceived: money(Number(raw.customer_discount), String(raw.customer_currency)),
          lastUsedAt: couponRedemptions.createdAt.mapFromDriverValue(raw.last_used_at as string) as Date,
        };
      },
    });
  }

  private usedBy(parent: SQL): SQL {
    const own = this.ctx.principal.kind === 'customer' ? sql` and ${parent} = ${this.ctx.principal.userId}` : sql``;
    const uses = sql`select ${couponRedemptions.couponId} as coupon_id, count(*)::int as customer_uses,
        sum(${couponRedemptions.discount})::bigint as customer_discount,
        min(${couponRedemptions.currency}) as customer_currency, max(${couponRedemptions.createdAt}) as last_used_at
      from ${couponRedemptions}
      where ${couponRedemptions.storeId} = ${this.ctx.storeId} and ${couponRedemptions.customerId} = ${parent}${own}
        and ${couponRedemptions.releasedAt} is null
      group by ${couponRedemptions.couponId}`;
    return sql`select c.*, u.customer_uses, u.customer_discount, u.customer_currency, u.last_used_at
      from (${uses}) u join ${coupons} c on c.store_id = ${this.ctx.storeId} and c.id = u.coupon_id`;
  }
}

/** C1: a guest's orders linked to the profile bring their redemptions along (Customer.coupons). */
export async function linkRedemptions(tx: Tx, storeId: string, customerId: string, orderIds: string[]): Promise<void> {
  await tx
    .update(couponRedemptions)
    .set({ customerId })
    .where(and(eq(couponRedemptions.storeId, storeId), inArray(couponRedemptions.orderId, orderIds)));
}
