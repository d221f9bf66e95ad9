import { and, eq, or, sql, type SQL } from 'drizzle-orm';
import { GraphQLError } from 'graphql';
import { contactHash } from '@cg/auth';
import { isUniqueViolation, type Tx } from '@cg/db';
import { auditChanges, auditSnapshot, recordEvents, type NewEvent } from '@cg/events';
import { ErrorCode } from '@cg/http';
import {
  invalidField,
  keysetSort,
  notFound,
  parseInput,
  requireId,
  seesPersonalData,
  startsWith,
  tableConnection,
  type BaseContext,
  type ConnectionResult,
} from '@cg/subgraph';
import { blacklistEntries, outbox, type BlacklistEntryRow } from '../db/schema/index.ts';
import { AUDIT_BOOKKEEPING, audit } from '../audit-trail.ts';
import type { CustomerDb } from '../context.ts';
import type { BlacklistReason } from './blacklist.type.ts';
import {
  addBlacklistEntrySchema,
  blacklistPhone,
  blacklistSearchSchema,
  updateBlacklistEntrySchema,
  type AddBlacklistEntryInput,
  type UpdateBlacklistEntryInput,
} from './blacklist.inputs.ts';

/** Newest first; backed by blacklist_entries_store_created_idx. */
const blacklistSort = keysetSort<BlacklistEntryRow>('blacklist', 'desc', [
  [blacklistEntries.createdAt, 'timestamptz', (row) => row.createdAt],
  [blacklistEntries.id, 'uuid', (row) => row.id],
]);

const PHONE_BLACKLISTED = 'This phone is already blacklisted in this store';
const EMAIL_BLACKLISTED = 'This email is already blacklisted in this store';

/**
 * C14: the store's blacklist of contacts. Every change is audited (X5) and announced as
 * `blacklist.changed`, which carries keyed hashes of the contact, never the contact itself:
 * commerce-history refuses orders from it without holding it in clear.
 */
export class BlacklistService {
  constructor(
    private readonly db: CustomerDb,
    private readonly ctx: BaseContext,
  ) {}

  async list(args: {
    first?: number | null;
    after?: string | null;
    search?: string | null;
    reason?: BlacklistReason | null;
  }): Promise<ConnectionResult<BlacklistEntryRow>> {
    const search = parseInput(blacklistSearchSchema, args.search ?? undefined, 'search');
    const conditions: (SQL | undefined)[] = [eq(blacklistEntries.storeId, this.ctx.storeId)];
    if (args.reason) conditions.push(eq(blacklistEntries.reason, args.reason));
    if (search) conditions.push(this.searchCondition(search));
    return tableConnection(this.db, { table: blacklistEntries, sort: blacklistSort, conditions, args });
  }

  /**
   * A phone in any spelling of the number (`+90 532 123 45 67`, `0090532…`), or a prefix of its
   * digits; an email's prefix; words of the note. Without PERSONAL_DATA_READ only the note is
   * searched: matching phones and emails would let one probe for them.
   */
  private searchCondition(search: string): SQL {
    const contains = `%${search.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
    const alternatives: SQL[] = [sql`lower(${blacklistEntries.note}) like ${contains}`];
    if (seesPersonalData(this.ctx)) {
      alternatives.push(startsWith(blacklistEntries.email, search.toLowerCase()));
      const e164 = blacklistPhone(search);
      if (e164) alternatives.push(eq(blacklistEntries.phone, e164));
      else {
        const digits = search.replace(/[\s()-]/g, '').replace(/^00(?=[1-9])/, '+');
        if (/^\+?\d{2,}$/.test(digits))
          alternatives.push(startsWith(blacklistEntries.phone, `+${digits.replace(/^\+/, '')}`));
      }
    }
    return or(...alternatives)!;
  }

  async add(input: AddBlacklistEntryInput): Promise<BlacklistEntryRow> {
    const data = parseInput(addBlacklistEntrySchema, input, 'input');
    const staff = this.ctx.principal.userId;
    try {
      return await this.db.transaction(async (tx) => {
        const [row] = await tx
          .insert(blacklistEntries)
          .values({
            storeId: this.ctx.storeId,
            phone: data.phone ?? null,
            email: data.email ?? null,
            reason: data.reason,
            note: data.note ?? null,
            createdBy: staff,
            updatedBy: staff,
          })
          .returning();
        await this.announce(tx, row!, true, 'blacklist.add', null, auditSnapshot(row!, AUDIT_BOOKKEEPING));
        return row!;
      });
    } catch (error) {
      throw translate(error);
    }
  }

  async update(id: string, input: UpdateBlacklistEntryInput): Promise<BlacklistEntryRow> {
    requireId(id);
    const data = parseInput(updateBlacklistEntrySchema, input, 'input');
    const changes = Object.fromEntries(Object.entries(data).filter(([, value]) => value !== undefined)) as Partial<
      typeof blacklistEntries.$inferInsert
    >;
    // A reason cannot be cleared, only changed.
    if (data.reason === null) throw invalidField('input.reason', 'must not be null');
    try {
      return await this.db.transaction(async (tx) => {
        const [current] = await tx.select().from(blacklistEntries).where(this.entry(id)).for('update');
        if (!current) throw notFound('BlacklistEntry', id);
        const phone = changes.phone !== undefined ? changes.phone : current.phone;
        const email = changes.email !== undefined ? changes.email : current.email;
        if (!phone && !email) throw invalidField('input.phone', 'a phone number or an email is required');
        const [row] = await tx
          .update(blacklistEntries)
          .set({ ...changes, updatedBy: this.ctx.principal.userId, updatedAt: new Date() })
          .where(this.entry(id))
          .returning();
        const changed = auditChanges(current, row!, [...AUDIT_BOOKKEEPING, 'updatedBy']);
        await this.announce(tx, row!, true, 'blacklist.update', changed.before, changed.after);
        return row!;
      });
    } catch (error) {
      throw translate(error);
    }
  }

  /** Returns the removed entry; the contact may order again once commerce-history has the event. */
  async remove(id: string): Promise<BlacklistEntryRow> {
    requireId(id);
    const row = await this.db.transaction(async (tx) => {
      const [deleted] = await tx.delete(blacklistEntries).where(this.entry(id)).returning();
      if (deleted) {
        await this.announce(tx, deleted, false, 'blacklist.remove', auditSnapshot(deleted, AUDIT_BOOKKEEPING), null);
      }
      return deleted;
    });
    if (!row) throw notFound('BlacklistEntry', id);
    return row;
  }

  private entry(id: string) {
    return and(eq(blacklistEntries.storeId, this.ctx.storeId), eq(blacklistEntries.id, id));
  }

  /**
   * The change's `blacklist.changed` and its audit entry (X5), in its transaction. The entry
   * concerns a contact, not a customer: neither names one, so erasing a customer with that
   * contact leaves both (their phone and email are the blacklist's, kept for staff to read).
   */
  private async announce(
    tx: Tx,
    row: BlacklistEntryRow,
    active: boolean,
    action: string,
    before: Record<string, unknown> | null,
    after: Record<string, unknown> | null,
  ): Promise<void> {
    const changed: NewEvent<'blacklist.changed'> = {
      type: 'blacklist.changed',
      storeId: row.storeId,
      customerId: null,
      payload: {
        entryId: row.id,
        phoneHash: row.phone ? contactHash('phone', row.phone) : null,
        emailHash: row.email ? contactHash('email', row.email) : null,
        active,
      },
    };
    await recordEvents(tx, outbox, [
      changed,
      ...audit.events(this.ctx, { action, entityType: 'BlacklistEntry', entityId: row.id, before, after }),
    ]);
  }
}

function translate(error: unknown): unknown {
  if (isUniqueViolation(error, 'blacklist_entries_store_phone_key')) return duplicate(PHONE_BLACKLISTED, 'phone');
  if (isUniqueViolation(error, 'blacklist_entries_store_email_key')) return duplicate(EMAIL_BLACKLISTED, 'email');
  return error;
}

/** CONFLICT, with the contact that another entry of the store already has. */
function duplicate(message: string, contact: 'phone' | 'email'): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: ErrorCode.CONFLICT,
      reason: contact === 'phone' ? 'PHONE_BLACKLISTED' : 'EMAIL_BLACKLISTED',
      field: `input.${contact}`,
    },
  });
}
