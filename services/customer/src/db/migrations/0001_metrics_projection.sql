CREATE TABLE "customer"."applied_events" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"applied_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customer"."customer_metrics" (
	"customer_id" uuid PRIMARY KEY NOT NULL,
	"store_id" uuid NOT NULL,
	"order_count" integer DEFAULT 0 NOT NULL,
	"total_spent" bigint DEFAULT 0 NOT NULL,
	"units" integer DEFAULT 0 NOT NULL,
	"returned_units" integer DEFAULT 0 NOT NULL,
	"discount_received" bigint DEFAULT 0 NOT NULL,
	"promo_code_orders" integer DEFAULT 0 NOT NULL,
	"first_order_at" timestamp (3) with time zone,
	"last_order_at" timestamp (3) with time zone,
	"currency" char(3),
	"wallet_balance" bigint DEFAULT 0 NOT NULL,
	"wallet_currency" char(3),
	"wallet_event_seq" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customer_metrics_counts_check" CHECK ("customer"."customer_metrics"."order_count" >= 0 and "customer"."customer_metrics"."units" >= 0 and "customer"."customer_metrics"."returned_units" >= 0 and "customer"."customer_metrics"."wallet_balance" >= 0)
);
--> statement-breakpoint
ALTER TABLE "customer"."customer_metrics" ADD CONSTRAINT "customer_metrics_customer_fk" FOREIGN KEY ("store_id","customer_id") REFERENCES "customer"."customers"("store_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "customer_metrics_total_spent_idx" ON "customer"."customer_metrics" USING btree ("store_id","total_spent","customer_id");--> statement-breakpoint
CREATE INDEX "customer_metrics_order_count_idx" ON "customer"."customer_metrics" USING btree ("store_id","order_count","customer_id");--> statement-breakpoint
CREATE INDEX "customer_metrics_last_order_idx" ON "customer"."customer_metrics" USING btree ("store_id",coalesce("last_order_at", 'epoch'::timestamptz),"customer_id");--> statement-breakpoint
CREATE INDEX "customer_metrics_returned_units_idx" ON "customer"."customer_metrics" USING btree ("store_id","returned_units","customer_id");--> statement-breakpoint
CREATE INDEX "customer_metrics_wallet_balance_idx" ON "customer"."customer_metrics" USING btree ("store_id","wallet_balance","customer_id");--> statement-breakpoint
CREATE INDEX "customers_store_country_idx" ON "customer"."customers" USING btree ("store_id","country","id");--> statement-breakpoint
CREATE INDEX "customers_tags_idx" ON "customer"."customers" USING gin ("tags");--> statement-breakpoint
INSERT INTO "customer"."customer_metrics" ("customer_id", "store_id") SELECT "id", "store_id" FROM "customer"."customers" ON CONFLICT DO NOTHING;
