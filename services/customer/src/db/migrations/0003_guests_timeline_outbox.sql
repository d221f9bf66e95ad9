CREATE TYPE "customer"."timeline_kind" AS ENUM('order', 'order_status', 'created', 'edited', 'status_changed', 'note', 'address', 'balance', 'consent');--> statement-breakpoint
CREATE TABLE "customer"."guests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"store_id" uuid NOT NULL,
	"name" text,
	"email" text,
	"phone" text,
	"first_seen_at" timestamp (3) with time zone NOT NULL,
	"last_seen_at" timestamp (3) with time zone NOT NULL,
	"order_count" integer DEFAULT 0 NOT NULL,
	"converted_customer_id" uuid,
	"converted_at" timestamp (3) with time zone,
	CONSTRAINT "guests_contact_check" CHECK ("customer"."guests"."email" is not null or "customer"."guests"."phone" is not null)
);
--> statement-breakpoint
CREATE TABLE "customer"."outbox" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"type" text NOT NULL,
	"store_id" uuid NOT NULL,
	"customer_id" uuid,
	"payload" jsonb NOT NULL,
	"occurred_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp (3) with time zone,
	CONSTRAINT "outbox_id_unique" UNIQUE("id")
);
--> statement-breakpoint
CREATE TABLE "customer"."timeline_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"store_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"kind" "customer"."timeline_kind" NOT NULL,
	"summary" text NOT NULL,
	"data" jsonb NOT NULL,
	"order_id" uuid,
	"actor" text,
	"occurred_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "customer"."guests" ADD CONSTRAINT "guests_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "customer"."stores"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer"."guests" ADD CONSTRAINT "guests_customer_fk" FOREIGN KEY ("store_id","converted_customer_id") REFERENCES "customer"."customers"("store_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer"."timeline_entries" ADD CONSTRAINT "timeline_entries_customer_fk" FOREIGN KEY ("store_id","customer_id") REFERENCES "customer"."customers"("store_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "guests_store_email_key" ON "customer"."guests" USING btree ("store_id",lower("email")) WHERE "customer"."guests"."email" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "guests_store_phone_key" ON "customer"."guests" USING btree ("store_id","phone") WHERE "customer"."guests"."phone" is not null;--> statement-breakpoint
CREATE INDEX "guests_store_last_seen_idx" ON "customer"."guests" USING btree ("store_id","last_seen_at","id");--> statement-breakpoint
CREATE INDEX "outbox_unpublished_idx" ON "customer"."outbox" USING btree ("seq") WHERE "customer"."outbox"."published_at" is null;--> statement-breakpoint
CREATE INDEX "timeline_entries_customer_idx" ON "customer"."timeline_entries" USING btree ("customer_id","occurred_at","id");