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
   * Tables without a customer column whose rows belong to a customer through a parent row (an
   * order's items, history and feedback through the order): a customer reaches the rows whose
   * parent they can reach under the parent's own policy, reading only, or also writing (`all`).
   */
  customerThrough?: Record<string, { column: string; parent: string; command: 'select' | 'all' }>;
  /**
   * Tables with a store column but no customer column whose rows every signed-in customer of the
   * store may read but not change (published legal documents, the store itself). Any other table
   * without a customer column shows a customer nothing.
   */
  customerReadable?: string[];
  /**
   * Tables without a store column that staff requests still need, with the exact privileges they
   * get (e.g. `'insert, select (id)'`). No policy applies to them: keep the privileges minimal.
   * Customer requests get none of them.
   */
  unscoped?: Record<string, string>;
  /**
   * More SQL run in the same transaction after the grants, given the quoted staff request role
   * and schema: e.g. SECURITY DEFINER functions that answer one narrow question about an unscoped table.
   */
  setup?: (names: { role: string; schema: string }) => string;
}

/** Set per request transaction (see request-transaction.ts); unset means no rows. */
export const STORE_SETTING = 'cg.store_id';
/** Set for customer tokens; the customer role sees no rows while it is unset. */
export const CUSTOMER_SETTING = 'cg.customer_id';

export type RequestKind = 'staff' | 'customer';

/**
 * The NOLOGIN role a subgraph's requests run as: one for staff, one for signed-in customers.
 * Two roles rather than one policy that asks "is a customer set?": such an OR with a value the
 * planner cannot know made it estimate a store's thousands of rows as one, and sort them all
 * instead of reading the first page from an index. Roles are cluster-wide; grants are per database.
 */
export function requestRole(schema: string, kind: RequestKind = 'staff'): string {
  return kind === 'staff' ? `cg_${schema}_request` : `cg_${schema}_customer_request`;
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
  kind: RequestKind;
  role: string;
  command: 'all' | 'select';
  using: string;
}

/**
 * Creates the request roles, grants them what requests need and (re)creates the policies. Runs
 * under the migration's advisory lock; changes only what differs, because ENABLE ROW LEVEL
 * SECURITY and CREATE/DROP POLICY take an exclusive lock on a table other replicas are serving.
 */
export async function applyRowSecurity(sql: postgres.Sql, schema: string, rules: RowSecurityRules = {}): Promise<void> {
  const staff = requestRole(schema, 'staff');
  const customer = requestRole(schema, 'customer');
  await ensureRole(sql, staff);
  await ensureRole(sql, customer);
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
    const roles = `${quoteIdent(staff)}, ${quoteIdent(customer)}`;
    const s = quoteIdent(schema);
    await tx.unsafe(`grant usage on schema ${s} to ${roles}`);
    for (const table of tables) {
      const t = `${s}.${quoteIdent(table.name)}`;
      const storeColumn =
        rules.storeColumns?.[table.name] ?? (table.columns.includes('store_id') ? 'store_id' : undefined);
      await tx.unsafe(`revoke all on table ${t} from ${roles}`);
      if (!storeColumn) {
        const unscoped = rules.unscoped?.[table.name];
        if (unscoped) await tx.unsafe(`grant ${unscoped} on table ${t} to ${quoteIdent(staff)}`);
        continue;
      }
      // What each role may do with which rows is the policies' business.
      await tx.unsafe(`grant select, insert, update, delete on table ${t} to ${roles}`);
      for (const sequence of table.sequences)
        await tx.unsafe(`grant usage on sequence ${s}.${quoteIdent(sequence)} to ${roles}`);
      if (!table.rls) await tx.unsafe(`alter table ${t} enable row level security`);
      await replacePolicies(tx, t, table, policiesFor(table, storeColumn, rules, { staff, customer }, s));
    }
    if (rules.setup) await tx.unsafe(rules.setup({ role: quoteIdent(staff), schema: s }));
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

/**
 * Staff: the store's rows. Customers: their own rows of tables with a customer column, and only
 * reading of the tables declared readable; no policy on any other table, so they see nothing there.
 */
function policiesFor(
  table: TableInfo,
  storeColumn: string,
  rules: RowSecurityRules,
  roles: Record<RequestKind, string>,
  schema: string,
): Policy[] {
  const inStore = `${quoteIdent(storeColumn)} = ${currentStore}`;
  const policies: Policy[] = [{ kind: 'staff', role: roles.staff, command: 'all', using: inStore }];
  const customerColumn =
    rules.customerColumns?.[table.name] ?? (table.columns.includes('customer_id') ? 'customer_id' : undefined);
  if (customerColumn) {
    policies.push({
      kind: 'customer',
      role: roles.customer,
      command: 'all',
      using: `${inStore} and ${quoteIdent(customerColumn)} = ${currentCustomer}`,
    });
  } else if (rules.customerThrough?.[table.name]) {
    const { column, parent, command } = rules.customerThrough[table.name]!;
    // The parent's policy for the customer role applies inside the subquery: its own rows only.
    policies.push({
      kind: 'customer',
      role: roles.customer,
      command,
      using: `${inStore} and exists (select 1 from ${schema}.${quoteIdent(parent)} p where p.id = ${quoteIdent(column)})`,
    });
  } else if (rules.customerReadable?.includes(table.name)) {
    policies.push({ kind: 'customer', role: roles.customer, command: 'select', using: inStore });
  }
  return policies;
}

/** Policy names carry a hash of their definition: an unchanged policy is left alone. */
async function replacePolicies(tx: postgres.TransactionSql, t: string, table: TableInfo, policies: Policy[]) {
  const wanted = new Map(
    policies.map((policy) => {
      const hash = createHash('sha256')
        .update(`${policy.role} ${policy.command} ${policy.using}`)
        .digest('hex')
        .slice(0, 12);
      return [`cg_${policy.kind}_${policy.command}_${hash}`, policy];
    }),
  );
  for (const name of table.policies) {
    if (name.startsWith('cg_') && !wanted.has(name)) await tx.unsafe(`drop policy ${quoteIdent(name)} on ${t}`);
  }
  for (const [name, policy] of wanted) {
    if (table.policies.includes(name)) continue;
    // USING also serves as WITH CHECK: a row written must be one the request could read.
    await tx.unsafe(
      `create policy ${quoteIdent(name)} on ${t} for ${policy.command} to ${quoteIdent(policy.role)} using (${policy.using})`,
    );
  }
}
