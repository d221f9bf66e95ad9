import { eq, type SQL } from 'drizzle-orm';
import type { Tx } from '@cg/db';
import type { EventType } from './catalog.ts';
import type { OutboxTable } from './tables.ts';

/**
 * X4: the keys of snapshots (audit before/after) that the "see personal data" action guards: email,
 * phone, birthday, address lines and IP addresses, and how each is masked for staff without it. Erasure removes
 * these and more (below).
 */
export const MASKED_PERSONAL_KEYS: Readonly<Record<string, 'email' | 'phone' | 'ip' | 'text'>> = {
  email: 'email',
  phone: 'phone',
  birthDate: 'text',
  recipient: 'text',
  line1: 'text',
  line2: 'text',
  postalCode: 'text',
  // A guest order's contact, as its audit snapshot has it.
  guestEmail: 'email',
  guestEmailKey: 'email',
  guestPhone: 'phone',
  // Where an order, payment or consent came from.
  ip: 'ip',
};

/**
 * C19: keys whose values identify or describe a person, wherever they appear in the JSON that
 * events, audit snapshots and timeline data carry (profiles, addresses, guest contacts, free
 * text about or by the customer, IP addresses). Identifiers, amounts, statuses, countries and
 * wallet reasons are not among them: the financial records they belong to are kept.
 */
const PERSONAL_KEYS = new Set([
  ...Object.keys(MASKED_PERSONAL_KEYS),
  'firstName',
  'lastName',
  'name',
  'fullName',
  'gender',
  'city',
  'region',
  'notes',
  'note',
  'comment',
  'tags',
  'business',
  'companyName',
  'taxOffice',
  'taxNumber',
  'vipCard',
  'vipMemberNumber',
  'vipVerificationCode',
  'guest',
  'guestName',
  'guestEmail',
  'guestPhone',
  'ip',
  // Keys derived from the above (generated columns in row snapshots).
  'guestEmailKey',
  'emailKey',
  'nameKey',
  'lastNameKey',
]);

/** A copy with every personal key's value replaced by null, at any depth; the shape stays. */
export function scrubPersonalData<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => scrubPersonalData(item)) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, item]) => [
      key,
      PERSONAL_KEYS.has(key) ? null : scrubPersonalData(item),
    ]),
  ) as T;
}

/**
 * An event's payload without the erased customer's personal data. An audit entry's IP is the
 * actor's: a staff member's stays, the customer's own goes.
 */
export function scrubEventPayload(type: EventType | string, payload: unknown, customerId: string): unknown {
  if (type !== 'audit.recorded') return scrubPersonalData(payload);
  const entry = payload as Record<string, unknown>;
  const ownIp = entry.actorKind === 'customer' && entry.actorId === customerId;
  return {
    ...entry,
    ip: ownIp ? null : entry.ip,
    before: scrubPersonalData(entry.before),
    after: scrubPersonalData(entry.after),
  };
}

/**
 * C19: the producer's outbox is kept as a log for replays, so the erased customer's events stay
 * (their ids, amounts and order keep projections rebuildable) without their personal data.
 * `where` selects the rows about the customer. Returns how many rows changed.
 */
export async function scrubOutbox(tx: Tx, outbox: OutboxTable, customerId: string, where: SQL): Promise<number> {
  const rows = await tx
    .select({ seq: outbox.seq, type: outbox.type, payload: outbox.payload })
    .from(outbox)
    .where(where);
  let changed = 0;
  for (const row of rows) {
    const scrubbed = scrubEventPayload(row.type, row.payload, customerId);
    if (JSON.stringify(scrubbed) === JSON.stringify(row.payload)) continue;
    await tx.update(outbox).set({ payload: scrubbed }).where(eq(outbox.seq, row.seq));
    changed += 1;
  }
  return changed;
}
