CREATE TYPE "customer"."audit_actor_kind" AS ENUM('staff', 'customer');--> statement-breakpoint
CREATE TABLE "customer"."audit_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"store_id" uuid NOT NULL,
	"actor_kind" "customer"."audit_actor_kind" NOT NULL,
	"actor_id" text NOT NULL,
	"ip" text,
	"action" text NOT NULL,
	"subgraph" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text NOT NULL,
	"customer_id" uuid,
	"before" jsonb,
	"after" jsonb,
	"occurred_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "audit_entries_store_idx" ON "customer"."audit_entries" USING btree ("store_id","occurred_at","id");--> statement-breakpoint
CREATE INDEX "audit_entries_customer_idx" ON "customer"."audit_entries" USING btree ("store_id","customer_id","occurred_at","id");--> statement-breakpoint
CREATE INDEX "audit_entries_actor_idx" ON "customer"."audit_entries" USING btree ("store_id","actor_id","occurred_at","id");