DROP INDEX "customer"."customer_metrics_last_order_idx";--> statement-breakpoint
DROP INDEX "customer"."customers_store_last_name_prefix_idx";--> statement-breakpoint
DROP INDEX "customer"."customers_store_email_prefix_idx";--> statement-breakpoint
ALTER TABLE "customer"."customer_metrics" ADD COLUMN "last_order_key" timestamp (3) with time zone GENERATED ALWAYS AS (coalesce(last_order_at, 'epoch'::timestamptz)) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "customer"."customers" ADD COLUMN "last_name_key" text GENERATED ALWAYS AS (lower(last_name)) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "customer"."customers" ADD COLUMN "email_key" text GENERATED ALWAYS AS (lower(email)) STORED;--> statement-breakpoint
CREATE INDEX "customer_metrics_last_order_idx" ON "customer"."customer_metrics" USING btree ("store_id","last_order_key","customer_id");--> statement-breakpoint
CREATE INDEX "customers_store_last_name_prefix_idx" ON "customer"."customers" USING btree ("store_id","last_name_key" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "customers_store_email_prefix_idx" ON "customer"."customers" USING btree ("store_id","email_key" text_pattern_ops);