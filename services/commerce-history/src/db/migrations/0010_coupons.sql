CREATE TYPE "commerce_history"."coupon_discount_type" AS ENUM('percentage', 'fixed_amount', 'free_shipping');--> statement-breakpoint
CREATE TABLE "commerce_history"."coupon_redemptions" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"store_id" uuid NOT NULL,
	"coupon_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"customer_id" uuid,
	"discount" bigint NOT NULL,
	"currency" char(3) NOT NULL,
	"released_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "coupon_redemptions_pkey" PRIMARY KEY("store_id","id"),
	CONSTRAINT "coupon_redemptions_coupon_order_key" UNIQUE("store_id","coupon_id","order_id"),
	CONSTRAINT "coupon_redemptions_discount_non_negative" CHECK ("commerce_history"."coupon_redemptions"."discount" >= 0)
);
--> statement-breakpoint
CREATE TABLE "commerce_history"."coupons" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"store_id" uuid NOT NULL,
	"code" text NOT NULL,
	"code_key" text GENERATED ALWAYS AS (lower(code)) STORED NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"discount_type" "commerce_history"."coupon_discount_type" NOT NULL,
	"amount" bigint NOT NULL,
	"currency" char(3),
	"usage_limit" integer,
	"per_customer_limit" integer,
	"times_used" integer DEFAULT 0 NOT NULL,
	"starts_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp (3) with time zone,
	"stopped_at" timestamp (3) with time zone,
	"campaign_id" uuid,
	"created_by" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "coupons_pkey" PRIMARY KEY("store_id","id"),
	CONSTRAINT "coupons_store_code_key" UNIQUE("store_id","code_key"),
	CONSTRAINT "coupons_times_used_within_limit" CHECK ("commerce_history"."coupons"."times_used" >= 0 and ("commerce_history"."coupons"."usage_limit" is null or "commerce_history"."coupons"."times_used" <= "commerce_history"."coupons"."usage_limit")),
	CONSTRAINT "coupons_limits_positive" CHECK (("commerce_history"."coupons"."usage_limit" is null or "commerce_history"."coupons"."usage_limit" > 0) and ("commerce_history"."coupons"."per_customer_limit" is null or "commerce_history"."coupons"."per_customer_limit" > 0)),
	CONSTRAINT "coupons_amount_by_type" CHECK (case "commerce_history"."coupons"."discount_type"
        when 'percentage' then "commerce_history"."coupons"."amount" between 1 and 10000 and "commerce_history"."coupons"."currency" is null
        when 'fixed_amount' then "commerce_history"."coupons"."amount" > 0 and "commerce_history"."coupons"."currency" is not null
        else "commerce_history"."coupons"."amount" = 0 and "commerce_history"."coupons"."currency" is null end),
	CONSTRAINT "coupons_dates_order" CHECK ("commerce_history"."coupons"."expires_at" is null or "commerce_history"."coupons"."expires_at" > "commerce_history"."coupons"."starts_at")
);
--> statement-breakpoint
ALTER TABLE "commerce_history"."orders" ADD COLUMN "coupon_discount" bigint;--> statement-breakpoint
ALTER TABLE "commerce_history"."coupon_redemptions" ADD CONSTRAINT "coupon_redemptions_coupon_fk" FOREIGN KEY ("store_id","coupon_id") REFERENCES "commerce_history"."coupons"("store_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commerce_history"."coupon_redemptions" ADD CONSTRAINT "coupon_redemptions_order_fk" FOREIGN KEY ("store_id","order_id") REFERENCES "commerce_history"."orders"("store_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commerce_history"."coupons" ADD CONSTRAINT "coupons_campaign_fk" FOREIGN KEY ("store_id","campaign_id") REFERENCES "commerce_history"."campaigns"("store_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "coupon_redemptions_customer_idx" ON "commerce_history"."coupon_redemptions" USING btree ("store_id","customer_id","coupon_id");--> statement-breakpoint
CREATE INDEX "coupon_redemptions_order_idx" ON "commerce_history"."coupon_redemptions" USING btree ("store_id","order_id");--> statement-breakpoint
CREATE INDEX "coupons_store_created_idx" ON "commerce_history"."coupons" USING btree ("store_id","created_at","id");--> statement-breakpoint
CREATE INDEX "coupons_store_campaign_idx" ON "commerce_history"."coupons" USING btree ("store_id","campaign_id") WHERE "commerce_history"."coupons"."campaign_id" is not null;--> statement-breakpoint
ALTER TABLE "commerce_history"."orders" ADD CONSTRAINT "orders_coupon_discount_within_discount" CHECK ("commerce_history"."orders"."coupon_discount" is null or ("commerce_history"."orders"."coupon_discount" >= 0 and "commerce_history"."orders"."coupon_discount" <= "commerce_history"."orders"."discount"));