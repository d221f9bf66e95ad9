import { and, arrayOverlaps, count, eq, getTableName, gte, inArray, lte, or, sql, type SQL } from 'drizzle-orm';
import { isUniqueViolation } from '@cg/db';
import { auditChanges, auditSnapshot, recordEvents, type NewEvent } from '@cg/events';
import { writeTimeline } from '../timeline/timeline.service.ts';
import { convertGuests } from '../guests/guest.service.ts';
import { createdEntry, profileChangeEntries } from './customer.timeline.ts';
import { StaffAction } from '@cg/auth';
import {
  actsFor,
  seesPersonalData,
  conflict,
  forbidden,
  requireAction,
  invalidField,
  keyset,
  notFound,
  pageSize,
  parseInput,
  type BaseContext,
  type ConnectionResult,
  loadInStore,
  requireId,
  startsWith,
  zx,
  type KeysetSort,
  type SortDirection,
  rootConnection,
} from '@cg/subgraph';
import { PgDialect, unionAll } from 'drizzle-orm/pg-core';
import { customerMetrics, customers, outbox, type CustomerMetricsRow, type CustomerRow } from '../db/schema/index.ts';
import { audit } from '../audit-trail.ts';
import { watchedCondition } from '../watchlist/watchlist.sql.ts';
import type { CustomerDb } from '../context.ts';
import {
  createCustomerSchema,
  customerRangesSchema,
  searchSchema,
  toE164,
  updateCustomerSchema,
  type CreateCustomerData,
  type CreateCustomerInput,
  type CustomerFilter,
  type CustomerSort,
  type UpdateCustomerInput,
} from './customer.inputs.ts';
import { CustomerStatus } from './customer.type.ts';
import { customerSort, DEFAULT_CUSTOMER_SORT, type CustomerSortField, type ListedCustomer } from './customer.sort.ts';
import { CustomerTab, TABS } from './customer.tabs.ts';
import { resolveIdentity } from './identity.service.ts';
import { notifySummaryChanged } from '../summary/summary.notify.ts';

export const DUPLICATE_CONTACT = 'Phone or email is already used';
/** C19: an erased profile stays as it is; a returning person registers anew. */
export const ERASED_CUSTOMER = 'Customer is erased';

/** Page size, cursor and sort of a customer list, checked. */
export interface ListPage {
  first: number;
  after: string | null;
  sort: KeysetSort<ListedCustomer>;
}

/** An explicit sort wins over the tab's, which wins over the default (newest member first). */
function listSort(
  explicit: CustomerSort | null | undefined,
  fallback: { field: CustomerSortField; direction: SortDirection } = DEFAULT_CUSTOMER_SORT,
): KeysetSort<ListedCustomer> {
  if (explicit) return customerSort(explicit.field, explicit.direction ?? DEFAULT_CUSTOMER_SORT.direction);
  return customerSort(fallback.field, fallback.direction);
}

/** Checks a list's page arguments where they are given, so errors name that field's arguments. */
export function listPage(args: { first?: number | null; after?: string | null; sort?: CustomerSort | null }): ListPage {
  const first = pageSize(args.first);
  const sort = listSort(args.sort);
  keyset.after(sort, args.after);
  return { first, after: args.after ?? null, sort };
}

const toListed = (row: { customer: CustomerRow; metrics: CustomerMetricsRow }): ListedCustomer => ({
  ...row.customer,
  metrics: row.metrics,
});

export class CustomerService {
  constructor(
    private readonly db: CustomerDb,
    private readonly ctx: BaseContext,
  ) {}

  /** A signed-in customer finds only themselves. */
  load(id: string): Promise<CustomerRow | null> {
    if (!actsFor(this.ctx, id)) return Promise.resolve(null);
    return loadInStore(this.ctx, this.db, customers, id);
  }

  async get(id: string): Promise<CustomerRow | null> {
    requireId(id);
    return this.load(id);
  }

  async list(args: {
    first?: number | null;
    after?: string | null;
    filter?: CustomerFilter | null;
    sort?: CustomerSort | null;
    tab?: CustomerTab | null;
  }): Promise<ConnectionResult<ListedCustomer>> {
    const tab = TABS[args.tab ?? CustomerTab.ALL];
    const sort = listSort(args.sort, tab.sort);
    const conditions = [...this.listFilters(args.filter), ...tab.conditions()];
    return rootConnection(sort, args, {
      page: async ({ after, orderBy, limit }) => {
        const rows = await this.db
          .select({ customer: customers, metrics: customerMetrics })
          .from(customers)
          .innerJoin(customerMetrics, eq(customerMetrics.customerId, customers.id))
          .where(and(...conditions, after))
          .orderBy(...orderBy)
          .limit(limit);
        return rows.map(toListed);
      },
      count: () => {
        // Every customer has its metrics row (made with the profile), so the join changes no
        // count; without a metrics condition, counting customers alone is an index-only scan
        // (about 20 ms at 100k customers, against 70–90 ms for the join).
        const own = conditions.filter((condition) => condition !== this.metricsInStore);
        const query = this.db.select({ total: count() }).from(customers);
        return usesMetrics(and(...own))
          ? query.innerJoin(customerMetrics, eq(customerMetrics.customerId, customers.id)).where(and(...conditions))
          : query.where(and(...own));
      },
    });
  }

  /**
   * Pages of several sub-lists of the store's customers (e.g. segments' members) with the same
   * page arguments, in one statement: each sub-list is its own `(select … limit n)` on the list's
   * keyset sort, glued with UNION ALL. Keys map to their rows (at most `page.first + 1` each).
   */
  async pagesOf(groups: { key: string; condition: SQL }[], page: ListPage): Promise<Map<string, ListedCustomer[]>> {
    const result = new Map<string, ListedCustomer[]>(groups.map((group) => [group.key, []]));
    if (groups.length === 0) return result;
    const after = keyset.after(page.sort, page.after);
    const legs = groups.map((group) =>
      this.db
        .select({ key: sql<string>`${group.key}::text`, customer: customers, metrics: customerMetrics })
        .from(customers)
        .innerJoin(customerMetrics, eq(customerMetrics.customerId, customers.id))
        .where(and(...this.storeConditions(), group.condition, after))
        .orderBy(...keyset.orderBy(page.sort))
        .limit(page.first + 1),
    );
    const [one, two, ...rest] = legs;
    const rows = two ? await unionAll(one!, two, ...rest) : await one!;
    for (const row of rows) result.get(row.key)?.push(toListed(row));
    return result;
  }

  /** Counts of several sub-lists of the store's customers in one pass over them. */
  async countsOf(groups: { key: string; condition: SQL }[]): Promise<Map<string, number>> {
    if (groups.length === 0) return new Map();
    const selection = Object.fromEntries(
      groups.map((group, index) => [
        `c${index}`,
        sql<number>`count(*) filter (where ${group.condition})`.mapWith(Number),
      ]),
    );
    const [row] = await this.db
      .select(selection)
      .from(customers)
      .innerJoin(customerMetrics, eq(customerMetrics.customerId, customers.id))
      .where(and(...this.storeConditions()));
    return new Map(groups.map((group, index) => [group.key, row?.[`c${index}`] ?? 0]));
  }

  /**
   * Which of the given conditions each customer meets, in one statement: one boolean column per
   * condition, one row per customer of the store. Unknown ids get no entry.
   */
  async testAll(customerIds: readonly string[], conditions: SQL[]): Promise<Map<string, boolean[]>> {
    const ids = customerIds.filter((id) => zx.id.safeParse(id).success);
    if (ids.length === 0 || conditions.length === 0) return new Map();
    const selection = Object.fromEntries(
      conditions.map((condition, index) => [`t${index}`, sql<boolean>`coalesce((${condition}), false)`]),
    );
    const rows = await this.db
      .select({ id: customers.id, tests: selection })
      .from(customers)
      .innerJoin(customerMetrics, eq(customerMetrics.customerId, customers.id))
      .where(and(...this.storeConditions(), inArray(customers.id, ids)));
    return new Map(rows.map((row) => [row.id, conditions.map((_, index) => row.tests[`t${index}`] === true)]));
  }

  /** Both tables carry the store so that either side's index can drive the query. */
  /** Lets the planner start from either table's (store, …) indexes when both are joined. */
  private readonly metricsInStore = eq(customerMetrics.storeId, this.ctx.storeId);

  private storeConditions(): SQL[] {
    return [eq(customers.storeId, this.ctx.storeId), this.metricsInStore];
  }

  private listFilters(filter: CustomerFilter | null | undefined): SQL[] {
    const conditions = this.storeConditions();
    if (filter?.status?.length) conditions.push(inArray(customers.status, filter.status));
    if (filter?.watched !== null && filter?.watched !== undefined) conditions.push(watchedCondition(filter.watched));
    const ranges = parseInput(customerRangesSchema, filter ?? {}, 'filter');
    if (ranges.country?.length) conditions.push(inArray(customers.country, ranges.country));
    if (ranges.tags?.length) conditions.push(arrayOverlaps(customers.tags, ranges.tags));
    if (ranges.createdFrom) conditions.push(gte(customers.createdAt, ranges.createdFrom));
    if (ranges.createdTo) conditions.push(lte(customers.createdAt, ranges.createdTo));
    if (ranges.minTotalSpent !== undefined) conditions.push(gte(customerMetrics.totalSpent, ranges.minTotalSpent));
    if (ranges.maxTotalSpent !== undefined) conditions.push(lte(customerMetrics.totalSpent, ranges.maxTotalSpent));
    if (ranges.minOrders !== undefined) conditions.push(gte(customerMetrics.orderCount, ranges.minOrders));
    if (ranges.maxOrders !== undefined) conditions.push(lte(customerMetrics.orderCount, ranges.maxOrders));
    if (ranges.lastOrderFrom) conditions.push(gte(customerMetrics.lastOrderAt, ranges.lastOrderFrom));
    if (ranges.lastOrderTo) conditions.push(lte(customerMetrics.lastOrderAt, ranges.lastOrderTo));
    const search = parseInput(searchSchema, filter?.search ?? undefined, 'filter.search');
    if (search) {
      const prefix = search.toLowerCase();
      const alternatives = [startsWith(customers.nameKey, prefix), startsWith(customers.lastNameKey, prefix)];
      // Without PERSONAL_DATA_READ, matching emails and phones would let one probe for them.
      if (seesPersonalData(this.ctx)) {
        alternatives.push(startsWith(customers.emailKey, prefix));
        const digits = search.replace(/[\s()-]/g, '');
        if (/^\+?\d{2,}$/.test(digits)) alternatives.push(startsWith(customers.phone, `+${digits.replace(/^\+/, '')}`));
      }
      conditions.push(or(...alternatives)!);
    }
    return conditions;
  }

  async create(input: CreateCustomerInput): Promise<CustomerRow> {
    const data = parseInput(createCustomerSchema, input, 'input');
    const phone = data.phone ? toE164(data.phone, data.country)! : null;
    try {
      return await this.db.transaction(async (tx) => {
        const identityId = await resolveIdentity(tx, { ...data, phone });
        const [row] = await tx
          .insert(customers)
          .values({
            storeId: this.ctx.storeId,
            identityId,
            ...profileColumns(data),
            phone,
            firstName: data.firstName,
            lastName: data.lastName,
          })
          .returning();
        await tx.insert(customerMetrics).values({ customerId: row!.id, storeId: this.ctx.storeId });
        await writeTimeline(tx, [createdEntry(row!, this.ctx.principal.userId)]);
        // C1: the guest this shopper was becomes them; commerce-history hands over the orders.
        await convertGuests(tx, this.ctx.storeId, row!.id, row!.email, row!.phone);
        await recordEvents(tx, outbox, [
          {
            type: 'customer.registered',
            storeId: this.ctx.storeId,
            customerId: row!.id,
            payload: { email: row!.email, phone: row!.phone },
          },
          audit.event(this.ctx, customerAudit('customer.create', row!.id, null, auditSnapshot(row!, AUDIT_OMIT))),
        ]);
        return row!;
      });
    } catch (error) {
      throw translate(error);
    }
  }

  async update(id: string, input: UpdateCustomerInput): Promise<CustomerRow> {
    requireId(id);
    const data = parseInput(updateCustomerSchema, input, 'input');
    if (!actsFor(this.ctx, id)) throw notFound('Customer', id);
    if (this.ctx.principal.kind === 'customer') {
      const internal = STAFF_ONLY_FIELDS.filter((field) => data[field] !== undefined);
      if (internal.length)
        throw forbidden(`A customer cannot change ${internal.map((field) => `input.${field}`).join(', ')}`);
    }
    try {
      return await this.db.transaction(async (tx) => {
        const [current] = await tx
          .select()
          .from(customers)
          .where(and(eq(customers.storeId, this.ctx.storeId), eq(customers.id, id)))
          .for('update');
        if (!current) throw notFound('Customer', id);
        if (current.erasedAt) throw conflict(ERASED_CUSTOMER);
        const blocking =
          data.status &&
          data.status !== current.status &&
          [data.status, current.status].includes(CustomerStatus.BLOCKED);
        if (blocking) requireAction(this.ctx, StaffAction.CUSTOMERS_BLOCK);
        const changes: Partial<typeof customers.$inferInsert> = profileColumns(data, current);
        if (data.firstName !== undefined) changes.firstName = data.firstName;
        if (data.lastName !== undefined) changes.lastName = data.lastName;
        if (data.phone !== undefined) {
          changes.phone = data.phone ? (toE164(data.phone, data.country ?? current.country) ?? null) : null;
          if (data.phone && !changes.phone)
            throw invalidField('input.phone', 'must be a valid phone number with country code');
        }
        const [row] = await tx
          .update(customers)
          .set({ ...changes, updatedAt: new Date() })
          .where(and(eq(customers.storeId, this.ctx.storeId), eq(customers.id, id)))
          .returning();
        await writeTimeline(tx, profileChangeEntries(current, row!, this.ctx.principal.userId));
        const changed = auditChanges(current, row!, AUDIT_OMIT);
        await recordEvents(tx, outbox, [
          ...profileEvents(current, row!),
          audit.event(this.ctx, customerAudit('customer.update', id, changed.before, changed.after)),
        ]);
        await notifySummaryChanged(tx, this.ctx.storeId, id);
        return row!;
      });
    } catch (error) {
      throw translate(error);
    }
  }
}

/** What only staff decide about a profile; a customer editing their own gets FORBIDDEN for these. */
const STAFF_ONLY_FIELDS = ['status', 'notes', 'tags', 'vipCard'] as const;

/** Columns the audit log leaves out of a profile: derived or bookkeeping. */
const AUDIT_OMIT = ['nameKey', 'lastNameKey', 'emailKey', 'storeId', 'identityId', 'createdAt', 'updatedAt'];

const customerAudit = (
  action: string,
  id: string,
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
) => ({
  action,
  entityType: 'Customer',
  entityId: id,
  customerId: id,
  before,
  after,
});

/**
 * `customer.updated` with the fields an edit changed, and `customer.status_changed` apart. Internal
 * notes are named among the fields but their text never leaves this subgraph.
 */
function profileEvents(before: CustomerRow, after: CustomerRow): NewEvent[] {
  const events: NewEvent[] = [];
  const base = { storeId: after.storeId, customerId: after.id };
  const changed = auditChanges(before, after, [...AUDIT_OMIT, 'status']);
  const fields = Object.keys(changed.after);
  if (fields.length) {
    delete changed.before.notes;
    delete changed.after.notes;
    events.push({
      ...base,
      type: 'customer.updated',
      payload: { fields, before: changed.before, after: changed.after },
    });
  }
  if (before.status !== after.status) {
    events.push({ ...base, type: 'customer.status_changed', payload: { from: before.status, to: after.status } });
  }
  return events;
}

type ProfileData = Omit<CreateCustomerData, 'firstName' | 'lastName' | 'phone'> & { phone?: string | null };

/** Columns set from parsed input; `undefined` leaves a column as it is. */
function profileColumns(data: ProfileData, current?: CustomerRow): Partial<typeof customers.$inferInsert> {
  const columns: Partial<typeof customers.$inferInsert> = {};
  const assign = <K extends keyof typeof columns>(key: K, value: (typeof columns)[K] | undefined) => {
    if (value !== undefined) columns[key] = value;
  };
  assign('email', data.email);
  assign('gender', data.gender);
  assign('birthDate', data.birthDate);
  assign('country', data.country);
  // T5: a language, once set, is never overwritten.
  if (!current?.language) assign('language', data.language);
  assign('status', data.status ?? undefined);
  assign('notes', data.notes);
  assign('tags', data.tags ?? undefined);
  if (data.business !== undefined) {
    assign('isBusiness', data.business !== null);
    assign('companyName', data.business?.companyName ?? null);
    assign('taxOffice', data.business?.taxOffice ?? null);
    assign('taxNumber', data.business?.taxNumber ?? null);
  }
  if (data.vipCard !== undefined) {
    assign('vipMemberNumber', data.vipCard?.memberNumber ?? null);
    assign('vipVerificationCode', data.vipCard?.verificationCode ?? null);
  }
  return columns;
}

const dialect = new PgDialect();
/** Whether a condition reads the metrics projection (a spend, order or last-order filter, a tab). */
function usesMetrics(condition: SQL | undefined): boolean {
  return condition !== undefined && dialect.sqlToQuery(condition).sql.includes(`"${getTableName(customerMetrics)}"`);
}

function translate(error: unknown): unknown {
  if (isUniqueViolation(error, 'customers_store_email_key') || isUniqueViolation(error, 'customers_store_phone_key')) {
    return conflict(DUPLICATE_CONTACT);
  }
  return error;
}
