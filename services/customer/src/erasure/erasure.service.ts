import { and, eq, inArray, or, sql } from 'drizzle-orm';
import { recordEvents, scrubEventPayload, scrubOutbox, scrubPersonalData, type AuditActor } from '@cg/events';
import { erasePersonalData, notFound, requireId, type BaseContext } from '@cg/subgraph';
import type { Tx } from '@cg/db';
import { auditEntries, customers, outbox, timelineEntries, type CustomerRow } from '../db/schema/index.ts';
import { audit } from '../audit-trail.ts';
import type { CustomerDb } from '../context.ts';
import { notifySummaryChanged } from '../summary/summary.notify.ts';
import { personalData } from '../personal-data/personal-data.registry.ts';

/** What an erased profile is called: it stays listable and countable, but names no one. */
const ERASED_NAME = { firstName: 'Erased', lastName: 'Customer' } as const;

/**
 * C19, the right to be forgotten, in this subgraph; `customer.erased` carries it to the others.
 * The registry (personal-data/personal-data.registry.ts) says what goes from each table; this
 * anonymises the profile and scrubs the timeline, audit trail and events.
 * The profile row and its id stay (blocked, anonymised, `erasedAt` set) because orders, payments,
 * ledgers and consent records elsewhere are kept as anonymised financial and legal records under
 * that id. The metrics projection stays too: its figures are those records' sums, nothing
 * personal, and the store's statistics keep adding up.
 */
export class ErasureService {
  constructor(
    private readonly db: CustomerDb,
    private readonly ctx: BaseContext,
  ) {}

  /** Erasing an erased profile changes nothing and returns it, so a retried request is harmless. */
  async erase(id: string): Promise<CustomerRow> {
    requireId(id);
    const { storeId } = this.ctx;
    return this.db.transaction(async (tx) => {
      const [current] = await tx
        .select()
        .from(customers)
        .where(and(eq(customers.storeId, storeId), eq(customers.id, id)))
        .for('update');
      if (!current) throw notFound('Customer', id);
      if (current.erasedAt) return current;
      return eraseProfile(tx, this.ctx, current);
    });
  }
}

/**
 * The erasure itself, of `current` (read with its row locked, not erased), in the caller's
 * transaction: `eraseCustomer`, and the retention task that erases deleted profiles (C5) once
 * they can no longer be restored. `actor` is who the audit entry names.
 */
export async function eraseProfile(
  tx: Tx,
  actor: AuditActor & { storeId: string },
  current: CustomerRow,
): Promise<CustomerRow> {
  const { storeId } = actor;
  const { id } = current;
  // Before the profile is anonymised: the guest the person was is found by their contact.
  await erasePersonalData(tx, personalData, storeId, id);
  const erasedAt = new Date();
  const [row] = await tx
    .update(customers)
    .set({
      ...ERASED_NAME,
      identityId: null,
      email: null,
      phone: null,
      gender: null,
      birthDate: null,
      language: null,
      status: 'blocked',
      notes: null,
      tags: [],
      isBusiness: false,
      companyName: null,
      taxOffice: null,
      taxNumber: null,
      vipMemberNumber: null,
      vipVerificationCode: null,
      erasedAt,
      updatedAt: erasedAt,
    })
    .where(and(eq(customers.storeId, storeId), eq(customers.id, id)))
    .returning();
  // The person may still be another store's customer: only their last profile takes the identity along.
  if (current.identityId) await tx.execute(sql`select customer.release_identity(${current.identityId})`);
  const orderIds = await scrubTimeline(tx, storeId, id);
  await scrubAuditEntries(tx, storeId, id, orderIds);
  await scrubOutbox(tx, outbox, id, and(eq(outbox.storeId, storeId), eq(outbox.customerId, id))!);
  await recordEvents(tx, outbox, [
    { type: 'customer.erased', storeId, customerId: id, payload: { erasedAt: erasedAt.toISOString() } },
    audit.event(actor, {
      action: 'customer.erase',
      entityType: 'Customer',
      entityId: id,
      customerId: id,
      before: null,
      after: { status: 'blocked', erasedAt: erasedAt.toISOString() },
    }),
  ]);
  await notifySummaryChanged(tx, storeId, id);
  return row!;
}

/** Kinds whose summary quotes personal data after a colon ("Address added: delivery, 1 Main St, Paris"). */
const QUOTING_KINDS = new Set(['address']);

/**
 * The timeline keeps what happened and when; the personal text goes: contact details and address
 * lines in the data, the notes' text, the part of an address entry's summary that quotes it.
 */
async function scrubTimeline(tx: Tx, storeId: string, customerId: string): Promise<string[]> {
  const entries = await tx
    .select()
    .from(timelineEntries)
    .where(and(eq(timelineEntries.storeId, storeId), eq(timelineEntries.customerId, customerId)));
  for (const entry of entries) {
    const data = entry.kind === 'note' ? {} : scrubPersonalData(entry.data);
    const summary = QUOTING_KINDS.has(entry.kind) ? entry.summary.split(':')[0]! : entry.summary;
    if (summary === entry.summary && JSON.stringify(data) === JSON.stringify(entry.data)) continue;
    await tx
      .update(timelineEntries)
      .set({ summary, data })
      .where(and(eq(timelineEntries.storeId, storeId), eq(timelineEntries.id, entry.id)));
  }
  // The customer's orders, guest orders they inherited included, as far as this subgraph knows.
  return [...new Set(entries.flatMap((entry) => (entry.orderId ? [entry.orderId] : [])))];
}

/**
 * Audit entries keep who did what and when; their snapshots lose the customer's personal keys.
 * Those about the customer's orders count too: a guest order's entries name no customer.
 */
async function scrubAuditEntries(tx: Tx, storeId: string, customerId: string, orderIds: string[]): Promise<void> {
  const entries = await tx
    .select()
    .from(auditEntries)
    .where(
      and(
        eq(auditEntries.storeId, storeId),
        or(
          eq(auditEntries.customerId, customerId),
          orderIds.length ? inArray(auditEntries.entityId, orderIds) : undefined,
        ),
      ),
    );
  for (const entry of entries) {
    const scrubbed = scrubEventPayload('audit.recorded', entry, customerId) as typeof entry;
    if (JSON.stringify(scrubbed) === JSON.stringify(entry)) continue;
    await tx
      .update(auditEntries)
      .set({ ip: scrubbed.ip, before: scrubbed.before, after: scrubbed.after })
      .where(and(eq(auditEntries.storeId, storeId), eq(auditEntries.id, entry.id)));
  }
}
