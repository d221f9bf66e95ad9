import { and, eq, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { EventHandlers } from '@cg/events';
import { seesPersonalData, loadInStore, parseInput, type BaseContext, keysetSort, tableConnection } from '@cg/subgraph';
import type { Tx } from '@cg/db';
import { customers, guests, type GuestRow } from '../db/schema/index.ts';
import type { CustomerDb } from '../context.ts';
import { searchSchema } from '../customers/customer.inputs.ts';

/** Most recently seen first; backed by guests_store_last_seen_idx. */
const guestSort = keysetSort<GuestRow>('guests', 'desc', [
  [guests.lastSeenAt, 'timestamptz', (row) => row.lastSeenAt],
  [guests.id, 'uuid', (row) => row.id],
]);

/** The guest with this email (case-insensitive) or else this phone, in the store. */
const sameContact = (email: string | null, phone: string | null): SQL | undefined =>
  or(email ? sql`lower(${guests.email}) = lower(${email})` : undefined, phone ? eq(guests.phone, phone) : undefined);

export class GuestService {
  constructor(
    private readonly db: CustomerDb,
    private readonly ctx: BaseContext,
  ) {}

  load(id: string) {
    return loadInStore<GuestRow>(this.ctx, this.db, guests, id);
  }

  async list(args: {
    first?: number | null;
    after?: string | null;
    search?: string | null;
    converted?: boolean | null;
  }) {
    const search = parseInput(searchSchema, args.search ?? undefined, 'search');
    const filters: SQL[] = [eq(guests.storeId, this.ctx.storeId)];
    if (args.converted === true) filters.push(isNotNull(guests.convertedAt));
    if (args.converted === false) filters.push(isNull(guests.convertedAt));
    if (search) {
      const prefix = `${search.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
      // Without PERSONAL_DATA_READ, matching emails and phones would let one probe for them.
      filters.push(
        seesPersonalData(this.ctx)
          ? or(
              sql`lower(${guests.email}) like ${prefix}`,
              sql`${guests.phone} like ${prefix}`,
              sql`lower(${guests.name}) like ${prefix}`,
            )!
          : sql`lower(${guests.name}) like ${prefix}`,
      );
    }
    return tableConnection(this.db, { table: guests, sort: guestSort, conditions: filters, args });
  }
}

/**
 * A guest order applied while a shopper with the same contact registers would miss the new
 * customer, and the registration would miss the uncommitted guest: the guest then stays unconverted
 * for good. Both take these locks first, so whichever commits second sees the other's row. Email
 * before phone, so two transactions never wait on each other in a circle.
 */
export async function lockContact(tx: Tx, storeId: string, email: string | null, phone: string | null): Promise<void> {
  const keys = [
    email ? `customer.contact:${storeId}:email:${email.toLowerCase()}` : null,
    phone ? `customer.contact:${storeId}:phone:${phone}` : null,
  ].filter((key) => key !== null);
  if (keys.length === 0) return;
  await tx.execute(
    sql`select ${sql.join(
      keys.map((key) => sql`pg_advisory_xact_lock(hashtextextended(${key}, 0))`),
      sql`, `,
    )}`,
  );
}

/** C1: a registering customer's guest records, by email or phone, are marked as converted. */
export async function convertGuests(
  tx: Tx,
  storeId: string,
  customerId: string,
  email: string | null,
  phone: string | null,
): Promise<void> {
  const contact = sameContact(email, phone);
  if (!contact) return;
  await tx
    .update(guests)
    .set({ convertedCustomerId: customerId, convertedAt: new Date() })
    .where(and(eq(guests.storeId, storeId), isNull(guests.convertedAt), contact));
}

/** C13: each guest order creates the guest, or brings an existing one (same email or phone) up to date. */
export const guestHandlers: EventHandlers = {
  'order.recorded': async (tx, event) => {
    const contact = event.payload.guest;
    if (event.customerId || !contact) return;
    await lockContact(tx, event.storeId, contact.email, contact.phone);
    const placedAt = new Date(event.payload.placedAt);
    const [existing] = await tx
      .select({ id: guests.id })
      .from(guests)
      .where(and(eq(guests.storeId, event.storeId), sameContact(contact.email, contact.phone)))
      .orderBy(sql`${guests.email} is null`)
      .limit(1)
      .for('update');
    if (existing) {
      await tx
        .update(guests)
        .set({
          name: sql`coalesce(${contact.name}, ${guests.name})`,
          orderCount: sql`${guests.orderCount} + 1`,
          firstSeenAt: sql`least(${guests.firstSeenAt}, ${placedAt.toISOString()}::timestamptz)`,
          lastSeenAt: sql`greatest(${guests.lastSeenAt}, ${placedAt.toISOString()}::timestamptz)`,
        })
        .where(and(eq(guests.storeId, event.storeId), eq(guests.id, existing.id)));
      return;
    }
    // The shopper may have registered before this order reached us: then the guest was them (C1).
    const [registered] = await tx
      .select({ id: customers.id })
      .from(customers)
      .where(
        and(
          eq(customers.storeId, event.storeId),
          isNull(customers.erasedAt),
          // C5: a deleted profile's contact may be a new registration's by now.
          isNull(customers.deletedAt),
          or(
            contact.email ? eq(customers.emailKey, contact.email.toLowerCase()) : undefined,
            contact.phone ? eq(customers.phone, contact.phone) : undefined,
          ),
        ),
      )
      .limit(1);
    await tx.insert(guests).values({
      storeId: event.storeId,
      name: contact.name,
      email: contact.email,
      phone: contact.phone,
      firstSeenAt: placedAt,
      lastSeenAt: placedAt,
      orderCount: 1,
      convertedCustomerId: registered?.id ?? null,
      convertedAt: registered ? new Date() : null,
    });
  },
};
