ALTER TABLE "commerce_history"."order_items" ADD COLUMN "unit_cost" bigint;--> statement-breakpoint
ALTER TABLE "commerce_history"."orders" ADD COLUMN "payment_fee" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "commerce_history"."order_items" ADD CONSTRAINT "order_items_unit_cost_non_negative" CHECK ("commerce_history"."order_items"."unit_cost" is null or "commerce_history"."order_items"."unit_cost" >= 0);--> statement-breakpoint
ALTER TABLE "commerce_history"."orders" ADD CONSTRAINT "orders_payment_fee_non_negative" CHECK ("commerce_history"."orders"."payment_fee" >= 0);