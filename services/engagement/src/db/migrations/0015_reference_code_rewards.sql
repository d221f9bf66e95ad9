CREATE TYPE "engagement"."reference_reward_beneficiary" AS ENUM('referee', 'referrer');--> statement-breakpoint
CREATE TYPE "engagement"."reference_reward_kind" AS ENUM('points', 'wallet', 'discount');--> statement-breakpoint
CREATE TYPE "engagement"."reference_reward_status" AS ENUM('granted', 'reversed');--> statement-breakpoint
ALTER TYPE "engagement"."loyalty_bonus" ADD VALUE 'referral';--> statement-breakpoint
CREATE TABLE "engagement"."reference_code_orders" (
	"store_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"customer_id" uuid,
	"platform" text,
	"counts" boolean NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reference_code_orders_pkey" PRIMARY KEY("store_id","order_id")
);
--> statement-breakpoint
CREATE TABLE "engagement"."reference_code_rewards" (
	"store_id" uuid NOT NULL,
	"use_id" uuid NOT NULL,
	"beneficiary" "engagement"."reference_reward_beneficiary" NOT NULL,
	"code_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"referee_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"kind" "engagement"."reference_reward_kind" NOT NULL,
	"amount" integer NOT NULL,
	"currency" char(3),
	"status" "engagement"."reference_reward_status" NOT NULL,
	"entry_id" uuid,
	"reversal_entry_id" uuid,
	"shortfall" integer DEFAULT 0 NOT NULL,
	"granted_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"reversed_at" timestamp (3) with time zone,
	CONSTRAINT "reference_code_rewards_pkey" PRIMARY KEY("store_id","use_id","beneficiary"),
	CONSTRAINT "reference_code_rewards_amount_check" CHECK ("engagement"."reference_code_rewards"."amount" > 0 and "engagement"."reference_code_rewards"."shortfall" >= 0),
	CONSTRAINT "reference_code_rewards_currency_check" CHECK (("engagement"."reference_code_rewards"."kind" = 'points') = ("engagement"."reference_code_rewards"."currency" is null)),
	CONSTRAINT "reference_code_rewards_reversed_check" CHECK (("engagement"."reference_code_rewards"."status" = 'reversed') = ("engagement"."reference_code_rewards"."reversed_at" is not null))
);
--> statement-breakpoint
ALTER TABLE "engagement"."reference_code_activity" ADD COLUMN "rewards" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "engagement"."reference_code_uses" ADD COLUMN "rewards" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "engagement"."reference_codes" ADD COLUMN "rules" jsonb DEFAULT '{"newCustomersOnly": false, "tierIds": null, "platforms": null, "customerIds": null}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "engagement"."reference_codes" ADD COLUMN "rewards" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "engagement"."reference_code_rewards" ADD CONSTRAINT "reference_code_rewards_use_fk" FOREIGN KEY ("store_id","use_id") REFERENCES "engagement"."reference_code_uses"("store_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "reference_code_orders_customer_idx" ON "engagement"."reference_code_orders" USING btree ("store_id","customer_id") WHERE "engagement"."reference_code_orders"."counts";--> statement-breakpoint
CREATE UNIQUE INDEX "reference_code_rewards_referee_key" ON "engagement"."reference_code_rewards" USING btree ("store_id","code_id","referee_id","beneficiary") WHERE "engagement"."reference_code_rewards"."status" = 'granted';--> statement-breakpoint
CREATE INDEX "reference_code_rewards_order_idx" ON "engagement"."reference_code_rewards" USING btree ("store_id","order_id");--> statement-breakpoint
CREATE INDEX "reference_code_uses_order_idx" ON "engagement"."reference_code_uses" USING btree ("store_id","order_id") WHERE "engagement"."reference_code_uses"."order_id" is not null;--> statement-breakpoint
ALTER TABLE "engagement"."reference_code_activity" ADD CONSTRAINT "reference_code_activity_rewards_check" CHECK ("engagement"."reference_code_activity"."rewards" >= 0);--> statement-breakpoint
-- Hand-written: E9's rewards in the E10 buckets. A granted reward counts in the quarter hour it
-- was granted; its reversal takes it off there again, so the dashboard's `rewards` are the ones
-- still standing. Owner's rights, as for the uses' trigger (0014). No backfill: no reward exists yet.
CREATE FUNCTION "engagement"."reference_code_rewards_activity"() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF tg_op IN ('UPDATE', 'DELETE') AND old.status = 'granted' THEN
    UPDATE engagement.reference_code_activity a SET rewards = a.rewards - 1
      WHERE a.store_id = old.store_id AND a.code_id = old.code_id
        AND a.bucket = date_bin('15 minutes', old.granted_at, timestamptz '1970-01-01 00:00:00+00');
  END IF;
  IF tg_op IN ('INSERT', 'UPDATE') AND new.status = 'granted' THEN
    INSERT INTO engagement.reference_code_activity AS a (store_id, code_id, bucket, rewards)
      VALUES (new.store_id, new.code_id, date_bin('15 minutes', new.granted_at, timestamptz '1970-01-01 00:00:00+00'), 1)
      ON CONFLICT (store_id, code_id, bucket) DO UPDATE SET rewards = a.rewards + 1;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION "engagement"."reference_code_rewards_activity"() FROM PUBLIC;
--> statement-breakpoint
CREATE TRIGGER "reference_code_rewards_activity" AFTER INSERT OR DELETE OR UPDATE OF "store_id", "code_id", "status", "granted_at"
  ON "engagement"."reference_code_rewards" FOR EACH ROW EXECUTE FUNCTION "engagement"."reference_code_rewards_activity"();
