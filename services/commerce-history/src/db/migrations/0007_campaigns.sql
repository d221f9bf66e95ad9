CREATE TYPE "commerce_history"."campaign_discount_type" AS ENUM('membership', 'promotion', 'purchase', 'after_sales');--> statement-breakpoint
CREATE TABLE "commerce_history"."campaigns" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"store_id" uuid NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"discount_type" "commerce_history"."campaign_discount_type" NOT NULL,
	"starts_at" timestamp (3) with time zone NOT NULL,
	"ends_at" timestamp (3) with time zone NOT NULL,
	"stopped_at" timestamp (3) with time zone,
	"created_by" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaigns_pkey" PRIMARY KEY("store_id","id"),
	CONSTRAINT "campaigns_dates_order" CHECK ("commerce_history"."campaigns"."ends_at" > "commerce_history"."campaigns"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "commerce_history"."order_campaigns" (
	"store_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	CONSTRAINT "order_campaigns_pkey" PRIMARY KEY("store_id","order_id","campaign_id")
);
--> statement-breakpoint
ALTER TABLE "commerce_history"."order_campaigns" ADD CONSTRAINT "order_campaigns_order_fk" FOREIGN KEY ("store_id","order_id") REFERENCES "commerce_history"."orders"("store_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commerce_history"."order_campaigns" ADD CONSTRAINT "order_campaigns_campaign_fk" FOREIGN KEY ("store_id","campaign_id") REFERENCES "commerce_history"."campaigns"("store_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "campaigns_store_starts_idx" ON "commerce_history"."campaigns" USING btree ("store_id","starts_at","id");--> statement-breakpoint
CREATE INDEX "order_campaigns_campaign_idx" ON "commerce_history"."order_campaigns" USING btree ("store_id","campaign_id","order_id");