CREATE TYPE "engagement"."loyalty_bonus" AS ENUM('sign_up', 'birthday');--> statement-breakpoint
CREATE TABLE "engagement"."loyalty_order_units" (
	"store_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"returned_units" integer DEFAULT 0 NOT NULL,
	"cancelled_units" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "loyalty_order_units_pkey" PRIMARY KEY("store_id","order_id"),
	CONSTRAINT "loyalty_order_units_check" CHECK ("engagement"."loyalty_order_units"."returned_units" >= 0 and "engagement"."loyalty_order_units"."cancelled_units" >= 0)
);
--> statement-breakpoint
ALTER TABLE "engagement"."loyalty_entries" DROP CONSTRAINT "loyalty_entries_points_check";--> statement-breakpoint
ALTER TABLE "engagement"."loyalty_entries" ADD COLUMN "bonus" "engagement"."loyalty_bonus";--> statement-breakpoint
ALTER TABLE "engagement"."loyalty_programs" ADD COLUMN "sign_up_bonus" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "loyalty_entries_sign_up_bonus_key" ON "engagement"."loyalty_entries" USING btree ("store_id","customer_id") WHERE "engagement"."loyalty_entries"."bonus" = 'sign_up';--> statement-breakpoint
ALTER TABLE "engagement"."loyalty_entries" ADD CONSTRAINT "loyalty_entries_bonus_check" CHECK (("engagement"."loyalty_entries"."kind" = 'bonus') = ("engagement"."loyalty_entries"."bonus" is not null));--> statement-breakpoint
ALTER TABLE "engagement"."loyalty_entries" ADD CONSTRAINT "loyalty_entries_points_check" CHECK (case "engagement"."loyalty_entries"."kind"
        when 'earned' then "engagement"."loyalty_entries"."points" > 0 and "engagement"."loyalty_entries"."order_id" is not null and "engagement"."loyalty_entries"."rule" is not null and "engagement"."loyalty_entries"."available_at" is not null
        when 'bonus' then "engagement"."loyalty_entries"."points" > 0 and "engagement"."loyalty_entries"."bonus" is not null
        when 'adjusted' then "engagement"."loyalty_entries"."points" <> 0 and "engagement"."loyalty_entries"."reason" is not null
        when 'reversed' then "engagement"."loyalty_entries"."points" <= 0 and "engagement"."loyalty_entries"."order_id" is not null
        else "engagement"."loyalty_entries"."points" < 0 end);--> statement-breakpoint
ALTER TABLE "engagement"."loyalty_programs" ADD CONSTRAINT "loyalty_programs_sign_up_bonus_check" CHECK ("engagement"."loyalty_programs"."sign_up_bonus" between 0 and 1000000000);