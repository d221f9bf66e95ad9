-- Custom SQL migration file, put your code below! --
-- The wallet ledger is append-only: no entry is deleted, and the only change an entry may take is
-- a credit's `remaining` going down (spent by a debit or zeroed by expiry). TRUNCATE is not blocked.
CREATE OR REPLACE FUNCTION "engagement"."wallet_entries_append_only"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'wallet_entries is append-only: entry % cannot be deleted', OLD.id
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF (to_jsonb(NEW) - 'remaining') IS DISTINCT FROM (to_jsonb(OLD) - 'remaining')
     OR NEW.remaining > OLD.remaining THEN
    RAISE EXCEPTION 'wallet_entries is append-only: entry % may only lower its remaining amount', OLD.id
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "wallet_entries_append_only"
  BEFORE UPDATE OR DELETE ON "engagement"."wallet_entries"
  FOR EACH ROW EXECUTE FUNCTION "engagement"."wallet_entries_append_only"();
