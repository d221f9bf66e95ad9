import { and, count, eq, sql } from 'drizzle-orm';
import { isUniqueViolation, type Tx } from '@cg/db';
import {
  conflict,
  keyset,
  lazy,
  loadInStore,
  notFound,
  parseInput,
  requireId,
  toConnection,
  type BaseContext,
  type ConnectionResult,
  keysetSort,
  rootConnection,
} from '@cg/subgraph';
import { auditChanges, auditSnapshot } from '@cg/events';
import { segments, stores, type SegmentRow } from '../db/schema/index.ts';
import { AUDIT_BOOKKEEPING, audit } from '../audit-trail.ts';
import type { CustomerDb } from '../context.ts';
import { listPage, type CustomerListService } from '../customers/customer-list.service.ts';
import type { CustomerSort } from '../customers/customer.inputs.ts';
import type { ListedCustomer } from '../customers/customer.sort.ts';
import {
  createSegmentSchema,
  updateSegmentSchema,
  type CreateSegmentInput,
  type UpdateSegmentInput,
} from './segment.inputs.ts';
import { segmentCondition } from './segment.sql.ts';

/**
 * At most this many segments per store. `Customer.segments` tests every segment of the store in
 * one statement (one boolean column per segment), so the number must stay small.
 */
export const MAX_SEGMENTS_PER_STORE = 100;

type ListedSegment = SegmentRow & { nameKey: string };

const nameKey = sql<string>`lower(${segments.name})`;
const segmentSort = keysetSort<ListedSegment>('segment:name', 'asc', [
  [nameKey, 'text', (row) => row.nameKey],
  [segments.id, 'uuid', (row) => row.id],
]);

export class SegmentService {
  /** Segments this request has read, by version, for the batch functions. */
  private readonly known = new Map<string, SegmentRow>();
  private storeSegments?: Promise<SegmentRow[]>;
  /** Bumped by every change, so that batches and caches never mix rules from before and after it. */
  private generation = 0;

  constructor(
    private readonly db: CustomerDb,
    private readonly ctx: BaseContext,
    private readonly customerList: CustomerListService,
  ) {}

  async get(id: string): Promise<SegmentRow | null> {
    requireId(id);
    return loadInStore<SegmentRow>(this.ctx, this.db, segments, id);
  }

  /** The store's segments by name (case-insensitive), paged by cursor. */
  async list(args: { first?: number | null; after?: string | null }): Promise<ConnectionResult<ListedSegment>> {
    const inStore = eq(segments.storeId, this.ctx.storeId);
    return rootConnection(segmentSort, args, {
      page: async ({ after, orderBy, limit }) => {
        const rows = await this.db
          .select({ segment: segments, nameKey })
          .from(segments)
          .where(and(inStore, after))
          .orderBy(...orderBy)
          .limit(limit);
        return rows.map((row) => ({ ...row.segment, nameKey: row.nameKey }));
      },
      count: () => this.db.select({ total: count() }).from(segments).where(inStore),
    });
  }

  async create(input: CreateSegmentInput): Promise<SegmentRow> {
    const data = parseInput(createSegmentSchema, input, 'input');
    try {
      return await this.db.transaction(async (tx) => {
        // Creations in one store queue here, so that the cap holds under concurrency; customer
        // inserts only take a key-share lock on the store and are not held up.
        await tx.select({ id: stores.id }).from(stores).where(eq(stores.id, this.ctx.storeId)).for('no key update');
        const [existing] = await tx
          .select({ total: count() })
          .from(segments)
          .where(eq(segments.storeId, this.ctx.storeId));
        if ((existing?.total ?? 0) >= MAX_SEGMENTS_PER_STORE) {
          throw conflict(`A store has at most ${MAX_SEGMENTS_PER_STORE} segments`);
        }
        const [row] = await tx
          .insert(segments)
          .values({ storeId: this.ctx.storeId, ...data, createdBy: this.ctx.principal.userId })
          .returning();
        await this.audit(tx, 'segment.create', row!.id, null, auditSnapshot(row!, AUDIT_BOOKKEEPING));
        return row!;
      });
    } catch (error) {
      throw translate(error, data.name);
    } finally {
      this.changed();
    }
  }

  async update(id: string, input: UpdateSegmentInput): Promise<SegmentRow> {
    requireId(id);
    const data = parseInput(updateSegmentSchema, input, 'input');
    const changes = Object.fromEntries(Object.entries(data).filter(([, value]) => value !== undefined));
    try {
      return await this.db.transaction(async (tx) => {
        const [current] = await tx
          .select()
          .from(segments)
          .where(and(eq(segments.storeId, this.ctx.storeId), eq(segments.id, id)))
          .for('update');
        if (!current) throw notFound('Segment', id);
        const [row] = await tx
          .update(segments)
          .set({ ...changes, updatedAt: new Date() })
          .where(and(eq(segments.storeId, this.ctx.storeId), eq(segments.id, id)))
          .returning();
        const changed = auditChanges(current, row!, AUDIT_BOOKKEEPING);
        await this.audit(tx, 'segment.update', id, changed.before, changed.after);
        return row!;
      });
    } catch (error) {
      throw translate(error, data.name);
    } finally {
      this.changed();
    }
  }

  /** Returns the deleted segment; its customers are untouched (membership was never stored). */
  async delete(id: string): Promise<SegmentRow> {
    requireId(id);
    const row = await this.db.transaction(async (tx) => {
      const [deleted] = await tx
        .delete(segments)
        .where(and(eq(segments.storeId, this.ctx.storeId), eq(segments.id, id)))
        .returning();
      if (deleted) await this.audit(tx, 'segment.delete', id, auditSnapshot(deleted, AUDIT_BOOKKEEPING), null);
      return deleted;
    });
    this.changed();
    if (!row) throw notFound('Segment', id);
    return row;
  }

  /** X5: the audit entry, in the transaction of the change; segments concern no one customer. */
  private audit(
    tx: Tx,
    action: string,
    id: string,
    before: Record<string, unknown> | null,
    after: Record<string, unknown> | null,
  ) {
    return audit.record(tx, this.ctx, { action, entityType: 'Segment', entityId: id, before, after });
  }

  /**
   * Counted from current data: one statement for every segment of the request, one pass over
   * the store's customers with a `count(*) filter (where …)` per segment.
   */
  memberCount(segment: SegmentRow): Promise<number> {
    const version = this.remember(segment);
    return this.ctx.loaders
      .get<string, number>('segmentMemberCount', null, async (versions) => {
        const counts = await this.customerList.countsOf(
          versions.map((key) => ({ key, condition: this.conditionOf(key) })),
        );
        return versions.map((key) => counts.get(key) ?? 0);
      })
      .load(version);
  }

  /**
   * Members now, on the customer list's keyset sorts: one statement for every segment of the
   * request that asks for the same page (a UNION ALL of one `… limit n` per segment).
   */
  async members(
    segment: SegmentRow,
    args: { first?: number | null; after?: string | null; sort?: CustomerSort | null },
  ): Promise<ConnectionResult<ListedCustomer>> {
    const page = listPage(args);
    const version = this.remember(segment);
    const rows = await this.ctx.loaders
      .get<string, ListedCustomer[]>(
        'segmentMembers',
        { first: page.first, after: page.after, sort: page.sort.name },
        async (versions) => {
          const pages = await this.customerList.pagesOf(
            versions.map((key) => ({ key, condition: this.conditionOf(key) })),
            page,
          );
          return versions.map((key) => pages.get(key) ?? []);
        },
      )
      .load(version);
    return toConnection(rows, {
      first: page.first,
      after: page.after,
      cursorOf: keyset.cursorOf(page.sort),
      totalCount: lazy(() => this.memberCount(segment)),
    });
  }

  /**
   * The store's segments whose rules the customer meets now: for every customer of the request,
   * two statements in all (the store's segments, then one boolean per segment and customer).
   */
  forCustomer(customerId: string): Promise<SegmentRow[]> {
    return this.byCustomer().load(customerId);
  }

  private byCustomer() {
    return this.ctx.loaders.get<string, SegmentRow[]>('segmentsByCustomer', null, async (customerIds) => {
      const all = await this.all();
      if (all.length === 0) return customerIds.map(() => []);
      const tests = await this.customerList.testAll(
        customerIds,
        all.map((segment) => segmentCondition(segment.rules)),
      );
      return customerIds.map((id) => {
        const matches = tests.get(id);
        return matches ? all.filter((_, index) => matches[index]) : [];
      });
    });
  }

  /** After a change, later fields of the same request (mutations run in order) read afresh. */
  private changed(): void {
    this.generation += 1;
    this.storeSegments = undefined;
    this.byCustomer().clearAll();
  }

  /** Every segment of the store, by name; read once per request. */
  private all(): Promise<SegmentRow[]> {
    this.storeSegments ??= (async () =>
      this.db.select().from(segments).where(eq(segments.storeId, this.ctx.storeId)).orderBy(nameKey, segments.id))();
    return this.storeSegments;
  }

  private remember(segment: SegmentRow): string {
    const version = `${segment.id}@${segment.updatedAt.getTime()}#${this.generation}`;
    this.known.set(version, segment);
    return version;
  }

  private conditionOf(version: string) {
    return segmentCondition(this.known.get(version)!.rules);
  }
}

function translate(error: unknown, name: string | undefined): unknown {
  if (isUniqueViolation(error, 'segments_store_name_key')) return conflict(`A segment named "${name}" already exists`);
  return error;
}
