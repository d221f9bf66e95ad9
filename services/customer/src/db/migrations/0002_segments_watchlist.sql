CREATE TABLE "customer"."segments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"store_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"rules" jsonb NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "segments_rules_check" CHECK (jsonb_typeof("customer"."segments"."rules") = 'array')
);
--> statement-breakpoint
CREATE TABLE "customer"."watchlist" (
	"store_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "watchlist_pkey" PRIMARY KEY("store_id","customer_id")
);
--> statement-breakpoint
ALTER TABLE "customer"."segments" ADD CONSTRAINT "segments_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "customer"."stores"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer"."watchlist" ADD CONSTRAINT "watchlist_customer_fk" FOREIGN KEY ("store_id","customer_id") REFERENCES "customer"."customers"("store_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "segments_store_name_key" ON "customer"."segments" USING btree ("store_id",lower("name"));--> statement-breakpoint
CREATE INDEX "customer_metrics_discount_received_idx" ON "customer"."customer_metrics" USING btree ("store_id","discount_received","customer_id");