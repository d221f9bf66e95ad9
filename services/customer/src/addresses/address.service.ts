import { and, asc, eq, ne } from 'drizzle-orm';
import {
  invalidField,
  notFound,
  pagedByParent,
  pageSize,
  parseInput,
  toConnection,
  keyset,
  zx,
  type BaseContext,
  type KeysetSort,
} from '@cg/subgraph';
import { addresses, customers, type AddressRow } from '../db/schema.ts';
import type { CustomerDb } from '../context.ts';
import { toE164 } from '../customers/customer.inputs.ts';
import { addAddressSchema, updateAddressSchema, type AddAddressInput, type UpdateAddressInput } from './address.inputs.ts';
import type { AddressKind } from './address.type.ts';

type Tx = Parameters<Parameters<CustomerDb['transaction']>[0]>[0];

const addressSort: KeysetSort<AddressRow> = {
  name: 'address',
  direction: 'asc',
  columns: [
    { expr: addresses.createdAt, type: 'timestamptz', value: (row) => row.createdAt },
    { expr: addresses.id, type: 'uuid', value: (row) => row.id },
  ],
};

export class AddressService {
  constructor(
    private readonly db: CustomerDb,
    private readonly ctx: BaseContext,
  ) {}

  /** One statement for every customer of the request that asks the same question. */
  async forCustomer(customerId: string, args: { kind?: AddressKind | null; first?: number | null; after?: string | null }) {
    const first = pageSize(args.first);
    const key = { kind: args.kind ?? null, first, after: args.after ?? null };
    const after = args.after;
    if (after) keyset.after(addressSort, after);
    const page = await this.ctx.loaders
      .get('addressesByCustomer', key, (customerIds: readonly string[]) =>
        pagedByParent<AddressRow>(this.db, {
          table: addresses,
          parentColumn: addresses.customerId,
          parentIds: customerIds,
          where: and(eq(addresses.storeId, this.ctx.storeId), args.kind ? eq(addresses.kind, args.kind) : undefined),
          sort: addressSort,
          limit: first + 1,
          after,
          withTotal: true,
        }),
      )
      .load(customerId);
    return toConnection(page.rows, { first, after, cursorOf: keyset.cursorOf(addressSort), totalCount: page.total });
  }

  async add(customerId: string, input: AddAddressInput): Promise<AddressRow> {
    if (!zx.id.safeParse(customerId).success) throw invalidField('customerId', 'must be a valid id');
    const data = parseInput(addAddressSchema, input, 'input');
    return this.db.transaction(async (tx) => {
      await this.lockCustomer(tx, customerId);
      const [existingDefault] = await tx
        .select({ id: addresses.id })
        .from(addresses)
        .where(and(eq(addresses.customerId, customerId), eq(addresses.kind, data.kind), eq(addresses.isDefault, true)));
      const isDefault = !existingDefault || data.isDefault === true;
      if (isDefault && existingDefault) {
        await tx.update(addresses).set({ isDefault: false, updatedAt: new Date() }).where(eq(addresses.id, existingDefault.id));
      }
      const { isDefault: _flag, phone, ...fields } = data;
      const [row] = await tx
        .insert(addresses)
        .values({
          ...fields,
          storeId: this.ctx.storeId,
          customerId,
          phone: phone ? toE164(phone, data.country)! : null,
          isDefault,
        })
        .returning();
      return row!;
    });
  }

  async update(id: string, input: UpdateAddressInput): Promise<AddressRow> {
    if (!zx.id.safeParse(id).success) throw invalidField('id', 'must be a valid id');
    const data = parseInput(updateAddressSchema, input, 'input');
    return this.db.transaction(async (tx) => {
      const current = await this.find(tx, id);
      await this.lockCustomer(tx, current.customerId);
      const { makeDefault, phone, ...fields } = data;
      const changes: Partial<typeof addresses.$inferInsert> = Object.fromEntries(
        Object.entries(fields).filter(([, value]) => value !== undefined),
      );
      if (phone !== undefined) {
        changes.phone = phone ? (toE164(phone, data.country ?? current.country) ?? null) : null;
        if (phone && !changes.phone) throw invalidField('input.phone', 'must be a valid phone number with country code');
      }
      if (makeDefault && !current.isDefault) {
        await tx
          .update(addresses)
          .set({ isDefault: false, updatedAt: new Date() })
          .where(and(eq(addresses.customerId, current.customerId), eq(addresses.kind, current.kind), eq(addresses.isDefault, true)));
        changes.isDefault = true;
      }
      const [row] = await tx
        .update(addresses)
        .set({ ...changes, updatedAt: new Date() })
        .where(eq(addresses.id, id))
        .returning();
      return row!;
    });
  }

  /** Deleting the default promotes the oldest remaining address of its kind. */
  async delete(id: string): Promise<AddressRow> {
    if (!zx.id.safeParse(id).success) throw invalidField('id', 'must be a valid id');
    return this.db.transaction(async (tx) => {
      const current = await this.find(tx, id);
      await this.lockCustomer(tx, current.customerId);
      await tx.delete(addresses).where(eq(addresses.id, id));
      if (current.isDefault) {
        const [next] = await tx
          .select({ id: addresses.id })
          .from(addresses)
          .where(and(eq(addresses.customerId, current.customerId), eq(addresses.kind, current.kind), ne(addresses.id, id)))
          .orderBy(asc(addresses.createdAt), asc(addresses.id))
          .limit(1);
        if (next) await tx.update(addresses).set({ isDefault: true, updatedAt: new Date() }).where(eq(addresses.id, next.id));
      }
      return current;
    });
  }

  private async find(tx: Tx, id: string): Promise<AddressRow> {
    const [row] = await tx
      .select()
      .from(addresses)
      .where(and(eq(addresses.storeId, this.ctx.storeId), eq(addresses.id, id)));
    if (!row) throw notFound('Address', id);
    return row;
  }

  /** Serialises address changes per customer, so the one-default rule holds under concurrency. */
  private async lockCustomer(tx: Tx, customerId: string): Promise<void> {
    const [row] = await tx
      .select({ id: customers.id })
      .from(customers)
      .where(and(eq(customers.storeId, this.ctx.storeId), eq(customers.id, customerId)))
      .for('update');
    if (!row) throw notFound('Customer', customerId);
  }
}

