CREATE TABLE "customer"."metrics_order_skus" (
	"store_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"sku" text NOT NULL,
	"customer_id" uuid NOT NULL,
	"counts" boolean NOT NULL,
	CONSTRAINT "metrics_order_skus_pkey" PRIMARY KEY("store_id","order_id","sku")
);
--> statement-breakpoint
ALTER TABLE "customer"."metrics_order_skus" ADD CONSTRAINT "metrics_order_skus_customer_fk" FOREIGN KEY ("store_id","customer_id") REFERENCES "customer"."customers"("store_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "metrics_order_skus_bought_idx" ON "customer"."metrics_order_skus" USING btree ("store_id","sku","customer_id") WHERE "customer"."metrics_order_skus"."counts";