import { and, eq, getTableColumns } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { BaseContext } from '../context.ts';
import { rowsAbout, type PersonalDataRegistry } from './personal-data.registry.ts';

type PersonalDataSection = Record<string, unknown>[];

/**
 * C19's data document, this subgraph's part: every registered table's rows about the customer, by
 * section, each row with its columns as the API names them. One statement per table; a table with
 * no rows about the customer is an empty section, so the document shows what was looked at.
 */
async function exportPersonalData(
  db: PostgresJsDatabase<any>,
  registry: PersonalDataRegistry,
  storeId: string,
  customerId: string,
): Promise<Record<string, PersonalDataSection>> {
  const document: Record<string, PersonalDataSection> = {};
  for (const entry of registry) {
    if (entry.notExported) continue;
    const omitted = new Set(entry.omit ?? []);
    const columns = Object.fromEntries(
      Object.entries(getTableColumns(entry.table)).filter(([, column]) => !omitted.has(column)),
    );
    const rows = await db
      .select(columns)
      .from(entry.table as PgTable)
      .where(and(eq(entry.table.storeId, storeId), rowsAbout(entry, storeId, customerId)));
    document[entry.section] = [...(document[entry.section] ?? []), ...(rows as Record<string, unknown>[])];
  }
  return document;
}

/** A subgraph's part of the person's data document, for its `CustomerDataExport` field. */
export class PersonalDataExport {
  constructor(
    private readonly db: PostgresJsDatabase<any>,
    private readonly ctx: BaseContext,
    private readonly registry: PersonalDataRegistry,
  ) {}

  of(customerId: string): Promise<Record<string, PersonalDataSection>> {
    return exportPersonalData(this.db, this.registry, this.ctx.storeId, customerId);
  }
}
