CREATE TABLE "commerce_history"."applied_events" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"applied_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "commerce_history"."orders" DROP CONSTRAINT "orders_customer_or_guest";--> statement-breakpoint
CREATE INDEX "orders_guest_email_idx" ON "commerce_history"."orders" USING btree ("store_id",lower("guest_email")) WHERE "commerce_history"."orders"."customer_id" is null;--> statement-breakpoint
CREATE INDEX "orders_guest_phone_idx" ON "commerce_history"."orders" USING btree ("store_id","guest_phone") WHERE "commerce_history"."orders"."customer_id" is null;--> statement-breakpoint
ALTER TABLE "commerce_history"."orders" ADD CONSTRAINT "orders_customer_or_guest" CHECK ("commerce_history"."orders"."customer_id" is not null or "commerce_history"."orders"."guest_email" is not null or "commerce_history"."orders"."guest_phone" is not null);