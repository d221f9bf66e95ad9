CREATE TYPE "customer"."blacklist_reason" AS ENUM('frequent_order_refusal', 'return_abuse_or_fraud', 'inappropriate_behaviour', 'fake_orders', 'other');--> statement-breakpoint
CREATE TABLE "customer"."blacklist_entries" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"store_id" uuid NOT NULL,
	"phone" text,
	"email" text,
	"reason" "customer"."blacklist_reason" NOT NULL,
	"note" text,
	"created_by" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "blacklist_entries_pkey" PRIMARY KEY("store_id","id"),
	CONSTRAINT "blacklist_entries_contact_check" CHECK ("customer"."blacklist_entries"."phone" is not null or "customer"."blacklist_entries"."email" is not null),
	CONSTRAINT "blacklist_entries_email_check" CHECK ("customer"."blacklist_entries"."email" = lower(btrim("customer"."blacklist_entries"."email")))
);
--> statement-breakpoint
ALTER TABLE "customer"."blacklist_entries" ADD CONSTRAINT "blacklist_entries_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "customer"."stores"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "blacklist_entries_store_phone_key" ON "customer"."blacklist_entries" USING btree ("store_id","phone") WHERE "customer"."blacklist_entries"."phone" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "blacklist_entries_store_email_key" ON "customer"."blacklist_entries" USING btree ("store_id","email") WHERE "customer"."blacklist_entries"."email" is not null;--> statement-breakpoint
CREATE INDEX "blacklist_entries_store_created_idx" ON "customer"."blacklist_entries" USING btree ("store_id","created_at","id");--> statement-breakpoint
CREATE INDEX "blacklist_entries_store_phone_prefix_idx" ON "customer"."blacklist_entries" USING btree ("store_id","phone" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "blacklist_entries_store_email_prefix_idx" ON "customer"."blacklist_entries" USING btree ("store_id","email" text_pattern_ops);