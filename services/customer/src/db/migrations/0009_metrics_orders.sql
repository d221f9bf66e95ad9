CREATE TABLE "customer"."metrics_orders" (
	"order_id" uuid PRIMARY KEY NOT NULL,
	"store_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"placed_at" timestamp (3) with time zone NOT NULL,
	"counts" boolean NOT NULL
);
--> statement-breakpoint
ALTER TABLE "customer"."metrics_orders" ADD CONSTRAINT "metrics_orders_customer_fk" FOREIGN KEY ("store_id","customer_id") REFERENCES "customer"."customers"("store_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "metrics_orders_counted_idx" ON "customer"."metrics_orders" USING btree ("store_id","customer_id","placed_at") WHERE "customer"."metrics_orders"."counts";