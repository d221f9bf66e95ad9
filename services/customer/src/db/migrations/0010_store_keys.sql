-- Every key starts with the store. The foreign keys that point at a composite key about to be
-- dropped (it becomes the primary key) go first and come back after it.
ALTER TABLE "customer"."addresses" DROP CONSTRAINT "addresses_customer_fk";--> statement-breakpoint
ALTER TABLE "customer"."customer_metrics" DROP CONSTRAINT "customer_metrics_customer_fk";--> statement-breakpoint
ALTER TABLE "customer"."watchlist" DROP CONSTRAINT "watchlist_customer_fk";--> statement-breakpoint
ALTER TABLE "customer"."guests" DROP CONSTRAINT "guests_customer_fk";--> statement-breakpoint
ALTER TABLE "customer"."timeline_entries" DROP CONSTRAINT "timeline_entries_customer_fk";--> statement-breakpoint
ALTER TABLE "customer"."metrics_orders" DROP CONSTRAINT "metrics_orders_customer_fk";--> statement-breakpoint
ALTER TABLE "customer"."customers" DROP CONSTRAINT "customers_store_id_key";--> statement-breakpoint
ALTER TABLE "customer"."customers" DROP CONSTRAINT "customers_pkey";--> statement-breakpoint
ALTER TABLE "customer"."customers" ADD CONSTRAINT "customers_pkey" PRIMARY KEY("store_id","id");--> statement-breakpoint
ALTER TABLE "customer"."addresses" ADD CONSTRAINT "addresses_customer_fk" FOREIGN KEY ("store_id","customer_id") REFERENCES "customer"."customers"("store_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer"."customer_metrics" ADD CONSTRAINT "customer_metrics_customer_fk" FOREIGN KEY ("store_id","customer_id") REFERENCES "customer"."customers"("store_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer"."watchlist" ADD CONSTRAINT "watchlist_customer_fk" FOREIGN KEY ("store_id","customer_id") REFERENCES "customer"."customers"("store_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer"."guests" ADD CONSTRAINT "guests_customer_fk" FOREIGN KEY ("store_id","converted_customer_id") REFERENCES "customer"."customers"("store_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer"."timeline_entries" ADD CONSTRAINT "timeline_entries_customer_fk" FOREIGN KEY ("store_id","customer_id") REFERENCES "customer"."customers"("store_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer"."metrics_orders" ADD CONSTRAINT "metrics_orders_customer_fk" FOREIGN KEY ("store_id","customer_id") REFERENCES "customer"."customers"("store_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer"."staff_members" DROP CONSTRAINT "staff_members_role_fk";--> statement-breakpoint
ALTER TABLE "customer"."staff_roles" DROP CONSTRAINT "staff_roles_store_id_key";--> statement-breakpoint
ALTER TABLE "customer"."staff_roles" DROP CONSTRAINT "staff_roles_pkey";--> statement-breakpoint
ALTER TABLE "customer"."staff_roles" ADD CONSTRAINT "staff_roles_pkey" PRIMARY KEY("store_id","id");--> statement-breakpoint
ALTER TABLE "customer"."staff_members" ADD CONSTRAINT "staff_members_role_fk" FOREIGN KEY ("store_id","custom_role_id") REFERENCES "customer"."staff_roles"("store_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer"."access_grants" DROP CONSTRAINT "access_grants_pkey";--> statement-breakpoint
ALTER TABLE "customer"."access_grants" ADD CONSTRAINT "access_grants_pkey" PRIMARY KEY("store_id","id");--> statement-breakpoint
ALTER TABLE "customer"."addresses" DROP CONSTRAINT "addresses_pkey";--> statement-breakpoint
ALTER TABLE "customer"."addresses" ADD CONSTRAINT "addresses_pkey" PRIMARY KEY("store_id","id");--> statement-breakpoint
ALTER TABLE "customer"."audit_entries" DROP CONSTRAINT "audit_entries_pkey";--> statement-breakpoint
ALTER TABLE "customer"."audit_entries" ADD CONSTRAINT "audit_entries_pkey" PRIMARY KEY("store_id","id");--> statement-breakpoint
ALTER TABLE "customer"."guests" DROP CONSTRAINT "guests_pkey";--> statement-breakpoint
ALTER TABLE "customer"."guests" ADD CONSTRAINT "guests_pkey" PRIMARY KEY("store_id","id");--> statement-breakpoint
ALTER TABLE "customer"."segments" DROP CONSTRAINT "segments_pkey";--> statement-breakpoint
ALTER TABLE "customer"."segments" ADD CONSTRAINT "segments_pkey" PRIMARY KEY("store_id","id");--> statement-breakpoint
ALTER TABLE "customer"."timeline_entries" DROP CONSTRAINT "timeline_entries_pkey";--> statement-breakpoint
ALTER TABLE "customer"."timeline_entries" ADD CONSTRAINT "timeline_entries_pkey" PRIMARY KEY("store_id","id");--> statement-breakpoint
ALTER TABLE "customer"."customer_metrics" DROP CONSTRAINT "customer_metrics_pkey";--> statement-breakpoint
ALTER TABLE "customer"."customer_metrics" ADD CONSTRAINT "customer_metrics_pkey" PRIMARY KEY("store_id","customer_id");--> statement-breakpoint
ALTER TABLE "customer"."metrics_orders" DROP CONSTRAINT "metrics_orders_pkey";--> statement-breakpoint
ALTER TABLE "customer"."metrics_orders" ADD CONSTRAINT "metrics_orders_pkey" PRIMARY KEY("store_id","order_id");--> statement-breakpoint
DROP INDEX "customer"."addresses_one_default_key";--> statement-breakpoint
CREATE UNIQUE INDEX "addresses_one_default_key" ON "customer"."addresses" USING btree ("store_id","customer_id","kind") WHERE "customer"."addresses"."is_default";--> statement-breakpoint
ALTER TABLE "customer"."outbox" DROP CONSTRAINT "outbox_id_unique";--> statement-breakpoint
ALTER TABLE "customer"."outbox" DROP CONSTRAINT "outbox_pkey";--> statement-breakpoint
ALTER TABLE "customer"."outbox" ADD CONSTRAINT "outbox_pkey" PRIMARY KEY("store_id","seq");--> statement-breakpoint
ALTER TABLE "customer"."outbox" ADD CONSTRAINT "outbox_store_id_key" UNIQUE("store_id","id");--> statement-breakpoint
CREATE INDEX "outbox_seq_idx" ON "customer"."outbox" USING btree ("seq");
