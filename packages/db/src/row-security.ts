import { createHash } from 'node:crypto';
import type postgres from 'postgres';

/**
 * Defence in depth (T1): requests run as a role that PostgreSQL confines to the request's store,
 * and for customer tokens to the customer, whatever a statement's own WHERE clause says. The
 * rules are derived from the catalog after every migration, so a new table is covered without
 * anyone remembering to: a table with a `store_id` column gets row-level security and a policy,
 * a table without one is not granted to requests at all (fail closed).
 *
 * What differs from that default is declared per subgraph.
 */
export interface RowSecurityRules {
  /** Tables keyed to a store by another column than `store_id` (`stores` by its `id`). */
  storeColumns?: Record<string, string>;
  /** Tables keyed to a customer by another column than `customer_id` (`customers` by its `id`). */
  customerColumns?: Record<string, string>;
  /**
   * Tables with a store column but no customer column whose rows every signed-in customer of the
   * store may read but not change (published legal documents, the store itself). Any other table
   * without a customer column shows a customer nothing.
   */
  customerReadable?: string[];
  /**
   * Tables without a store column that requests still need, with the exact privileges they get
   * (e.g. `'insert, select (id)'`). No policy applies to them: keep the privileges minimal.
   */
  unscoped?: Record<string, string>;
  /**
   * More SQL run in the same transaction after the grants, given the quoted request role and
   * schema: e.g. SECURITY DEFINER functions that answer one narrow question about an unscoped table.
   */
  setup?: (names: { role: string; schema: string }) => string;
}

/** Set per request transaction (see request-transaction.ts); unset means no rows. */
export const STORE_SETTING = 'cg.store_id';
/** Set for customer tokens only; empty or unset means no customer restriction. */
export const CUSTOMER_SETTING = 'cg.customer_id';

/** The NOLOGIN role a subgraph's requests run as. Roles are cluster-wide; grants are per database. */
export function requestRole(schema: string): string {
  return `cg_${schema}_request`;
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

// A sub-select is evaluated once per statement (an InitPlan) rather than once per row, and can
// still be an index condition. nullif: a setting once set in a session reads '' after its
// transaction, and ''::uuid would fail.
const currentStore = `(select nullif(current_setting('${STORE_SETTING}', true), '')::uuid)`;
const currentCustomer = `(select nullif(current_setting('${CUSTOMER_SETTING}', true), '')::uuid)`;

interface TableInfo {
  name: string;
  columns: string[];
  sequences: string[];
  rls: boolean;
  policies: string[];
}

interface Policy {
  command: 'all' | 'select';
  using: string;
}

/**
 * Creates the request role, grants it what requests need and (re)creates the policies. Runs
 * under the migration's advisory lock; changes only what differs, because ENABLE ROW LEVEL
 * SECURITY and CREATE/DROP POLICY take an exclusive lock on a table other replicas are serving.
 */
export async function applyRowSecurity(sql: postgres.Sql, schema: string, rules: RowSecurityRules = {}): Promise<void> {
  const role = requestRole(schema);
  await ensureRole(sql, role);
  await sql.begin(async (tx) => {
    const tables = await tx<TableInfo[]>`
      select c.relname as name,
        array(select a.attname::text from pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped) as columns,
        array(select s.relname::text from pg_depend d join pg_class s on s.oid = d.objid and s.relkind = 'S'
              where d.refobjid = c.oid and d.classid = 'pg_class'::regclass and d.deptype in ('a', 'i')) as sequences,
        c.relrowsecurity as rls,
        array(select p.polname::text from pg_policy p where p.polrelid = c.oid) as policies
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = ${schema} and c.relkind in ('r', 'p')
      order by c.relname`;
    const r = quoteIdent(role);
    const s = quoteIdent(schema);
    await tx.unsafe(`grant usage on schema ${s} to ${r}`);
    for (const table of tables) {
      const t = `${s}.${quoteIdent(table.name)}`;
      const storeColumn = rules.storeColumns?.[table.name] ?? (table.columns.includes('store_id') ? 'store_id' : undefined);
      await tx.unsafe(`revoke all on table ${t} from ${r}`);
      if (!storeColumn) {
        const unscoped = rules.unscoped?.[table.name];
        if (unscoped) await tx.unsafe(`grant ${unscoped} on table ${t} to ${r}`);
        continue;
      }
      await tx.unsafe(`grant select, insert, update, delete on table ${t} to ${r}`);
      for (const sequence of table.sequences) await tx.unsafe(`grant usage on sequence ${s}.${quoteIdent(sequence)} to ${r}`);
      if (!table.rls) await tx.unsafe(`alter table ${t} enable row level security`);
      await replacePolicies(tx, t, table, policiesFor(table, storeColumn, rules), r);
    }
    if (rules.setup) await tx.unsafe(rules.setup({ role: r, schema: s }));
  });
}

/**
 * CREATE ROLE is not idempotent and roles are shared by every database of the cluster: test
 * databases migrating at once race for it (duplicate_object, or unique_violation on the catalog).
 */
async function ensureRole(sql: postgres.Sql, role: string): Promise<void> {
  await sql.unsafe(`
    do $$
    begin
      if not exists (select 1 from pg_roles where rolname = ${quoteLiteral(role)}) then
        create role ${quoteIdent(role)} nologin;
      end if;
    exception when duplicate_object or unique_violation then null;
    end $$`);
  // The login role switches to it with SET LOCAL ROLE; superusers may already (pg_has_role says so).
  await sql.unsafe(`
    do $$
    begin
      if not pg_has_role(current_user, ${quoteLiteral(role)}, 'member') then
        execute format('grant %I to %I', ${quoteLiteral(role)}, current_user);
      end if;
    exception when duplicate_object or unique_violation then null;
    end $$`);
}

function policiesFor(table: TableInfo, storeColumn: string, rules: RowSecurityRules): Policy[] {
  const inStore = `${quoteIdent(storeColumn)} = ${currentStore}`;
  const customerColumn = rules.customerColumns?.[table.name] ?? (table.columns.includes('customer_id') ? 'customer_id' : undefined);
  if (customerColumn) {
    const own = `(${currentCustomer} is null or ${quoteIdent(customerColumn)} = ${currentCustomer})`;
    return [{ command: 'all', using: `${inStore} and ${own}` }];
  }
  const staffOnly = { command: 'all', using: `${inStore} and ${currentCustomer} is null` } as const;
  // Permissive policies are OR-ed per command: reading takes either, writing only the staff one.
  if (rules.customerReadable?.includes(table.name)) return [staffOnly, { command: 'select', using: inStore }];
  return [staffOnly];
}

/** Policy names carry a hash of their definition: an unchanged policy is left alone. */
async function replacePolicies(tx: postgres.TransactionSql, t: string, table: TableInfo, policies: Policy[], role: string) {
  const wanted = new Map(
    policies.map((policy) => [`cg_${policy.command}_${createHash('sha256').update(`${role} ${policy.using}`).digest('hex').slice(0, 12)}`, policy]),
  );
  for (const name of table.policies) {
    if (name.startsWith('cg_') && !wanted.has(name)) await tx.unsafe(`drop policy ${quoteIdent(name)} on ${t}`);
  }
  for (const [name, policy] of wanted) {
    if (table.policies.includes(name)) continue;
    // USING also serves as WITH CHECK: a row written must be one the request could read.
    await tx.unsafe(`create policy ${quoteIdent(name)} on ${t} for ${policy.command} to ${role} using (${policy.using})`);
  }
}
