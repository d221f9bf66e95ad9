import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate as drizzleMigrate } from 'drizzle-orm/postgres-js/migrator';
import { applyRowSecurity, type RowSecurityRules } from './row-security.ts';

/**
 * Applies a service's drizzle-kit migrations inside its own PostgreSQL schema, then its
 * row-level security (row-security.ts) over whatever tables the migrations left. An advisory
 * lock keyed by the schema lets several replicas start at once without applying a migration twice.
 */
export async function migrate(
  url: string,
  schemaName: string,
  migrationsFolder: string,
  rowSecurity: RowSecurityRules = {},
): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(hashtext(${'migrate:' + schemaName}))`;
    await drizzleMigrate(drizzle(sql), {
      migrationsFolder,
      migrationsSchema: schemaName,
      migrationsTable: '__migrations',
    });
    await applyRowSecurity(sql, schemaName, rowSecurity);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Creates a database on the server behind `adminUrl` unless it exists. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql`select 1 from pg_database where datname = ${name}`;
    if (!row) await sql.unsafe(`create database "${name.replace(/"/g, '""')}"`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`drop database if exists "${name.replace(/"/g, '""')}" with (force)`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
