import { and, asc, eq, ne } from 'drizzle-orm';
import {
  invalidField,
  notFound,
  parseInput,
  type BaseContext,
  requireId,
  connectionByParent,
  actsFor,
  conflict,
  keysetSort,
} from '@cg/subgraph';
import { ERASED_CUSTOMER } from '../customers/customer.service.ts';
import { auditChanges, auditSnapshot } from '@cg/events';
import type { Tx } from '@cg/db';
import { addresses, customers, type AddressRow } from '../db/schema/index.ts';
import { AUDIT_BOOKKEEPING, audit } from '../audit-trail.ts';
import type { CustomerDb } from '../context.ts';
import { toE164 } from '../customers/customer.inputs.ts';
import { writeTimeline, type NewTimelineEntry } from '../timeline/timeline.service.ts';
import {
  addAddressSchema,
  updateAddressSchema,
  type AddAddressInput,
  type UpdateAddressInput,
} from './address.inputs.ts';
import type { AddressKind } from './address.type.ts';

const addressSort = keysetSort<AddressRow>('address', 'asc', [
  [addresses.createdAt, 'timestamptz', (row) => row.createdAt],
  [addresses.id, 'uuid', (row) => row.id],
]);

export class AddressService {
  constructor(
    private readonly db: CustomerDb,
    private readonly ctx: BaseContext,
  ) {}

  /** One statement for every customer of the request that asks the same question. */
  async forCustomer(
    customerId: string,
    args: { kind?: AddressKind | null; first?: number | null; after?: string | null },
  ) {
    return connectionByParent(this.ctx, this.db, {
      relation: 'addressesByCustomer',
      parentId: customerId,
      table: addresses,
      parentColumn: addresses.customerId,
      sort: addressSort,
      where: and(eq(addresses.storeId, this.ctx.storeId), args.kind ? eq(addresses.kind, args.kind) : undefined),
      filterKey: args.kind ?? null,
      args,
    });
  }

  async add(customerId: string, input: AddAddressInput): Promise<AddressRow> {
    requireId(customerId, 'customerId');
    const data = parseInput(addAddressSchema, input, 'input');
    return this.db.transaction(async (tx) => {
      await this.lockCustomer(tx, customerId);
      const [existingDefault] = await tx
        .select({ id: addresses.id })
        .from(addresses)
        .where(and(eq(addresses.customerId, customerId), eq(addresses.kind, data.kind), eq(addresses.isDefault, true)));
      const isDefault = !existingDefault || data.isDefault === true;
      if (isDefault && existingDefault) {
        await tx
          .update(addresses)
          .set({ isDefault: false, updatedAt: new Date() })
          .where(eq(addresses.id, existingDefault.id));
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
      await writeTimeline(tx, [this.entry(row!, 'Address added')]);
      await this.audit(tx, 'address.add', row!, null, auditSnapshot(row!, AUDIT_BOOKKEEPING));
      return row!;
    });
  }

  async update(id: string, input: UpdateAddressInput): Promise<AddressRow> {
    requireId(id);
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
        if (phone && !changes.phone)
          throw invalidField('input.phone', 'must be a valid phone number with country code');
      }
      if (makeDefault && !current.isDefault) {
        await tx
          .update(addresses)
          .set({ isDefault: false, updatedAt: new Date() })
          .where(
            and(
              eq(addresses.customerId, current.customerId),
              eq(addresses.kind, current.kind),
              eq(addresses.isDefault, true),
            ),
          );
        changes.isDefault = true;
      }
      const [row] = await tx
        .update(addresses)
        .set({ ...changes, updatedAt: new Date() })
        .where(eq(addresses.id, id))
        .returning();
      const changed = auditChanges(current, row!, AUDIT_BOOKKEEPING);
      // An edit that set every field to what it was is no event of the customer's either.
      if (Object.keys(changed.after).length) await writeTimeline(tx, [this.entry(row!, 'Address edited')]);
      await this.audit(tx, 'address.update', row!, changed.before, changed.after);
      return row!;
    });
  }

  /** Deleting the default promotes the oldest remaining address of its kind. */
  async delete(id: string): Promise<AddressRow> {
    requireId(id);
    return this.db.transaction(async (tx) => {
      const current = await this.find(tx, id);
      await this.lockCustomer(tx, current.customerId);
      await tx.delete(addresses).where(eq(addresses.id, id));
      if (current.isDefault) {
        const [next] = await tx
          .select({ id: addresses.id })
          .from(addresses)
          .where(
            and(eq(addresses.customerId, current.customerId), eq(addresses.kind, current.kind), ne(addresses.id, id)),
          )
          .orderBy(asc(addresses.createdAt), asc(addresses.id))
          .limit(1);
        if (next)
          await tx.update(addresses).set({ isDefault: true, updatedAt: new Date() }).where(eq(addresses.id, next.id));
      }
      await writeTimeline(tx, [this.entry(current, 'Address deleted')]);
      await this.audit(tx, 'address.delete', current, auditSnapshot(current, AUDIT_BOOKKEEPING), null);
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

  /** X5: the audit entry, in the transaction of the change. */
  private audit(
    tx: Tx,
    action: string,
    address: AddressRow,
    before: Record<string, unknown> | null,
    after: Record<string, unknown> | null,
  ) {
    return audit.record(tx, this.ctx, {
      action,
      entityType: 'Address',
      entityId: address.id,
      customerId: address.customerId,
      before,
      after,
    });
  }

  /** C15: address changes appear on the customer's timeline. */
  private entry(address: AddressRow, what: string): NewTimelineEntry {
    const kind = address.kind.replace(/_/g, ' ');
    return {
      storeId: address.storeId,
      customerId: address.customerId,
      kind: 'address',
      summary: `${what}: ${kind}, ${address.line1}, ${address.city}`,
      data: {
        addressId: address.id,
        kind: address.kind,
        label: address.label,
        city: address.city,
        country: address.country,
        isDefault: address.isDefault,
      },
      actor: this.ctx.principal.userId,
      orderId: null,
    };
  }

  /** Serialises address changes per customer, so the one-default rule holds under concurrency. */
  private async lockCustomer(tx: Tx, customerId: string): Promise<void> {
    if (!actsFor(this.ctx, customerId)) throw notFound('Customer', customerId);
    const [row] = await tx
      .select({ id: customers.id, erasedAt: customers.erasedAt })
      .from(customers)
      .where(and(eq(customers.storeId, this.ctx.storeId), eq(customers.id, customerId)))
      .for('update');
    if (!row) throw notFound('Customer', customerId);
    if (row.erasedAt) throw conflict(ERASED_CUSTOMER);
  }
}
