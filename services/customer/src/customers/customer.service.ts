import { and, arrayOverlaps, count, eq, gte, inArray, lte, or, sql, type SQL } from 'drizzle-orm';
import { isUniqueViolation } from '@cg/db';
import {
  conflict,
  invalidField,
  keyset,
  lazy,
  notFound,
  pageSize,
  parseInput,
  toConnection,
  type BaseContext,
  type ConnectionResult,
  loadInStore,
  requireId,
} from '@cg/subgraph';
import { customerMetrics, customers, type CustomerRow } from '../db/schema.ts';
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
import { customerSort, DEFAULT_CUSTOMER_SORT, type ListedCustomer } from './customer.sort.ts';
import { resolveIdentity } from './identity.service.ts';

export const DUPLICATE_CONTACT = 'Phone or email is already used';

export class CustomerService {
  constructor(
    private readonly db: CustomerDb,
    private readonly ctx: BaseContext,
  ) {}

  load(id: string): Promise<CustomerRow | null> {
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
  }): Promise<ConnectionResult<ListedCustomer>> {
    const first = pageSize(args.first);
    const sort = customerSort(
      args.sort?.field ?? DEFAULT_CUSTOMER_SORT.field,
      args.sort?.direction ?? DEFAULT_CUSTOMER_SORT.direction,
    );
    const filters = this.listFilters(args.filter);
    const after = keyset.after(sort, args.after);
    const rows = await this.db
      .select({ customer: customers, metrics: customerMetrics })
      .from(customers)
      .innerJoin(customerMetrics, eq(customerMetrics.customerId, customers.id))
      .where(and(...filters, after))
      .orderBy(...keyset.orderBy(sort))
      .limit(first + 1);
    return toConnection(
      rows.map((row) => ({ ...row.customer, metrics: row.metrics })),
      {
        first,
        after: args.after,
        cursorOf: keyset.cursorOf(sort),
        totalCount: lazy(async () => {
          const [row] = await this.db
            .select({ total: count() })
            .from(customers)
            .innerJoin(customerMetrics, eq(customerMetrics.customerId, customers.id))
            .where(and(...filters));
          return row?.total ?? 0;
        }),
      },
    );
  }

  private listFilters(filter: CustomerFilter | null | undefined): SQL[] {
    // Both tables carry the store so that either side's index can drive the query.
    const conditions: SQL[] = [eq(customers.storeId, this.ctx.storeId), eq(customerMetrics.storeId, this.ctx.storeId)];
    if (filter?.status?.length) conditions.push(inArray(customers.status, filter.status));
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
      const prefix = `${escapeLike(search.toLowerCase())}%`;
      const alternatives = [
        sql`${customers.nameKey} like ${prefix}`,
        sql`lower(${customers.lastName}) like ${prefix}`,
        sql`lower(${customers.email}) like ${prefix}`,
      ];
      const digits = search.replace(/[\s()-]/g, '');
      if (/^\+?\d{2,}$/.test(digits)) alternatives.push(sql`${customers.phone} like ${`+${digits.replace(/^\+/, '')}%`}`);
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
          .values({ storeId: this.ctx.storeId, identityId, ...profileColumns(data), phone, firstName: data.firstName, lastName: data.lastName })
          .returning();
        await tx.insert(customerMetrics).values({ customerId: row!.id, storeId: this.ctx.storeId });
        return row!;
      });
    } catch (error) {
      throw translate(error);
    }
  }

  async update(id: string, input: UpdateCustomerInput): Promise<CustomerRow> {
    requireId(id);
    const data = parseInput(updateCustomerSchema, input, 'input');
    try {
      return await this.db.transaction(async (tx) => {
        const [current] = await tx
          .select()
          .from(customers)
          .where(and(eq(customers.storeId, this.ctx.storeId), eq(customers.id, id)))
          .for('update');
        if (!current) throw notFound('Customer', id);
        const changes: Partial<typeof customers.$inferInsert> = profileColumns(data, current);
        if (data.firstName !== undefined) changes.firstName = data.firstName;
        if (data.lastName !== undefined) changes.lastName = data.lastName;
        if (data.phone !== undefined) {
          changes.phone = data.phone ? (toE164(data.phone, data.country ?? current.country) ?? null) : null;
          if (data.phone && !changes.phone) throw invalidField('input.phone', 'must be a valid phone number with country code');
        }
        const [row] = await tx
          .update(customers)
          .set({ ...changes, updatedAt: new Date() })
          .where(and(eq(customers.storeId, this.ctx.storeId), eq(customers.id, id)))
          .returning();
        return row!;
      });
    } catch (error) {
      throw translate(error);
    }
  }
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

function translate(error: unknown): unknown {
  if (isUniqueViolation(error, 'customers_store_email_key') || isUniqueViolation(error, 'customers_store_phone_key')) {
    return conflict(DUPLICATE_CONTACT);
  }
  return error;
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (char) => `\\${char}`);
}
