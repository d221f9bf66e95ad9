import { sql } from 'drizzle-orm';
import { contactHash } from '@cg/auth';
import type { EventHandlers } from '@cg/events';
import { blacklistedContacts, customerContacts } from '../db/schema.ts';

/** Keyed hashes of a contact, normalised as the customer subgraph normalises its blacklist's. */
export const phoneHash = (phone: string | null | undefined) => (phone ? contactHash('phone', phone) : null);
export const emailHash = (email: string | null | undefined) =>
  email?.trim() ? contactHash('email', email.trim().toLowerCase()) : null;

/**
 * C14: the blacklist and the registered customers' contacts, as keyed hashes only. Applied in the
 * transaction that records the event as applied, so a redelivery changes nothing; a blacklist
 * row keeps the newest event's state (by outbox position), so replaying an old one is harmless too.
 */
export const blacklistHandlers: EventHandlers = {
  'blacklist.changed': async (tx, event) => {
    const { entryId, phoneHash, emailHash, active } = event.payload;
    const state = { phoneHash, emailHash, active, seq: event.seq, updatedAt: new Date() };
    await tx
      .insert(blacklistedContacts)
      .values({ storeId: event.storeId, entryId, ...state })
      .onConflictDoUpdate({
        target: [blacklistedContacts.storeId, blacklistedContacts.entryId],
        set: state,
        setWhere: sql`${blacklistedContacts.seq} < excluded.seq`,
      });
  },
  // A customer's events arrive in outbox order: each sets what it says.
  'customer.registered': async (tx, event) => {
    if (!event.customerId) return;
    const state = { phoneHash: phoneHash(event.payload.phone), emailHash: emailHash(event.payload.email) };
    await tx
      .insert(customerContacts)
      .values({ storeId: event.storeId, customerId: event.customerId, ...state })
      .onConflictDoUpdate({ target: [customerContacts.storeId, customerContacts.customerId], set: state });
  },
  'customer.updated': async (tx, event) => {
    const { fields, after } = event.payload;
    if (!event.customerId || !(fields.includes('phone') || fields.includes('email'))) return;
    const state: { phoneHash?: string | null; emailHash?: string | null; updatedAt: Date } = { updatedAt: new Date() };
    if (fields.includes('phone')) state.phoneHash = phoneHash(after.phone as string | null);
    if (fields.includes('email')) state.emailHash = emailHash(after.email as string | null);
    await tx
      .insert(customerContacts)
      .values({ storeId: event.storeId, customerId: event.customerId, ...state })
      .onConflictDoUpdate({ target: [customerContacts.storeId, customerContacts.customerId], set: state });
  },
};
