ALTER TABLE "engagement"."loyalty_entries" ADD COLUMN "remaining" integer;--> statement-breakpoint
ALTER TABLE "engagement"."loyalty_entries" ADD COLUMN "expires_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "engagement"."loyalty_entries" ADD COLUMN "lot_id" uuid;--> statement-breakpoint
ALTER TABLE "engagement"."loyalty_programs" ADD COLUMN "expiry_months" integer;--> statement-breakpoint
-- Entries written before lots existed: each account's points go to its newest lots first, so
-- that the lots hold exactly what the account holds (its pending part stays where it is).
ALTER TABLE "engagement"."loyalty_entries" DISABLE TRIGGER "loyalty_entries_append_only";--> statement-breakpoint
UPDATE "engagement"."loyalty_entries" e
SET remaining = e.pending + least(greatest(e.points - e.pending, 0), greatest(a.points - x.newer, 0))
FROM (
  SELECT store_id, id, coalesce(sum(points - pending) OVER (
    PARTITION BY store_id, customer_id ORDER BY seq DESC ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS newer
  FROM "engagement"."loyalty_entries" WHERE points > 0
) x, "engagement"."loyalty_accounts" a
WHERE x.store_id = e.store_id AND x.id = e.id AND a.store_id = e.store_id AND a.customer_id = e.customer_id;--> statement-breakpoint
ALTER TABLE "engagement"."loyalty_entries" ENABLE TRIGGER "loyalty_entries_append_only";--> statement-breakpoint
CREATE INDEX "loyalty_entries_open_lots_idx" ON "engagement"."loyalty_entries" USING btree ("store_id","customer_id","expires_at","seq") WHERE "engagement"."loyalty_entries"."remaining" > 0;--> statement-breakpoint
CREATE INDEX "loyalty_entries_open_expiry_idx" ON "engagement"."loyalty_entries" USING btree ("expires_at") WHERE "engagement"."loyalty_entries"."remaining" > 0 and "engagement"."loyalty_entries"."expires_at" is not null;--> statement-breakpoint
ALTER TABLE "engagement"."loyalty_entries" ADD CONSTRAINT "loyalty_entries_remaining_check" CHECK (("engagement"."loyalty_entries"."points" > 0) = ("engagement"."loyalty_entries"."remaining" is not null)
        and ("engagement"."loyalty_entries"."remaining" is null or "engagement"."loyalty_entries"."remaining" between "engagement"."loyalty_entries"."pending" and "engagement"."loyalty_entries"."points")
        and ("engagement"."loyalty_entries"."expires_at" is null or "engagement"."loyalty_entries"."remaining" is not null));--> statement-breakpoint
ALTER TABLE "engagement"."loyalty_entries" ADD CONSTRAINT "loyalty_entries_lot_check" CHECK (("engagement"."loyalty_entries"."kind" = 'expired') = ("engagement"."loyalty_entries"."lot_id" is not null));--> statement-breakpoint
ALTER TABLE "engagement"."loyalty_programs" ADD CONSTRAINT "loyalty_programs_expiry_months_check" CHECK ("engagement"."loyalty_programs"."expiry_months" between 1 and 120);;--> statement-breakpoint
-- Still append-only; besides `pending`, a lot's `remaining` may now go down (spent, reversed or
-- expired), and neither ever goes up.
CREATE OR REPLACE FUNCTION "engagement"."loyalty_entries_append_only"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'loyalty_entries is append-only: entry % cannot be deleted', OLD.id
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF (to_jsonb(NEW) - 'pending' - 'remaining') IS DISTINCT FROM (to_jsonb(OLD) - 'pending' - 'remaining')
     OR NEW.pending > OLD.pending OR NEW.remaining > OLD.remaining THEN
    RAISE EXCEPTION 'loyalty_entries is append-only: entry % may only lower its pending and remaining points', OLD.id
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END
$$;
