CREATE TYPE "engagement"."loyalty_tier_basis" AS ENUM('points_earned', 'amount_spent');--> statement-breakpoint
CREATE TABLE "engagement"."loyalty_tiers" (
	"store_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"threshold" bigint NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "loyalty_tiers_pkey" PRIMARY KEY("store_id","id"),
	CONSTRAINT "loyalty_tiers_threshold_check" CHECK ("engagement"."loyalty_tiers"."threshold" >= 0)
);
--> statement-breakpoint
ALTER TABLE "engagement"."loyalty_accounts" ADD COLUMN "tier_id" uuid;--> statement-breakpoint
ALTER TABLE "engagement"."loyalty_accounts" ADD COLUMN "tier_since" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "engagement"."loyalty_accounts" ADD COLUMN "tier_until" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "engagement"."loyalty_programs" ADD COLUMN "tier_basis" "engagement"."loyalty_tier_basis" DEFAULT 'points_earned' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "loyalty_tiers_threshold_key" ON "engagement"."loyalty_tiers" USING btree ("store_id","threshold");--> statement-breakpoint
CREATE UNIQUE INDEX "loyalty_tiers_name_key" ON "engagement"."loyalty_tiers" USING btree ("store_id",lower("name"));--> statement-breakpoint
ALTER TABLE "engagement"."loyalty_accounts" ADD CONSTRAINT "loyalty_accounts_tier_fk" FOREIGN KEY ("store_id","tier_id") REFERENCES "engagement"."loyalty_tiers"("store_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "loyalty_accounts_tier_until_idx" ON "engagement"."loyalty_accounts" USING btree ("tier_until") WHERE "engagement"."loyalty_accounts"."tier_until" is not null;--> statement-breakpoint
ALTER TABLE "engagement"."loyalty_accounts" ADD CONSTRAINT "loyalty_accounts_tier_check" CHECK (("engagement"."loyalty_accounts"."tier_id" is null) = ("engagement"."loyalty_accounts"."tier_since" is null) and ("engagement"."loyalty_accounts"."tier_id" is null) = ("engagement"."loyalty_accounts"."tier_until" is null));