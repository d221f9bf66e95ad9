import { quoteIdent, requestRole, type RowSecurityRules } from '@cg/db';

/**
 * Departures from the default row-level security (packages/db/src/row-security.ts).
 *
 * A customer sees their own tier and the next (the store's tiers and the program's basis) and the
 * types of their own cards: store settings without personal data. They read the store's reference
 * codes too (E8): using a code, or being shown the one that referred them, reads it.
 *
 * A use claims one of a code's uses with one conditional UPDATE (`claim_reference_code_use`): under
 * the row's lock, concurrent uses of a code queue and each sees the count the one before left, so a
 * usage limit holds however many race. Customers may use a code themselves but not change codes, so
 * the claim runs as the owner, confined to the request's store by its own condition; it changes
 * nothing but the counter of a code that can be used now.
 */
export const rowSecurity: RowSecurityRules = {
  customerReadable: ['loyalty_card_types', 'loyalty_tiers', 'loyalty_programs', 'reference_codes'],
  setup: ({ role, schema }) => `
    create or replace function ${schema}.claim_reference_code_use(code uuid) returns integer
    language sql volatile security definer set search_path = pg_catalog, pg_temp as $$
      update ${schema}.reference_codes c set uses = c.uses + 1, updated_at = now()
      where c.store_id = (select nullif(current_setting('cg.store_id', true), '')::uuid) and c.id = $1
        and c.expired_at is null and c.stopped_at is null
        and c.starts_at <= now() and (c.ends_at is null or c.ends_at > now())
        and (c.usage_limit is null or c.uses < c.usage_limit)
      returning c.uses
    $$;
    revoke all on function ${schema}.claim_reference_code_use(uuid) from public;
    grant execute on function ${schema}.claim_reference_code_use(uuid) to ${role}, ${quoteIdent(requestRole('engagement', 'customer'))};`,
};
