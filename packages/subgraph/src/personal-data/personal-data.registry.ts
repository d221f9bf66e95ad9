import { or, eq, sql, type Column, type SQL } from 'drizzle-orm';
import { getTableConfig, type PgColumn, type PgTable } from 'drizzle-orm/pg-core';

/**
 * What erasure (C19) does to a table's rows about the customer:
 * - `delete`: the rows go;
 * - `scrub`: the listed columns become null, the rows stay;
 * - `keep`: the rows stay as they are, for the reason given (financial and legal records, ids only);
 * - `custom`: the subgraph's erasure code changes them, for the reason given (anonymised values,
 *   snapshots whose personal keys are removed).
 */
type Erasure =
  | { readonly kind: 'delete' }
  | { readonly kind: 'scrub'; readonly columns: readonly PgColumn[] }
  | { readonly kind: 'keep'; readonly why: string }
  | { readonly kind: 'custom'; readonly why: string };

/**
 * One table holding data about a customer, with both answers a subgraph owes for it: what erasure
 * does to it, and whether the person's data document (C19, `Customer.dataExport`) shows it. Both
 * are required, so a table cannot be erased without being exported, or the reverse; the registry
 * test walks every table for customer columns and fails on one left out.
 */
export interface PersonalDataTable {
  /** The section of the document that lists these rows, e.g. `orders`. */
  readonly section: string;
  readonly table: PgTable & { storeId: Column };
  /** The columns that name the customer (the registry test matches them against the database). */
  readonly customerColumns: readonly PgColumn[];
  /**
   * The rows about the customer when they are not simply those whose customer columns hold the id:
   * a table that reaches the customer through its parent (an order's items), or a table keyed by the
   * customer's id itself.
   */
  readonly about?: (customerId: string, storeId: string) => SQL;
  readonly erasure: Erasure;
  /**
   * Columns left out of the document because they describe the store's machinery, not the person
   * (sequence numbers, keyed hashes). Never the person's data.
   */
  readonly omit?: readonly PgColumn[];
  /**
   * Set only for a transport copy of rows shown in other sections (the outbox): why the document
   * does not repeat it.
   */
  readonly notExported?: string;
}

export type PersonalDataRegistry = readonly PersonalDataTable[];

/** Where a table lives in the database: `schema.table`. */
export function qualifiedName(table: PgTable): string {
  const config = getTableConfig(table);
  return `${config.schema ?? 'public'}.${config.name}`;
}

/** The condition selecting a registered table's rows about the customer (the store is added by the caller). */
export function rowsAbout(entry: PersonalDataTable, storeId: string, customerId: string): SQL {
  if (entry.about) return entry.about(customerId, storeId);
  const conditions = entry.customerColumns.map((column) => eq(column, customerId));
  if (!conditions.length) throw new Error(`${qualifiedName(entry.table)} names no customer column and no rows`);
  return or(...conditions)!;
}

/**
 * `about` for a table whose rows hang off a parent that names the customer (an order's items, a
 * payment's status changes): its rows whose `column` holds the id of one of the customer's parents.
 */
export function throughParent(
  column: PgColumn,
  parent: { key: PgColumn; customer: PgColumn; store: PgColumn },
): (customerId: string, storeId: string) => SQL {
  return (customerId, storeId) =>
    sql`${column} in (select ${parent.key} from ${parent.key.table} where ${parent.store} = ${storeId} and ${parent.customer} = ${customerId})`;
}
