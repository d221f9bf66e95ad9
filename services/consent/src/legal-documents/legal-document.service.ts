import { and, desc, eq, gt, notExists, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { isUniqueViolation } from '@cg/db';
import {
  conflict,
  invalidField,
  parseInput,
  type BaseContext,
  type ConnectionResult,
  loadInStore,
  requireId,
  keysetSort,
  tableConnection,
} from '@cg/subgraph';
import { auditSnapshot } from '@cg/events';
import { legalDocuments, type LegalDocumentRow } from '../db/schema.ts';
import { audit } from '../audit-trail.ts';
import type { ConsentDb } from '../context.ts';
import {
  legalDocumentFilterSchema,
  publishLegalDocumentSchema,
  type LegalDocumentFilter,
  type PublishLegalDocumentInput,
} from './legal-document.inputs.ts';
import { LegalDocumentCategory, LegalDocumentType } from './legal-document.type.ts';

/** Newest published first; backed by (store_id, created_at, id). */
const legalDocumentSort = keysetSort<LegalDocumentRow>('legalDocument', 'desc', [
  [legalDocuments.createdAt, 'timestamptz', (row) => row.createdAt],
  [legalDocuments.id, 'uuid', (row) => row.id],
]);

export class LegalDocumentService {
  constructor(
    private readonly db: ConsentDb,
    private readonly ctx: BaseContext,
  ) {}

  load(id: string): Promise<LegalDocumentRow | null> {
    return loadInStore(this.ctx, this.db, legalDocuments, id);
  }

  async get(id: string): Promise<LegalDocumentRow | null> {
    requireId(id);
    return this.load(id);
  }

  async list(args: {
    first?: number | null;
    after?: string | null;
    filter?: LegalDocumentFilter | null;
  }): Promise<ConnectionResult<LegalDocumentRow>> {
    const filters = this.listFilters(args.filter);
    return tableConnection(this.db, { table: legalDocuments, sort: legalDocumentSort, conditions: filters, args });
  }

  private listFilters(raw: LegalDocumentFilter | null | undefined): SQL[] {
    const filter = parseInput(legalDocumentFilterSchema, raw, 'filter');
    const conditions: SQL[] = [eq(legalDocuments.storeId, this.ctx.storeId)];
    if (filter?.category) conditions.push(eq(legalDocuments.category, filter.category));
    if (filter?.type) conditions.push(eq(legalDocuments.type, filter.type));
    if (filter?.key) conditions.push(eq(legalDocuments.key, filter.key));
    if (filter?.latestOnly) {
      // Answered from the (store_id, key, version) unique index.
      const newer = alias(legalDocuments, 'newer');
      conditions.push(
        notExists(
          this.db
            .select({ one: sql`1` })
            .from(newer)
            .where(
              and(
                eq(newer.storeId, legalDocuments.storeId),
                eq(newer.key, legalDocuments.key),
                gt(newer.version, legalDocuments.version),
              ),
            ),
        ),
      );
    }
    return conditions;
  }

  /**
   * P1: the next version of the series. Publishes of one key are serialised by a transaction
   * lock on (store, key); the unique (store_id, key, version) index is the database's guarantee.
   */
  async publish(input: PublishLegalDocumentInput): Promise<LegalDocumentRow> {
    const data = parseInput(publishLegalDocumentSchema, input, 'input');
    const category = data.category ?? LegalDocumentCategory.LEGAL;
    try {
      return await this.db.transaction(async (tx) => {
        await tx.execute(
          sql`select pg_advisory_xact_lock(hashtextextended(${`consent.legal_documents:${this.ctx.storeId}:${data.key}`}, 0))`,
        );
        const [latest] = await tx
          .select({ version: legalDocuments.version, type: legalDocuments.type, category: legalDocuments.category })
          .from(legalDocuments)
          .where(and(eq(legalDocuments.storeId, this.ctx.storeId), eq(legalDocuments.key, data.key)))
          .orderBy(desc(legalDocuments.version))
          .limit(1);
        if (latest && latest.type !== data.type) {
          throw invalidField(
            'input.type',
            `must be ${enumName(LegalDocumentType, latest.type)}, the type of the earlier versions of "${data.key}"`,
          );
        }
        if (latest && latest.category !== category) {
          throw invalidField(
            'input.category',
            `must be ${enumName(LegalDocumentCategory, latest.category)}, the category of the earlier versions of "${data.key}"`,
          );
        }
        const [row] = await tx
          .insert(legalDocuments)
          .values({
            storeId: this.ctx.storeId,
            key: data.key,
            type: data.type,
            category,
            title: data.title,
            version: (latest?.version ?? 0) + 1,
            content: data.content ?? null,
            url: data.url ?? null,
            ...(data.effectiveAt ? { effectiveAt: data.effectiveAt } : {}),
            mandatory: data.mandatory ?? false,
            publishedBy: this.ctx.principal.userId,
          })
          .returning();
        await audit.record(tx, this.ctx, {
          action: 'legal_document.publish',
          entityType: 'LegalDocument',
          entityId: row!.id,
          before: latest ? { key: data.key, version: latest.version } : null,
          after: auditSnapshot(row!, ['storeId']),
        });
        return row!;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'legal_documents_store_key_version_key')) {
        throw conflict(`Another version of "${data.key}" was published at the same time; try again`);
      }
      throw error;
    }
  }
}

/** The GraphQL name of an enum's database value, for messages. */
function enumName(values: Record<string, string>, value: string): string {
  return Object.entries(values).find(([, v]) => v === value)?.[0] ?? value;
}
