CREATE TYPE "engagement"."loyalty_entry_kind" AS ENUM('earned', 'bonus', 'redeemed', 'adjusted', 'expired', 'reversed');--> statement-breakpoint
CREATE TYPE "engagement"."loyalty_rounding" AS ENUM('floor_per_order');--> statement-breakpoint
CREATE TABLE "engagement"."loyalty_accounts" (
	"store_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"points" integer DEFAULT 0 NOT NULL,
	"pending_points" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "loyalty_accounts_pkey" PRIMARY KEY("store_id","customer_id"),
	CONSTRAINT "loyalty_accounts_points_check" CHECK ("engagement"."loyalty_accounts"."points" >= 0),
	CONSTRAINT "loyalty_accounts_pending_points_check" CHECK ("engagement"."loyalty_accounts"."pending_points" >= 0)
);
--> statement-breakpoint
CREATE TABLE "engagement"."loyalty_entries" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "engagement"."loyalty_entries_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"store_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"kind" "engagement"."loyalty_entry_kind" NOT NULL,
	"points" integer NOT NULL,
	"pending" integer DEFAULT 0 NOT NULL,
	"available_at" timestamp (3) with time zone,
	"order_id" uuid,
	"rule" jsonb,
	"reason" text,
	"shortfall" integer DEFAULT 0 NOT NULL,
	"created_by" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "loyalty_entries_pkey" PRIMARY KEY("store_id","id"),
	CONSTRAINT "loyalty_entries_points_check" CHECK (case "engagement"."loyalty_entries"."kind"
        when 'earned' then "engagement"."loyalty_entries"."points" > 0 and "engagement"."loyalty_entries"."order_id" is not null and "engagement"."loyalty_entries"."rule" is not null and "engagement"."loyalty_entries"."available_at" is not null
        when 'bonus' then "engagement"."loyalty_entries"."points" > 0
        when 'adjusted' then "engagement"."loyalty_entries"."points" <> 0 and "engagement"."loyalty_entries"."reason" is not null
        when 'reversed' then "engagement"."loyalty_entries"."points" <= 0 and "engagement"."loyalty_entries"."order_id" is not null
        else "engagement"."loyalty_entries"."points" < 0 end),
	CONSTRAINT "loyalty_entries_pending_check" CHECK ("engagement"."loyalty_entries"."pending" >= 0 and "engagement"."loyalty_entries"."pending" <= greatest("engagement"."loyalty_entries"."points", 0)),
	CONSTRAINT "loyalty_entries_shortfall_check" CHECK ("engagement"."loyalty_entries"."shortfall" >= 0)
);
--> statement-breakpoint
CREATE TABLE "engagement"."loyalty_programs" (
	"store_id" uuid NOT NULL,
	"enabled" boolean NOT NULL,
	"rate_points" integer NOT NULL,
	"rate_per_minor_units" integer NOT NULL,
	"rounding" "engagement"."loyalty_rounding" DEFAULT 'floor_per_order' NOT NULL,
	"pending_days" integer NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "loyalty_programs_pkey" PRIMARY KEY("store_id"),
	CONSTRAINT "loyalty_programs_rate_check" CHECK ("engagement"."loyalty_programs"."rate_points" > 0 and "engagement"."loyalty_programs"."rate_per_minor_units" > 0),
	CONSTRAINT "loyalty_programs_pending_days_check" CHECK ("engagement"."loyalty_programs"."pending_days" between 0 and 365),
	CONSTRAINT "loyalty_programs_version_check" CHECK ("engagement"."loyalty_programs"."version" > 0)
);
--> statement-breakpoint
ALTER TABLE "engagement"."loyalty_entries" ADD CONSTRAINT "loyalty_entries_account_fk" FOREIGN KEY ("store_id","customer_id") REFERENCES "engagement"."loyalty_accounts"("store_id","customer_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "loyalty_entries_earned_order_key" ON "engagement"."loyalty_entries" USING btree ("store_id","order_id","kind") WHERE "engagement"."loyalty_entries"."kind" = 'earned';--> statement-breakpoint
CREATE INDEX "loyalty_entries_order_idx" ON "engagement"."loyalty_entries" USING btree ("store_id","order_id") WHERE "engagement"."loyalty_entries"."order_id" is not null;--> statement-breakpoint
CREATE INDEX "loyalty_entries_customer_idx" ON "engagement"."loyalty_entries" USING btree ("store_id","customer_id","created_at","seq");--> statement-breakpoint
CREATE INDEX "loyalty_entries_pending_idx" ON "engagement"."loyalty_entries" USING btree ("store_id","customer_id","available_at") WHERE "engagement"."loyalty_entries"."pending" > 0;--> statement-breakpoint
-- The points ledger is append-only, as the wallet's is: no entry is deleted, and the only change an
-- entry may take is its `pending` going down (matured into spendable points, or taken back first
-- by a reversal). TRUNCATE is not blocked.
CREATE OR REPLACE FUNCTION "engagement"."loyalty_entries_append_only"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'loyalty_entries is append-only: entry % cannot be deleted', OLD.id
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF (to_jsonb(NEW) - 'pending') IS DISTINCT FROM (to_jsonb(OLD) - 'pending')
     OR NEW.pending > OLD.pending THEN
    RAISE EXCEPTION 'loyalty_entries is append-only: entry % may only lower its pending points', OLD.id
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "loyalty_entries_append_only"
  BEFORE UPDATE OR DELETE ON "engagement"."loyalty_entries"
  FOR EACH ROW EXECUTE FUNCTION "engagement"."loyalty_entries_append_only"();
