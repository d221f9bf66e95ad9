-- Every key starts with the store. The foreign keys that point at a composite key about to be
-- dropped (it becomes the primary key) go first and come back after it.
ALTER TABLE "commerce_history"."order_items" DROP CONSTRAINT "order_items_order_fk";--> statement-breakpoint
ALTER TABLE "commerce_history"."order_requests" DROP CONSTRAINT "order_requests_order_fk";--> statement-breakpoint
ALTER TABLE "commerce_history"."order_status_changes" DROP CONSTRAINT "order_status_changes_order_fk";--> statement-breakpoint
ALTER TABLE "commerce_history"."order_feedback" DROP CONSTRAINT "order_feedback_order_fk";--> statement-breakpoint
ALTER TABLE "commerce_history"."orders" DROP CONSTRAINT "orders_store_id_key";--> statement-breakpoint
ALTER TABLE "commerce_history"."orders" DROP CONSTRAINT "orders_pkey";--> statement-breakpoint
ALTER TABLE "commerce_history"."orders" ADD CONSTRAINT "orders_pkey" PRIMARY KEY("store_id","id");--> statement-breakpoint
ALTER TABLE "commerce_history"."order_items" ADD CONSTRAINT "order_items_order_fk" FOREIGN KEY ("store_id","order_id") REFERENCES "commerce_history"."orders"("store_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commerce_history"."order_requests" ADD CONSTRAINT "order_requests_order_fk" FOREIGN KEY ("store_id","order_id") REFERENCES "commerce_history"."orders"("store_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commerce_history"."order_status_changes" ADD CONSTRAINT "order_status_changes_order_fk" FOREIGN KEY ("store_id","order_id") REFERENCES "commerce_history"."orders"("store_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commerce_history"."order_feedback" ADD CONSTRAINT "order_feedback_order_fk" FOREIGN KEY ("store_id","order_id") REFERENCES "commerce_history"."orders"("store_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commerce_history"."order_items" DROP CONSTRAINT "order_items_pkey";--> statement-breakpoint
ALTER TABLE "commerce_history"."order_items" ADD CONSTRAINT "order_items_pkey" PRIMARY KEY("store_id","id");--> statement-breakpoint
ALTER TABLE "commerce_history"."order_requests" DROP CONSTRAINT "order_requests_pkey";--> statement-breakpoint
ALTER TABLE "commerce_history"."order_requests" ADD CONSTRAINT "order_requests_pkey" PRIMARY KEY("store_id","id");--> statement-breakpoint
ALTER TABLE "commerce_history"."order_status_changes" DROP CONSTRAINT "order_status_changes_pkey";--> statement-breakpoint
ALTER TABLE "commerce_history"."order_status_changes" ADD CONSTRAINT "order_status_changes_pkey" PRIMARY KEY("store_id","id");--> statement-breakpoint
ALTER TABLE "commerce_history"."order_feedback" DROP CONSTRAINT "order_feedback_pkey";--> statement-breakpoint
ALTER TABLE "commerce_history"."order_feedback" ADD CONSTRAINT "order_feedback_pkey" PRIMARY KEY("store_id","id");--> statement-breakpoint
ALTER TABLE "commerce_history"."payments" DROP CONSTRAINT "payments_pkey";--> statement-breakpoint
ALTER TABLE "commerce_history"."payments" ADD CONSTRAINT "payments_pkey" PRIMARY KEY("store_id","id");--> statement-breakpoint
ALTER TABLE "commerce_history"."order_items" DROP CONSTRAINT "order_items_order_position_key";--> statement-breakpoint
ALTER TABLE "commerce_history"."order_items" ADD CONSTRAINT "order_items_order_position_key" UNIQUE("store_id","order_id","position");--> statement-breakpoint
ALTER TABLE "commerce_history"."order_feedback" DROP CONSTRAINT "order_feedback_order_key";--> statement-breakpoint
ALTER TABLE "commerce_history"."order_feedback" ADD CONSTRAINT "order_feedback_order_key" UNIQUE("store_id","order_id");--> statement-breakpoint
DROP INDEX "commerce_history"."order_requests_one_open_key";--> statement-breakpoint
CREATE UNIQUE INDEX "order_requests_one_open_key" ON "commerce_history"."order_requests" USING btree ("store_id","order_id","type") WHERE "commerce_history"."order_requests"."status" in ('requested', 'approved');--> statement-breakpoint
ALTER TABLE "commerce_history"."outbox" DROP CONSTRAINT "outbox_id_unique";--> statement-breakpoint
ALTER TABLE "commerce_history"."outbox" DROP CONSTRAINT "outbox_pkey";--> statement-breakpoint
ALTER TABLE "commerce_history"."outbox" ADD CONSTRAINT "outbox_pkey" PRIMARY KEY("store_id","seq");--> statement-breakpoint
ALTER TABLE "commerce_history"."outbox" ADD CONSTRAINT "outbox_store_id_key" UNIQUE("store_id","id");--> statement-breakpoint
CREATE INDEX "outbox_seq_idx" ON "commerce_history"."outbox" USING btree ("seq");
