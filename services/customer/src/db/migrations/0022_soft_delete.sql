DROP INDEX "customer"."customers_store_email_key";--> statement-breakpoint
DROP INDEX "customer"."customers_store_phone_key";--> statement-breakpoint
ALTER TABLE "customer"."customers" ADD COLUMN "deleted_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "customer"."customers" ADD COLUMN "restorable_until" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "customer"."stores" ADD COLUMN "deleted_customer_retention_days" integer DEFAULT 30 NOT NULL;--> statement-breakpoint
CREATE INDEX "customers_store_deleted_idx" ON "customer"."customers" USING btree ("store_id","restorable_until","id") WHERE "customer"."customers"."deleted_at" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "customers_store_email_key" ON "customer"."customers" USING btree ("store_id",lower("email")) WHERE "customer"."customers"."email" is not null and "customer"."customers"."deleted_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "customers_store_phone_key" ON "customer"."customers" USING btree ("store_id","phone") WHERE "customer"."customers"."phone" is not null and "customer"."customers"."deleted_at" is null;--> statement-breakpoint
ALTER TABLE "customer"."stores" ADD CONSTRAINT "stores_deleted_customer_retention_days_check" CHECK ("customer"."stores"."deleted_customer_retention_days" between 1 and 365);