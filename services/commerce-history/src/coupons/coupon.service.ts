import { and, count, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { getTableColumns } from 'drizzle-orm';
import { auditChanges, auditSnapshot } from '@cg/events';
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
import { couponRedemptions, coupons, type CouponRow } from '../db/schema.ts';
import { audit } from '../audit-trail.ts';
import type { CommerceHistoryDb } from '../context.ts';
import type { CampaignService } from '../campaigns/campaign.service.ts';
import type { CouponStatus } from './coupon.enum.ts';
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
        if (data.campaignId) await this.campaigns.requireKnown(tx, data.campaignId, 'input.campaignId');
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
      if (data.campaignId) await this.campaigns.requireKnown(tx, data.campaignId, 'input.campaignId');
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
