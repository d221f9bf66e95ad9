import { auditSnapshot, recordEvents, type NewEvent, type OrderFacts } from '@cg/events';
import { and, asc, eq, gte, inArray, isNull, lte, sql, type SQL } from 'drizzle-orm';
import { GraphQLError } from 'graphql';
import { isUniqueViolation, type Tx } from '@cg/db';
import {
  conflict,
  money,
  notFound,
  parseInput,
  type BaseContext,
  type ConnectionResult,
  type CustomerDirectory,
  invalidField,
  loadInStore,
  ownRows,
  byKey,
  requireId,
  connectionByParent,
  type ParentRows,
  keysetSort,
  loadByParent,
  listByParent,
} from '@cg/subgraph';
import {
  orderCampaigns,
  orderItems,
  orderRequests,
  orderStatusChanges,
  orders,
  outbox,
  type OrderItemRow,
  type OrderRow,
  type OrderStatusChangeRow,
} from '../db/schema.ts';
import { audit } from '../audit-trail.ts';
import type { CommerceHistoryDb } from '../context.ts';
import { callerIp } from '../caller.ts';
import {
  customerOrdersFilterSchema,
  guestLookupSchema,
  orderNumber,
  orderTotals,
  recordOrderSchema,
  updateOrderStatusSchema,
  type CustomerOrdersFilter,
  type RecordOrderInput,
} from './order.inputs.ts';
import { ORDER_LIST_BOUNDS, type OrderItem, type OrderStatus } from './order.type.ts';
import { cancelledPart, loadOrderOutcome, orderOutcome, orderOutcomes, type OrderOutcome } from './order-outcome.ts';
import { profitAndLoss, type ProfitAndLoss } from './order-profit.ts';
import { insertInBatches } from '../db/insert-in-batches.ts';
import { blacklistedContactErrors } from '../blacklist/blacklist.check.ts';
import type { CampaignService } from '../campaigns/campaign.service.ts';
import type { CouponClaim, CouponOrder, CouponRedemptionService } from '../coupons/coupon-redemption.service.ts';

const NO_OUTCOME: OrderOutcome = { returnedUnits: 0, negativeFeedback: false, cancelledUnits: 0, cancelledAmount: 0 };

export const DUPLICATE_ORDER_NUMBER = 'Order number is already used';

/** Newest first; served by orders_store_customer_created_idx (store_id, customer_id, created_at, id). */
const orderSort = keysetSort<OrderRow>('orders:createdAt:desc', 'desc', [
  [orders.createdAt, 'timestamptz', (row) => row.createdAt],
  [orders.id, 'uuid', (row) => row.id],
]);

export class OrderService {
  constructor(
    private readonly db: CommerceHistoryDb,
    private readonly ctx: BaseContext,
    private readonly directory: CustomerDirectory,
    private readonly campaigns: CampaignService,
    private readonly redemptions: CouponRedemptionService,
  ) {}

  /** A signed-in customer finds only their own orders (O10). */
  load(id: string): Promise<OrderRow | null> {
    return loadInStore(this.ctx, this.db, orders, id, { where: ownRows(this.ctx, orders.customerId) });
  }

  async get(id: string): Promise<OrderRow | null> {
    requireId(id);
    return this.load(id);
  }

  async getByNumber(number: string): Promise<OrderRow | null> {
    const parsed = parseInput(orderNumber, number, 'number');
    const [row] = await this.db
      .select()
      .from(orders)
      .where(
        and(eq(orders.storeId, this.ctx.storeId), eq(orders.number, parsed), ownRows(this.ctx, orders.customerId)),
      );
    return row ?? null;
  }

  /**
   * O10: a storefront without a signed-in customer finds a guest order only by its number: 1–10
   * numbers of exactly 10 uppercase letters or digits, in one statement. Orders of registered
   * customers are theirs to see when signed in.
   */
  async guestLookup(numbers: string[]): Promise<OrderRow[]> {
    const parsed = parseInput(guestLookupSchema, numbers, 'numbers');
    const rows = await this.db
      .select()
      .from(orders)
      .where(and(eq(orders.storeId, this.ctx.storeId), inArray(orders.number, parsed), isNull(orders.customerId)));
    return byKey(parsed, rows, (row) => row.number).filter((row): row is OrderRow => row !== null);
  }

  /** O3: one statement for every customer of the request that asks the same question. */
  async forCustomer(
    customerId: string,
    args: { first?: number | null; after?: string | null; filter?: CustomerOrdersFilter | null },
  ): Promise<ConnectionResult<OrderRow>> {
    const filter = parseInput(customerOrdersFilterSchema, args.filter ?? {}, 'filter');
    return connectionByParent(this.ctx, this.db, {
      relation: 'ordersByCustomer',
      parentId: customerId,
      table: orders,
      parentColumn: orders.customerId,
      sort: orderSort,
      where: and(...this.customerOrderFilters(filter)),
      filterKey: filter,
      args,
    });
  }

  /**
   * C13: the orders placed with a guest's contact (email, case-insensitively, or phone), linked
   * to a profile since or not; one statement for every guest of the request.
   */
  forGuest(
    contact: { email: string | null; phone: string | null },
    args: { first?: number | null; after?: string | null },
  ): Promise<ConnectionResult<OrderRow>> {
    return connectionByParent(this.ctx, this.db, {
      relation: 'ordersByGuest',
      parentId: JSON.stringify([contact.email?.toLowerCase() ?? null, contact.phone ?? null]),
      table: orders,
      parents: guestContacts(this.ctx.storeId),
      sort: orderSort,
      where: eq(orders.storeId, this.ctx.storeId),
      args,
    });
  }

  private customerOrderFilters(filter: ReturnType<typeof customerOrdersFilterSchema.parse>): SQL[] {
    const conditions: SQL[] = [eq(orders.storeId, this.ctx.storeId)];
    const own = ownRows(this.ctx, orders.customerId);
    if (own) conditions.push(own);
    if (filter.from) conditions.push(gte(orders.createdAt, filter.from));
    if (filter.to) conditions.push(lte(orders.createdAt, filter.to));
    if (filter.status?.length) conditions.push(inArray(orders.status, filter.status));
    if (filter.requestType) {
      conditions.push(sql`exists (
        select 1 from ${orderRequests}
        where ${orderRequests.orderId} = ${orders.id}
          and ${orderRequests.storeId} = ${orders.storeId}
          and ${orderRequests.type} = ${filter.requestType})`);
    }
    return conditions;
  }

  /** The order's lines, in the order they were recorded, with the order's currency. */
  async itemsOf(order: OrderRow): Promise<OrderItem[]> {
    const rows = await this.itemRowsOf(order.id);
    return rows.map((row) => ({
      id: row.id,
      productId: row.productId,
      sku: row.sku,
      name: row.name,
      quantity: row.quantity,
      unitPrice: money(row.unitPrice, order.currency),
      discount: money(row.discount, order.currency),
      total: money(row.total, order.currency),
      unitCost: row.unitCost === null ? null : money(row.unitCost, order.currency),
    }));
  }

  /** Every line of the order (intake caps them at 500), batched for every order of the request. */
  private itemRowsOf(orderId: string): Promise<OrderItemRow[]> {
    return loadByParent<OrderItemRow>(this.ctx, this.db, {
      relation: 'itemsByOrder',
      table: orderItems,
      parentColumn: orderItems.orderId,
      parentId: orderId,
      orderBy: [asc(orderItems.orderId), asc(orderItems.position)],
    });
  }

  /** What became of the order (returned and cancelled units), batched for every order of the request. */
  outcomeOf(orderId: string): Promise<OrderOutcome> {
    return loadOrderOutcome(this.ctx, this.db, orderId).then((outcome) => outcome ?? NO_OUTCOME);
  }

  /**
   * O3: the order's P&L (order-profit.ts) from its row, its lines and its outcome: with the items
   * and the units, two statements for every order of the request, shared with those fields.
   */
  async profitAndLossOf(order: OrderRow): Promise<ProfitAndLoss> {
    const [items, outcome] = await Promise.all([this.itemRowsOf(order.id), this.outcomeOf(order.id)]);
    return profitAndLoss({ ...order, ...outcome, items });
  }

  /** Oldest first: the status the order was recorded with, then every change; the first `first`. */
  statusHistoryOf(orderId: string, first?: number | null): Promise<OrderStatusChangeRow[]> {
    return listByParent(this.ctx, this.db, {
      relation: 'statusHistoryByOrder',
      table: orderStatusChanges,
      parentColumn: orderStatusChanges.orderId,
      parentId: orderId,
      orderBy: [asc(orderStatusChanges.createdAt), asc(orderStatusChanges.id)],
      first,
      bounds: ORDER_LIST_BOUNDS.statusHistory,
    });
  }

  /** O1 intake: the order, its items and its first status-history entry, in one transaction. */
  async record(input: RecordOrderInput): Promise<OrderRow> {
    const [result] = await this.recordMany([input]);
    if ('error' in result!) throw result.error;
    return result!.order;
  }

  /**
   * O1 intake of many orders at once; single intake is a batch of one, so both check, write and
   * announce alike. Set-based: each step is one statement for the whole batch (more only past
   * PostgreSQL's parameter limit), so 1,000 orders cost what 10 do in round trips. A row that
   * fails a check gets its error and writes nothing; the other rows are recorded. A number the
   * store already has, or one recorded earlier in the same batch, is CONFLICT.
   */
  async recordMany(inputs: readonly RecordOrderInput[]): Promise<IntakeResult[]> {
    const errors = new Map<number, GraphQLError>();
    const parsed = inputs.map((input, index) =>
      attempt(errors, index, () => parseInput(recordOrderSchema, input, 'input')),
    );
    // A customer of the store, neither erased nor blocked (C14), buying in the store's currency:
    // the customer's figures are sums of their orders, which one currency keeps meaningful.
    await Promise.all(
      parsed.map(async (data, index) => {
        if (!data?.customerId) return;
        await attemptAsync(errors, index, async () => {
          const customer = await this.directory.require(data.customerId!, 'order');
          if (customer.currency && data.currency !== customer.currency)
            throw invalidField('input.currency', `must be ${customer.currency}, the store's currency`);
        });
      }),
    );
    // C14: a blacklisted contact's orders, a guest's or a customer's, are refused as a blocked customer's are.
    const blacklisted = await blacklistedContactErrors(
      this.db,
      this.ctx,
      parsed.flatMap((data, index) =>
        data && !errors.has(index) ? [{ index, customerId: data.customerId, guest: data.guest }] : [],
      ),
    );
    for (const [index, error] of blacklisted) errors.set(index, error);
    const pending = parsed.flatMap((data, index) => (data && !errors.has(index) ? [{ index, data }] : []));
    let recorded: { index: number; order: OrderRow }[];
    try {
      recorded = pending.length ? await this.db.transaction((tx) => this.writeOrders(tx, pending, errors)) : [];
    } catch (error) {
      if (error instanceof GraphQLError || inputs.length === 1) throw translate(error);
      // A row the checks let through and the database refused (a constraint): each row again on
      // its own, so the others are kept and the refusal is that row's alone.
      // One after another: each is a savepoint of the request's one connection.
      const results: IntakeResult[] = [];
      for (const [index, input] of inputs.entries()) {
        const error = errors.get(index);
        results.push(error ? { error } : (await this.recordMany([input]))[0]!);
      }
      return results;
    }
    const orderAt = new Map(recorded.map(({ index, order }) => [index, order]));
    return inputs.map((_, index) => {
      const order = orderAt.get(index);
      return order ? { order } : { error: errors.get(index)! };
    });
  }

  /** The orders of `rows` that pass the campaign and number checks, written and announced. */
  private async writeOrders(
    tx: Tx,
    rows: { index: number; data: RecordOrderData }[],
    errors: Map<number, GraphQLError>,
  ): Promise<{ index: number; order: OrderRow }[]> {
    const storeId = this.ctx.storeId;
    const known = await this.campaigns.lockKnown(
      tx,
      rows.flatMap(({ data }) => data.campaignIds),
    );
    const valid = rows.filter(({ index, data }) => {
      const unknown = data.campaignIds.findIndex((id) => !known.has(id));
      if (unknown >= 0)
        errors.set(index, invalidField(`input.campaignIds.${unknown}`, 'is not a campaign of this store'));
      return unknown < 0;
    });
    const claims = await this.redemptions.claim(
      tx,
      valid.map(({ data }) => couponOrder(data)),
      'input.couponCodes',
    );
    const claimed = valid.flatMap((row, position) => {
      const claim = claims[position]!;
      if (claim instanceof GraphQLError) {
        errors.set(row.index, claim);
        return [];
      }
      return [{ ...row, claim }];
    });
    if (claimed.length === 0) return [];
    // A number taken (by an earlier row, or a concurrent intake, whose commit this waits for)
    // inserts nothing and returns no row.
    const inserted = await insertInBatches(
      orders,
      claimed.map(({ data, claim }) => orderValues(storeId, data, claim.couponDiscount)),
      (values) =>
        tx
          .insert(orders)
          .values(values)
          .onConflictDoNothing({ target: [orders.storeId, orders.number] })
          .returning(),
    );
    const byNumber = new Map(inserted.map((order) => [order.number, order]));
    const recorded: { index: number; data: RecordOrderData; order: OrderRow; claim: CouponClaim }[] = [];
    for (const { index, data, claim } of claimed) {
      const order = byNumber.get(data.number);
      byNumber.delete(data.number);
      if (order) recorded.push({ index, data, order, claim });
      else errors.set(index, conflict(DUPLICATE_ORDER_NUMBER));
    }
    if (recorded.length === 0) return [];
    await insertInBatches(
      orderItems,
      recorded.flatMap(({ data, order }) => itemValues(storeId, order.id, data)),
      (values) =>
        tx
          .insert(orderItems)
          .values(values)
          .then(() => []),
    );
    await insertInBatches(
      orderCampaigns,
      recorded.flatMap(({ data, order }) =>
        data.campaignIds.map((campaignId) => ({ storeId, orderId: order.id, campaignId })),
      ),
      (values) =>
        tx
          .insert(orderCampaigns)
          .values(values)
          .then(() => []),
    );
    await insertInBatches(
      orderStatusChanges,
      recorded.map(({ order }) =>
        this.statusChangeValues(order, null, order.status as OrderStatus, null, order.createdAt),
      ),
      (values) =>
        tx
          .insert(orderStatusChanges)
          .values(values)
          .then(() => []),
    );
    const outcomes = await orderOutcomes(
      tx,
      storeId,
      recorded.map(({ order }) => order.id),
    );
    const events = recorded.flatMap(({ data, order }): NewEvent[] => [
      {
        type: 'order.recorded',
        storeId,
        customerId: order.customerId,
        payload: orderFacts(
          order,
          outcomes.get(order.id)!,
          data.items.map((line) => line.sku),
        ),
      },
      audit.event(this.ctx, {
        action: 'order.record',
        entityType: 'Order',
        entityId: order.id,
        customerId: order.customerId,
        before: null,
        after: {
          ...auditSnapshot(order, ['storeId', 'updatedAt']),
          ...(data.campaignIds.length ? { campaignIds: data.campaignIds } : {}),
        },
      }),
    ]);
    events.push(...(await this.redemptions.redeem(tx, recorded)));
    await insertInBatches(outbox, events, (batch) => recordEvents(tx, outbox, batch).then(() => []));
    return recorded.map(({ index, order }) => ({ index, order }));
  }

  /** O2: any status may follow any other; setting the current status again changes nothing. */
  async updateStatus(id: string, status: OrderStatus, note?: string | null): Promise<OrderRow> {
    requireId(id);
    const data = parseInput(updateOrderStatusSchema, { status, note });
    return this.db.transaction((tx) => this.changeStatus(tx, id, data.status, data.note ?? null));
  }

  /** Locks the order, moves it to `status` and writes the history entry; used by requests too. */
  async changeStatus(tx: Tx, id: string, status: OrderStatus, note: string | null): Promise<OrderRow> {
    const current = await this.lock(tx, id);
    if (current.status === status) return current;
    await this.redemptions.onStatusChange(tx, current, status);
    const before = await orderOutcome(tx, this.ctx.storeId, id);
    const [row] = await tx
      .update(orders)
      .set({ status, updatedAt: new Date() })
      .where(and(eq(orders.storeId, this.ctx.storeId), eq(orders.id, id)))
      .returning();
    const after = await orderOutcome(tx, this.ctx.storeId, id);
    await this.writeStatusChange(tx, row!, current.status as OrderStatus, status, note);
    await recordEvents(tx, outbox, [
      {
        type: 'order.status_changed',
        storeId: this.ctx.storeId,
        customerId: row!.customerId,
        payload: {
          orderId: row!.id,
          number: row!.number,
          from: current.status,
          to: row!.status,
          currency: row!.currency,
          total: row!.total,
          discount: row!.discount,
          units: row!.units,
          couponCodes: row!.couponCodes,
          ...couponDiscountFact(row!),
          returnedUnits: { from: before.returnedUnits, to: after.returnedUnits },
          cancelled: cancelledPart(after),
        },
      },
      audit.event(this.ctx, {
        action: 'order.status',
        entityType: 'Order',
        entityId: row!.id,
        customerId: row!.customerId,
        before: { status: current.status },
        after: { status: row!.status, ...(note ? { note } : {}) },
      }),
    ]);
    return row!;
  }

  /** The order row, locked for the rest of the transaction; NOT_FOUND in another store. */
  async lock(tx: Tx, id: string, field = 'id'): Promise<OrderRow> {
    requireId(id, field);
    const [row] = await tx
      .select()
      .from(orders)
      .where(and(eq(orders.storeId, this.ctx.storeId), eq(orders.id, id), ownRows(this.ctx, orders.customerId)))
      .for('update');
    if (!row) throw notFound('Order', id);
    return row;
  }

  private async writeStatusChange(
    tx: Tx,
    order: OrderRow,
    fromStatus: OrderStatus | null,
    toStatus: OrderStatus,
    note: string | null,
  ): Promise<void> {
    await tx.insert(orderStatusChanges).values(this.statusChangeValues(order, fromStatus, toStatus, note));
  }

  private statusChangeValues(
    order: OrderRow,
    fromStatus: OrderStatus | null,
    toStatus: OrderStatus,
    note: string | null,
    at?: Date,
  ) {
    return {
      storeId: this.ctx.storeId,
      orderId: order.id,
      fromStatus,
      toStatus,
      note,
      changedBy: this.ctx.principal.userId,
      ip: callerIp(this.ctx),
      ...(at ? { createdAt: at } : {}),
    };
  }
}

/**
 * Guests as parents of their orders: each key is `[email, phone]` (email lower-cased), and an
 * order belongs to every guest whose email or phone it was placed with. A guest's orders are first
 * found by id through the contact indexes (orders_guest_email_idx, orders_guest_phone_idx), then
 * sorted: matched in place, the OR let the planner walk the whole store's orders by date instead.
 */
const guestContacts =
  (storeId: string) =>
  (keys: readonly string[]): ParentRows | null => {
    const contacts = keys.map((key) => JSON.parse(key) as [email: string | null, phone: string | null]);
    if (!contacts.some(([email, phone]) => email || phone)) return null;
    // Array parameters, not JSON: the planner then knows how many guests there are.
    const keyArray = textArray(keys);
    const emails = textArray(contacts.map(([email]) => email));
    const phones = textArray(contacts.map(([, phone]) => phone));
    return {
      rows: sql`unnest(${keyArray}::text[], ${emails}::text[], ${phones}::text[]) as p(parent_key, email, phone)`,
      match: sql`${orders.id} = any(array(
        select g.id from ${orders} g
        where g.store_id = ${storeId}
          and ((g.guest_email_key is not null and g.guest_email_key = p.email) or (g.guest_phone is not null and g.guest_phone = p.phone))))`,
    };
  };

/** A PostgreSQL array literal of texts (quoted, so commas and braces are safe), nulls as NULL. */
function textArray(values: readonly (string | null)[]): string {
  return `{${values.map((value) => (value === null ? 'NULL' : `"${value.replace(/["\\]/g, (char) => `\\${char}`)}"`)).join(',')}}`;
}

/** What intake made of one row: the order recorded, or the error that refused it. */
export type IntakeResult = { order: OrderRow } | { error: GraphQLError };

type RecordOrderData = ReturnType<typeof recordOrderSchema.parse>;

function orderValues(storeId: string, data: RecordOrderData, couponDiscount: number) {
  const totals = orderTotals(data)!;
  return {
    storeId,
    number: data.number,
    customerId: data.customerId ?? null,
    guestName: data.guest?.name ?? null,
    guestEmail: data.guest?.email ?? null,
    guestPhone: data.guest?.phone ?? null,
    channel: data.channel,
    platform: data.platform ?? null,
    receiptNumber: data.receiptNumber ?? null,
    status: data.status,
    currency: data.currency,
    subtotal: totals.subtotal,
    discount: totals.discount,
    shipping: data.shipping,
    tax: data.tax,
    total: totals.total,
    paymentFee: data.paymentFee,
    units: totals.units,
    paymentMethod: data.paymentMethod ?? null,
    couponCodes: data.couponCodes,
    couponDiscount,
    campaignId: data.campaignId ?? null,
    campaignName: data.campaignName ?? null,
    ip: data.ip ?? null,
    ...(data.placedAt ? { createdAt: data.placedAt } : {}),
  };
}

/** The order as coupon redemption judges it (coupon-redemption.service.ts). */
function couponOrder(data: RecordOrderData): CouponOrder {
  const totals = orderTotals(data)!;
  return {
    customerId: data.customerId ?? null,
    currency: data.currency,
    status: data.status,
    itemsNet: totals.subtotal - (totals.discount - data.discount),
    discount: totals.discount,
    shipping: data.shipping,
    placedAt: data.placedAt ?? new Date(),
    codes: data.couponCodes,
  };
}

function itemValues(storeId: string, orderId: string, data: RecordOrderData) {
  return data.items.map((line, position) => ({
    storeId,
    orderId,
    position,
    productId: line.productId,
    sku: line.sku ?? null,
    name: line.name,
    quantity: line.quantity,
    unitPrice: line.unitPrice,
    discount: line.discount,
    total: line.quantity * line.unitPrice - line.discount,
    unitCost: line.unitCost,
  }));
}

/** The row's value, or undefined with its error kept; anything but a GraphQL error is a fault. */
function attempt<T>(errors: Map<number, GraphQLError>, index: number, work: () => T): T | undefined {
  try {
    return work();
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    errors.set(index, error);
    return undefined;
  }
}

async function attemptAsync(errors: Map<number, GraphQLError>, index: number, work: () => Promise<void>) {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    errors.set(index, error);
  }
}

function translate(error: unknown): unknown {
  if (isUniqueViolation(error, 'orders_store_number_key')) return conflict(DUPLICATE_ORDER_NUMBER);
  return error;
}

/** O8: absent for orders recorded before coupons existed, whose discount was never split. */
const couponDiscountFact = (order: OrderRow) =>
  order.couponDiscount === null ? {} : { couponDiscount: order.couponDiscount };

/**
 * The facts of an order that consumers keep (the customer metrics, guests, the timeline);
 * `skus` are its lines' SKUs (repeats and lines without one are dropped here).
 */
export function orderFacts(
  order: OrderRow,
  outcome: OrderOutcome,
  skus: readonly (string | null | undefined)[],
): OrderFacts {
  return {
    orderId: order.id,
    number: order.number,
    status: order.status,
    currency: order.currency,
    total: order.total,
    discount: order.discount,
    units: order.units,
    couponCodes: order.couponCodes,
    ...couponDiscountFact(order),
    platform: order.platform,
    channel: order.channel,
    receiptNumber: order.receiptNumber,
    placedAt: order.createdAt.toISOString(),
    guest:
      order.guestEmail || order.guestPhone
        ? { name: order.guestName, email: order.guestEmail, phone: order.guestPhone }
        : null,
    returnedUnits: outcome.returnedUnits,
    negativeFeedback: outcome.negativeFeedback,
    cancelled: cancelledPart(outcome),
    skus: [...new Set(skus.filter((sku): sku is string => typeof sku === 'string'))],
  };
}
