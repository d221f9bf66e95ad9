import { recordEvents } from '@cg/events';
import { and, asc, eq, isNotNull, type SQL } from 'drizzle-orm';
import {
  forbidden,
  invalidField,
  actorKind,
  actsFor,
  keyset,
  notFound,
  parseInput,
  zx,
  type BaseContext,
  type CustomerDirectory,
  loadInStore,
  connectionByParent,
  keysetSort,
  loadByParent,
} from '@cg/subgraph';
import {
  outbox,
  permissionRecords,
  permissionStates,
  type PermissionRecordRow,
  type PermissionStateRow,
} from '../db/schema.ts';
import { audit } from '../audit-trail.ts';
import type { ConsentDb } from '../context.ts';
import type { LegalDocumentService } from '../legal-documents/legal-document.service.ts';
import { permissionChangeSchema, type PermissionChangeInput, type PermissionFilter } from './permission.inputs.ts';
import { NotificationChannel, PermissionAction, PermissionSource, PermissionSubjectKind } from './permission.type.ts';

/**
 * "Latest" is the greatest (recorded_at, seq) everywhere: in these sorts and in the trigger that
 * derives `permission_states` (migration 0001).
 */
const permissionSort = keysetSort<PermissionStateRow>('permission', 'desc', [
  [permissionStates.updatedAt, 'timestamptz', (row) => row.updatedAt],
  [permissionStates.recordSeq, 'bigint', (row) => row.recordSeq],
]);

const recordSort = keysetSort<PermissionRecordRow>('permissionRecord', 'desc', [
  [permissionRecords.recordedAt, 'timestamptz', (row) => row.recordedAt],
  [permissionRecords.seq, 'bigint', (row) => row.seq],
]);

const CHANNELS = new Set<string>(Object.values(NotificationChannel));

/** `document:<key>` or `channel:<channel>`, as the trigger names a record's subject. */
function subjectOf(record: Pick<PermissionRecordRow, 'channel' | 'documentKey'>): string {
  return record.channel ? `channel:${record.channel}` : `document:${record.documentKey}`;
}

export class PermissionService {
  constructor(
    private readonly db: ConsentDb,
    private readonly ctx: BaseContext,
    private readonly legalDocuments: LegalDocumentService,
    private readonly directory: CustomerDirectory,
  ) {}

  grant(input: PermissionChangeInput): Promise<PermissionRecordRow> {
    return this.record(PermissionAction.GRANTED, input);
  }

  revoke(input: PermissionChangeInput): Promise<PermissionRecordRow> {
    return this.record(PermissionAction.REVOKED, input);
  }

  /**
   * P2: appends one record; the current state follows in the same statement (trigger). Granting
   * after a revocation, or revoking what was never granted, is recorded like anything else.
   */
  private async record(action: PermissionAction, input: PermissionChangeInput): Promise<PermissionRecordRow> {
    const data = parseInput(permissionChangeSchema, input, 'input');
    this.assertActsFor(data.customerId);
    const recordedByKind = actorKind(this.ctx);
    const customerSources: string[] = [PermissionSource.REGISTRATION, PermissionSource.CHECKOUT];
    if (this.ctx.principal.kind === 'customer' && !customerSources.includes(data.source)) {
      throw forbidden('A customer can record permissions only from REGISTRATION or CHECKOUT');
    }
    // The record is the store's legal proof: its address is the one the gateway saw, except for
    // staff importing records made elsewhere in the past, who bring the address recorded then.
    if (data.ip && !(this.ctx.principal.kind === 'staff' && data.source === PermissionSource.IMPORT)) {
      throw invalidField(
        'input.ip',
        "only staff importing records (source IMPORT) give an address; else it is the caller's",
      );
    }
    // Only a customer of the store, not erased, gets new records (NOT_FOUND, CONFLICT).
    await this.directory.require(data.customerId, 'record');
    let documentKey: string | null = null;
    if (data.documentId) {
      // Versions never change, so what is read here still holds when the record is inserted.
      const document = await this.legalDocuments.load(data.documentId);
      if (!document) throw notFound('LegalDocument', data.documentId);
      documentKey = document.key;
    }
    return this.db.transaction(async (tx) => {
      // The subject's state before this record (the trigger replaces it in the insert below).
      const [previous] = await tx
        .select({
          status: permissionStates.status,
          source: permissionStates.source,
          documentId: permissionStates.documentId,
        })
        .from(permissionStates)
        .where(
          and(
            eq(permissionStates.storeId, this.ctx.storeId),
            eq(permissionStates.customerId, data.customerId),
            eq(permissionStates.subject, subjectOf({ channel: data.channel ?? null, documentKey })),
          ),
        );
      const [row] = await tx
        .insert(permissionRecords)
        .values({
          storeId: this.ctx.storeId,
          customerId: data.customerId,
          documentId: data.documentId ?? null,
          documentKey,
          channel: data.channel ?? null,
          action,
          source: data.source,
          ip: data.ip ?? callerIp(this.ctx.ip),
          recordedBy: this.ctx.principal.userId,
          recordedByKind,
        })
        .returning();
      await recordEvents(tx, outbox, [
        {
          type: 'consent.changed',
          storeId: this.ctx.storeId,
          customerId: data.customerId,
          payload: {
            status: action,
            documentKey,
            documentId: data.documentId ?? null,
            channel: data.channel ?? null,
            source: data.source,
            recordedBy: this.ctx.principal.userId,
          },
        },
        audit.event(this.ctx, {
          action: action === PermissionAction.GRANTED ? 'permission.grant' : 'permission.revoke',
          entityType: 'PermissionRecord',
          entityId: row!.id,
          customerId: data.customerId,
          before: previous ?? null,
          after: {
            status: row!.action,
            source: row!.source,
            documentId: row!.documentId,
            documentKey: row!.documentKey,
            channel: row!.channel,
            ip: row!.ip,
          },
        }),
      ]);
      return row!;
    });
  }

  /** P4: the customer's current permission per subject; one statement for every customer of the request. */
  async forCustomer(
    customerId: string,
    args: { first?: number | null; after?: string | null; filter?: PermissionFilter | null },
  ) {
    this.assertActsFor(customerId);
    const filter = args.filter;
    const key = {
      status: filter?.status ?? null,
      type: filter?.type ?? null,
      kind: filter?.kind ?? null,
      category: filter?.category ?? null,
    };
    return connectionByParent(this.ctx, this.db, {
      relation: 'permissionsByCustomer',
      parentId: customerId,
      table: permissionStates,
      parentColumn: permissionStates.customerId,
      sort: permissionSort,
      where: and(...this.stateFilters(key)),
      filterKey: key,
      args,
    });
  }

  private stateFilters(filter: PermissionFilter): SQL[] {
    const conditions: SQL[] = [eq(permissionStates.storeId, this.ctx.storeId)];
    if (filter.status) conditions.push(eq(permissionStates.status, filter.status));
    if (filter.category) conditions.push(eq(permissionStates.category, filter.category));
    if (filter.kind === PermissionSubjectKind.DOCUMENT) conditions.push(isNotNull(permissionStates.documentId));
    if (filter.kind === PermissionSubjectKind.CHANNEL) conditions.push(isNotNull(permissionStates.channel));
    if (filter.type) {
      conditions.push(
        CHANNELS.has(filter.type)
          ? eq(permissionStates.channel, filter.type as unknown as NotificationChannel)
          : eq(
              permissionStates.documentType,
              filter.type as unknown as NonNullable<PermissionStateRow['documentType']>,
            ),
      );
    }
    return conditions;
  }

  /** The raw append-only log of a customer, newest first; batched like `forCustomer`. */
  async recordsForCustomer(customerId: string, args: { first?: number | null; after?: string | null }) {
    this.assertActsFor(customerId);
    return connectionByParent(this.ctx, this.db, {
      relation: 'permissionRecordsByCustomer',
      parentId: customerId,
      table: permissionRecords,
      parentColumn: permissionRecords.customerId,
      sort: recordSort,
      where: eq(permissionRecords.storeId, this.ctx.storeId),
      args,
    });
  }

  /**
   * The records of one permission's subject, newest first. One statement loads the records of
   * every customer whose permissions the request shows; they are split by subject here.
   */
  async history(state: PermissionStateRow): Promise<PermissionRecordRow[]> {
    const records = await loadByParent<PermissionRecordRow>(this.ctx, this.db, {
      relation: 'permissionHistoryByCustomer',
      table: permissionRecords,
      parentColumn: permissionRecords.customerId,
      parentId: state.customerId,
      orderBy: keyset.orderBy(recordSort),
    });
    return records.filter((record) => subjectOf(record) === state.subject);
  }

  /**
   * The subject's state now, which a record's insert updated (its trigger keeps one per customer and
   * subject): what a grant or a revocation changed, for a client's cache. Batched by customer.
   */
  async stateOf(record: PermissionRecordRow): Promise<PermissionStateRow> {
    const states = await loadByParent<PermissionStateRow>(this.ctx, this.db, {
      relation: 'permissionStatesByCustomer',
      table: permissionStates,
      parentColumn: permissionStates.customerId,
      parentId: record.customerId,
      orderBy: [asc(permissionStates.subject)],
    });
    const state = states.find((candidate) => candidate.subject === subjectOf(record));
    if (!state) throw new Error(`Permission record ${record.id} has no state`);
    return state;
  }

  /** Batched by id; a customer sees only their own records. */
  load(id: string): Promise<PermissionRecordRow | null> {
    const own =
      this.ctx.principal.kind === 'customer' ? eq(permissionRecords.customerId, this.ctx.principal.userId) : undefined;
    return loadInStore(this.ctx, this.db, permissionRecords, id, { where: own });
  }

  /** Staff act for any customer of their store; a customer only for themselves. */
  private assertActsFor(customerId: string): void {
    if (!actsFor(this.ctx, customerId)) {
      throw forbidden('A customer can see and change only their own permissions');
    }
  }
}

/** The caller's address as the request carries it, when it is one (IPv4-mapped IPv6 unwrapped). */
function callerIp(ip: string | undefined): string | null {
  const candidate = ip?.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');
  return candidate && zx.ip.safeParse(candidate).success ? candidate : null;
}
