CREATE TYPE "commerce_history"."feedback_source" AS ENUM('staff', 'customer');--> statement-breakpoint
CREATE TABLE "commerce_history"."order_feedback" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"store_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"rating" smallint NOT NULL,
	"negative" boolean GENERATED ALWAYS AS (rating <= 2) STORED NOT NULL,
	"comment" text,
	"source" "commerce_history"."feedback_source" NOT NULL,
	"recorded_by" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "order_feedback_order_key" UNIQUE("order_id"),
	CONSTRAINT "order_feedback_rating_range" CHECK ("commerce_history"."order_feedback"."rating" between 1 and 5)
);
--> statement-breakpoint
DROP INDEX "commerce_history"."orders_guest_email_idx";--> statement-breakpoint
DROP INDEX "commerce_history"."orders_guest_phone_idx";--> statement-breakpoint
ALTER TABLE "commerce_history"."order_feedback" ADD CONSTRAINT "order_feedback_order_fk" FOREIGN KEY ("store_id","order_id") REFERENCES "commerce_history"."orders"("store_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "orders_guest_email_idx" ON "commerce_history"."orders" USING btree ("store_id",lower("guest_email")) WHERE "commerce_history"."orders"."guest_email" is not null;--> statement-breakpoint
CREATE INDEX "orders_guest_phone_idx" ON "commerce_history"."orders" USING btree ("store_id","guest_phone") WHERE "commerce_history"."orders"."guest_phone" is not null;