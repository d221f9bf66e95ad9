import type { RowSecurityRules } from '@cg/db';

/**
 * Departures from the default row-level security (packages/db/src/row-security.ts).
 *
 * `identities` is the person behind profiles in many stores (T2), so no store policy can fit it:
 * registering in one store must find the identity another store created. Requests may insert
 * identities and read their ids, nothing else; they find one by exact email or phone through
 * `identity_by_contact`, which runs as the owner. A resolver that forgets a filter cannot list
 * other stores' people, and a store learns only whether an exact contact is known, which linking
 * needs anyway. Erasing a profile (C19) unlinks it and calls `release_identity`, which deletes the
 * identity only when no store's profile uses it any more: a store cannot erase another's customer.
 */
export const rowSecurity: RowSecurityRules = {
  storeColumns: { stores: 'id' },
  customerColumns: { customers: 'id' },
  // A signed-in customer may read the store they belong to.
  customerReadable: ['stores'],
  unscoped: { identities: 'insert, select (id)' },
  setup: ({ role, schema }) => `
    create or replace function ${schema}.identity_by_contact(email text, phone text) returns uuid
    language sql stable security definer set search_path = pg_catalog, pg_temp as $$
      select coalesce(
        (select i.id from ${schema}.identities i where $1 is not null and lower(i.email) = lower($1)),
        (select i.id from ${schema}.identities i where $2 is not null and i.phone = $2))
    $$;
    revoke all on function ${schema}.identity_by_contact(text, text) from public;
    grant execute on function ${schema}.identity_by_contact(text, text) to ${role};
    create or replace function ${schema}.release_identity(target uuid) returns boolean
    language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
    begin
      delete from ${schema}.identities i
      where i.id = $1 and not exists (select from ${schema}.customers c where c.identity_id = $1);
      return found;
    exception when foreign_key_violation then
      -- Another store linked a profile to the person meanwhile: the identity is theirs now.
      return false;
    end
    $$;
    revoke all on function ${schema}.release_identity(uuid) from public;
    grant execute on function ${schema}.release_identity(uuid) to ${role};`,
};
