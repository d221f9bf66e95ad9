import { and, count, desc, eq, inArray, ne, sql, type SQL } from 'drizzle-orm';
import { auditChanges, auditSnapshot } from '@cg/events';
import type { Tx } from '@cg/db';
import {
  conflict,
  groupByKey,
  invalidField,
  keysetSort,
  loadInStore,
  money,
  notFound,
  ownRows,
  parseInput,
  requireId,
  rootConnection,
  type BaseContext,
  type ConnectionResult,
  zx,
} from '@cg/subgraph';
import { campaigns, orderCampaigns, orders, type CampaignRow } from '../db/schema.ts';
import { audit } from '../audit-trail.ts';
import type { CommerceHistoryDb } from '../context.ts';
import { OrderStatus } from '../orders/order.enum.ts';
import type { CustomerCampaign } from './campaign.type.ts';
import { CampaignStatus } from './campaign.enum.ts';
import {
  campaignFilterSchema,
  createCampaignSchema,
  updateCampaignSchema,
  type CampaignFilter,
  type CampaignFilterValues,
  type CreateCampaignInput,
  type UpdateCampaignInput,
} from './campaign.inputs.ts';
import { campaignStatus, campaignStatusesCondition } from './campaign.sql.ts';

const AUDIT_BOOKKEEPING = ['storeId', 'createdAt', 'updatedAt'];

/** Latest start first; served by campaigns_store_starts_idx (store_id, starts_at, id). */
const campaignSort = keysetSort<CampaignRow>('campaigns:startsAt:desc', 'desc', [
  [campaigns.startsAt, 'timestamptz', (row) => row.startsAt],
  [campaigns.id, 'uuid', (row) => row.id],
]);

/** What Customer.campaigns reads, one row per customer and campaign. */
interface CustomerCampaignRow {
  customerId: string | null;
  campaign: CampaignRow;
  orderCount: number;
  discount: number;
  currency: string;
}

/** What Customer.campaigns resolves to (the campaign as its row). */
export type CustomerCampaignResult = Omit<CustomerCampaign, 'campaign'> & { campaign: CampaignRow };

export class CampaignService {
  /**
   * The instant of this request: every status it reads and every status filter it runs is
   * decided against the same time.
   */
  private readonly now = new Date();

  constructor(
    private readonly db: CommerceHistoryDb,
    private readonly ctx: BaseContext,
  ) {}

  load(id: string): Promise<CampaignRow | null> {
    return loadInStore<CampaignRow>(this.ctx, this.db, campaigns, id);
  }

  async get(id: string): Promise<CampaignRow | null> {
    requireId(id);
    return this.load(id);
  }

  statusOf(row: CampaignRow): CampaignStatus {
    return campaignStatus(row, this.now);
  }

  /** The store's campaigns, latest start first, filtered by derived status and discount type. */
  async list(args: {
    first?: number | null;
    after?: string | null;
    filter?: CampaignFilter | null;
  }): Promise<ConnectionResult<CampaignRow>> {
    const filter = parseInput(campaignFilterSchema, args.filter ?? {}, 'filter');
    const conditions = and(eq(campaigns.storeId, this.ctx.storeId), ...this.filterConditions(filter));
    return rootConnection(campaignSort, args, {
      page: ({ after, orderBy, limit }) =>
        this.db
          .select()
          .from(campaigns)
          .where(and(conditions, after))
          .orderBy(...orderBy)
          .limit(limit),
      count: () => this.db.select({ total: count() }).from(campaigns).where(conditions),
    });
  }

  private filterConditions(filter: CampaignFilterValues): SQL[] {
    const conditions: SQL[] = [];
    const status = campaignStatusesCondition(filter.status, this.now);
    if (status) conditions.push(status);
    if (filter.discountType) conditions.push(inArray(campaigns.discountType, filter.discountType));
    return conditions;
  }

  async create(input: CreateCampaignInput): Promise<CampaignRow> {
    const data = parseInput(createCampaignSchema, input, 'input');
    return this.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(campaigns)
        .values({ storeId: this.ctx.storeId, ...data, createdBy: this.ctx.principal.userId })
        .returning();
      await this.audit(tx, 'campaign.create', row!.id, null, auditSnapshot(row!, AUDIT_BOOKKEEPING));
      return row!;
    });
  }

  /** The dates are checked together with the ones kept: the end stays after the start. */
  async update(id: string, input: UpdateCampaignInput): Promise<CampaignRow> {
    requireId(id);
    const data = parseInput(updateCampaignSchema, input, 'input');
    const changes = Object.fromEntries(Object.entries(data).filter(([, value]) => value !== undefined));
    return this.db.transaction(async (tx) => {
      const current = await this.lock(tx, id);
      const startsAt = data.startsAt ?? current.startsAt;
      const endsAt = data.endsAt ?? current.endsAt;
      if (endsAt <= startsAt)
        throw invalidField(data.endsAt ? 'input.endsAt' : 'input.startsAt', 'the end must be after the start');
      const [row] = await tx
        .update(campaigns)
        .set({ ...changes, updatedAt: new Date() })
        .where(and(eq(campaigns.storeId, this.ctx.storeId), eq(campaigns.id, id)))
        .returning();
      const changed = auditChanges(current, row!, AUDIT_BOOKKEEPING);
      await this.audit(tx, 'campaign.update', id, changed.before, changed.after);
      return row!;
    });
  }

  /** The manual stop, for a campaign that is scheduled or running; once stopped it stays so. */
  async stop(id: string): Promise<CampaignRow> {
    requireId(id);
    return this.db.transaction(async (tx) => {
      const current = await this.lock(tx, id);
      const status = campaignStatus(current, this.now);
      if (status === CampaignStatus.STOPPED) throw conflict('Campaign is already stopped');
      if (status === CampaignStatus.ENDED) throw conflict('Campaign has already ended');
      const [row] = await tx
        .update(campaigns)
        .set({ stoppedAt: this.now, updatedAt: new Date() })
        .where(and(eq(campaigns.storeId, this.ctx.storeId), eq(campaigns.id, id)))
        .returning();
      await this.audit(tx, 'campaign.stop', id, { stoppedAt: null }, { stoppedAt: row!.stoppedAt!.toISOString() });
      return row!;
    });
  }

  private async lock(tx: Tx, id: string): Promise<CampaignRow> {
    const [row] = await tx
      .select()
      .from(campaigns)
      .where(and(eq(campaigns.storeId, this.ctx.storeId), eq(campaigns.id, id)))
      .for('update');
    if (!row) throw notFound('Campaign', id);
    return row;
  }

  private audit(
    tx: Tx,
    action: string,
    id: string,
    before: Record<string, unknown> | null,
    after: Record<string, unknown> | null,
  ) {
    return audit.record(tx, this.ctx, { action, entityType: 'Campaign', entityId: id, before, after });
  }

  /**
   * Order intake: which of the ids the orders name are campaigns of the store, in one statement
   * for a whole batch. The key-share locks keep those campaigns there until the orders' rows
   * reference them.
   */
  async lockKnown(tx: Tx, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const found = await tx
      .select({ id: campaigns.id })
      .from(campaigns)
      .where(and(eq(campaigns.storeId, this.ctx.storeId), inArray(campaigns.id, [...new Set(ids)])))
      .for('key share');
    return new Set(found.map((row) => row.id));
  }

  /** A campaign a coupon belongs to: BAD_USER_INPUT on `field` unless the store has it. */
  async requireKnown(tx: Tx, id: string, field: string): Promise<void> {
    if (!(await this.lockKnown(tx, [id])).has(id)) throw invalidField(field, 'is not a campaign of this store');
  }

  /** The campaigns an order names, latest start first; one statement for every order of the request. */
  ofOrder(orderId: string): Promise<CampaignRow[]> {
    return this.ctx.loaders
      .get<string, CampaignRow[]>('campaignsByOrder', null, async (orderIds) => {
        const rows = await this.db
          .select({ orderId: orderCampaigns.orderId, campaign: campaigns })
          .from(orderCampaigns)
          .innerJoin(
            campaigns,
            and(eq(campaigns.storeId, orderCampaigns.storeId), eq(campaigns.id, orderCampaigns.campaignId)),
          )
          .where(and(eq(orderCampaigns.storeId, this.ctx.storeId), inArray(orderCampaigns.orderId, [...orderIds])))
          .orderBy(orderCampaigns.orderId, desc(campaigns.startsAt), desc(campaigns.id));
        return groupByKey(orderIds, rows, (row) => row.orderId).map((list) => list.map((row) => row.campaign));
      })
      .load(orderId);
  }

  /**
   * O7: each campaign the customer's orders name, once, with how many of those orders there are
   * and the discount they recorded (README: "Campaigns"). Cancelled orders brought nothing and are
   * left out. One statement for every customer of the request that asks with the same filter.
   */
  async forCustomer(customerId: string, filter: CampaignFilter | null): Promise<CustomerCampaignResult[]> {
    const parsed = parseInput(campaignFilterSchema, filter ?? {}, 'filter');
    if (!zx.id.safeParse(customerId).success) return [];
    const rows = await this.ctx.loaders
      .get<string, CustomerCampaignRow[]>('campaignsByCustomer', parsed, async (customerIds) => {
        const found = await this.db
          .select({
            customerId: orders.customerId,
            campaign: campaigns,
            orderCount: sql<number>`count(*)::int`.mapWith(Number),
            discount: sql<number>`sum(${orders.discount})::bigint`.mapWith(Number),
            // A customer's orders are in the store's one currency (intake refuses others).
            currency: sql<string>`min(${orders.currency})`,
          })
          .from(orders)
          .innerJoin(
            orderCampaigns,
            and(eq(orderCampaigns.storeId, orders.storeId), eq(orderCampaigns.orderId, orders.id)),
          )
          .innerJoin(
            campaigns,
            and(eq(campaigns.storeId, orderCampaigns.storeId), eq(campaigns.id, orderCampaigns.campaignId)),
          )
          .where(
            and(
              eq(orders.storeId, this.ctx.storeId),
              inArray(orders.customerId, [...customerIds]),
              ne(orders.status, OrderStatus.CANCELLED),
              ownRows(this.ctx, orders.customerId),
              ...this.filterConditions(parsed),
            ),
          )
          .groupBy(orders.customerId, campaigns.storeId, campaigns.id)
          .orderBy(orders.customerId, desc(campaigns.startsAt), desc(campaigns.id));
        return groupByKey(customerIds, found, (row) => row.customerId!);
      })
      .load(customerId.toLowerCase());
    return rows.map((row) => ({
      campaign: row.campaign,
      orderCount: row.orderCount,
      discount: money(row.discount, row.currency),
    }));
  }
}
