import { and, eq } from 'drizzle-orm';
import { isUniqueViolation } from '@cg/db';
import { recordEvents } from '@cg/events';
import { StaffAction } from '@cg/auth';
import {
  actsFor,
  conflict,
  forbidden,
  invalidField,
  loadInStore,
  notFound,
  parseInput,
  requireAction,
  requireId,
  type BaseContext,
} from '@cg/subgraph';
import { customerMetrics, customers, outbox, stores, type CustomerRow } from '../db/schema/index.ts';
import { audit } from '../audit-trail.ts';
import type { CustomerDb } from '../context.ts';
import { writeTimeline } from '../timeline/timeline.service.ts';
import { convertGuests, lockContact } from '../guests/guest.service.ts';
import { notifySummaryChanged } from '../summary/summary.notify.ts';
import {
  createCustomerSchema,
  toE164,
  updateCustomerSchema,
  type CreateCustomerData,
  type CreateCustomerInput,
  type UpdateCustomerInput,
} from './customer.inputs.ts';
import { CustomerStatus } from './customer.type.ts';
import { createdEntry, profileChangeEntries } from './customer.timeline.ts';
import { createdAudit, profileEvents, updatedAudit } from './customer.events.ts';
import { resolveIdentity } from './identity.service.ts';

export const DUPLICATE_CONTACT = 'Phone or email is already used';
/** C19: an erased profile stays as it is; a returning person registers anew. */
export const ERASED_CUSTOMER = 'Customer is erased';
/** C5: a deleted profile is changed only by `restoreCustomer` (or erased). */
const DELETED_PROFILE = 'Customer is deleted; restore it first';

export class CustomerService {
  constructor(
    private readonly db: CustomerDb,
    private readonly ctx: BaseContext,
  ) {}

  /**
   * A signed-in customer finds only themselves, and not once deleted (C5); staff still read a
   * deleted profile, with `deletedAt` and `restorableUntil`, to restore it.
   */
  async load(id: string): Promise<CustomerRow | null> {
    if (!actsFor(this.ctx, id)) return null;
    const row = await loadInStore<CustomerRow>(this.ctx, this.db, customers, id);
    if (row?.deletedAt && this.ctx.principal.kind !== 'staff') return null;
    return row;
  }

  async get(id: string): Promise<CustomerRow | null> {
    requireId(id);
    return this.load(id);
  }

  /** `options.id`: the id the new profile gets, for a registration whose context already acts as it. */
  async create(input: CreateCustomerInput, options: { id?: string } = {}): Promise<CustomerRow> {
    const data = parseInput(createCustomerSchema, input, 'input');
    const phone = data.phone ? toE164(data.phone, data.country)! : null;
    try {
      return await this.db.transaction(async (tx) => {
        await lockContact(tx, this.ctx.storeId, data.email ?? null, phone);
        const identityId = await resolveIdentity(tx, { ...data, phone });
        const [row] = await tx
          .insert(customers)
          .values({
            id: options.id,
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
        // The other subgraphs' customer directories start from this event (@cg/events' directory.ts).
        const [store] = await tx
          .select({ currency: stores.currency })
          .from(stores)
          .where(eq(stores.id, this.ctx.storeId));
        await recordEvents(tx, outbox, [
          {
            type: 'customer.registered',
            storeId: this.ctx.storeId,
            customerId: row!.id,
            payload: { email: row!.email, phone: row!.phone, status: row!.status, currency: store!.currency },
          },
          audit.event(this.ctx, createdAudit(row!)),
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
        // C5: a deleted profile is as it was when deleted until restored; the directories of the
        // other subgraphs hold it as deleted, which no status change may overwrite.
        if (current.deletedAt) throw conflict(DELETED_PROFILE);
        const blocking =
          data.status &&
          data.status !== current.status &&
          [data.status, current.status].includes(CustomerStatus.BLOCKED);
        if (blocking) requireAction(this.ctx, StaffAction.CUSTOMERS_BLOCK);
        const changes: Partial<typeof customers.$inferInsert> = profileColumns(data, current);
        if (data.firstName !== undefined) changes.firstName = data.firstName;
        if (data.lastName !== undefined) changes.lastName = data.lastName;
        if (data.phone !== undefined) {
          // A national number is read in the country the profile will have: given now, or stored.
          const country = data.country !== undefined ? data.country : current.country;
          changes.phone = data.phone ? (toE164(data.phone, country) ?? null) : null;
          if (data.phone && !changes.phone)
            throw invalidField('input.phone', 'must be a valid phone number with country code');
        }
        const [row] = await tx
          .update(customers)
          .set({ ...changes, updatedAt: new Date() })
          .where(and(eq(customers.storeId, this.ctx.storeId), eq(customers.id, id)))
          .returning();
        await writeTimeline(tx, profileChangeEntries(current, row!, this.ctx.principal.userId));
        await recordEvents(tx, outbox, [
          ...profileEvents(current, row!),
          ...audit.events(this.ctx, updatedAudit(current, row!)),
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
