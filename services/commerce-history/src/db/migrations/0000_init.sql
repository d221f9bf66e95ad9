CREATE SCHEMA IF NOT EXISTS "commerce_history";
--> statement-breakpoint
CREATE TYPE "commerce_history"."order_channel" AS ENUM('web', 'mobile_app', 'pos', 'marketplace', 'other');--> statement-breakpoint
CREATE TYPE "commerce_history"."order_request_status" AS ENUM('requested', 'approved', 'rejected', 'completed');--> statement-breakpoint
CREATE TYPE "commerce_history"."order_request_type" AS ENUM('cancellation', 'return');--> statement-breakpoint
CREATE TYPE "commerce_history"."order_status" AS ENUM('draft', 'pending_delivery', 'new', 'in_progress', 'prepared', 'invoiced', 'in_delivery', 'delivered', 'completed', 'not_delivered', 'returned', 'cancelled', 'expired');--> statement-breakpoint
CREATE TYPE "commerce_history"."payment_method" AS ENUM('credit_card', 'debit_card', 'bank_transfer', 'cash', 'wallet', 'other');--> statement-breakpoint
CREATE TYPE "commerce_history"."payment_status" AS ENUM('completed', 'cancelled', 'refunded', 'partially_refunded', 'on_hold');--> statement-breakpoint
CREATE TABLE "commerce_history"."order_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"store_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"product_id" text NOT NULL,
	"sku" text,
	"name" text NOT NULL,
	"quantity" integer NOT NULL,
	"unit_price" bigint NOT NULL,
	"discount" bigint DEFAULT 0 NOT NULL,
	"total" bigint NOT NULL,
	CONSTRAINT "order_items_order_position_key" UNIQUE("order_id","position"),
	CONSTRAINT "order_items_quantity_positive" CHECK ("commerce_history"."order_items"."quantity" > 0),
	CONSTRAINT "order_items_amounts_non_negative" CHECK ("commerce_history"."order_items"."unit_price" >= 0 and "commerce_history"."order_items"."discount" >= 0 and "commerce_history"."order_items"."total" >= 0),
	CONSTRAINT "order_items_total_sum" CHECK ("commerce_history"."order_items"."total" = "commerce_history"."order_items"."quantity" * "commerce_history"."order_items"."unit_price" - "commerce_history"."order_items"."discount")
);
--> statement-breakpoint
CREATE TABLE "commerce_history"."order_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"store_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"type" "commerce_history"."order_request_type" NOT NULL,
	"status" "commerce_history"."order_request_status" DEFAULT 'requested' NOT NULL,
	"reason" text,
	"units" integer,
	"note" text,
	"requested_by" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "order_requests_units_positive" CHECK ("commerce_history"."order_requests"."units" is null or "commerce_history"."order_requests"."units" > 0)
);
--> statement-breakpoint
CREATE TABLE "commerce_history"."order_status_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"store_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"from_status" "commerce_history"."order_status",
	"to_status" "commerce_history"."order_status" NOT NULL,
	"note" text,
	"changed_by" text,
	"ip" "inet",
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "commerce_history"."orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"store_id" uuid NOT NULL,
	"number" text NOT NULL,
	"customer_id" uuid,
	"guest_name" text,
	"guest_email" text,
	"guest_phone" text,
	"channel" "commerce_history"."order_channel" NOT NULL,
	"platform" text,
	"receipt_number" text,
	"status" "commerce_history"."order_status" NOT NULL,
	"currency" char(3) NOT NULL,
	"subtotal" bigint NOT NULL,
	"discount" bigint NOT NULL,
	"shipping" bigint NOT NULL,
	"tax" bigint NOT NULL,
	"total" bigint NOT NULL,
	"units" integer NOT NULL,
	"payment_method" "commerce_history"."payment_method",
	"coupon_codes" text[] DEFAULT '{}'::text[] NOT NULL,
	"campaign_id" text,
	"campaign_name" text,
	"ip" "inet",
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"recorded_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "orders_store_number_key" UNIQUE("store_id","number"),
	CONSTRAINT "orders_store_id_key" UNIQUE("store_id","id"),
	CONSTRAINT "orders_store_id_currency_key" UNIQUE("store_id","id","currency"),
	CONSTRAINT "orders_number_format" CHECK ("commerce_history"."orders"."number" ~ '^[A-Z0-9]{10}$'),
	CONSTRAINT "orders_currency_format" CHECK ("commerce_history"."orders"."currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "orders_amounts_non_negative" CHECK ("commerce_history"."orders"."subtotal" >= 0 and "commerce_history"."orders"."discount" >= 0 and "commerce_history"."orders"."shipping" >= 0 and "commerce_history"."orders"."tax" >= 0 and "commerce_history"."orders"."total" >= 0 and "commerce_history"."orders"."units" >= 0),
	CONSTRAINT "orders_total_sum" CHECK ("commerce_history"."orders"."total" = "commerce_history"."orders"."subtotal" - "commerce_history"."orders"."discount" + "commerce_history"."orders"."shipping" + "commerce_history"."orders"."tax"),
	CONSTRAINT "orders_customer_or_guest" CHECK (("commerce_history"."orders"."customer_id" is not null and "commerce_history"."orders"."guest_name" is null and "commerce_history"."orders"."guest_email" is null and "commerce_history"."orders"."guest_phone" is null)
        or ("commerce_history"."orders"."customer_id" is null and ("commerce_history"."orders"."guest_email" is not null or "commerce_history"."orders"."guest_phone" is not null)))
);
--> statement-breakpoint
CREATE TABLE "commerce_history"."payments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"store_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"customer_id" uuid,
	"transaction_code" text NOT NULL,
	"method" "commerce_history"."payment_method" NOT NULL,
	"instrument_group" text,
	"provider" text,
	"institution" text,
	"amount" bigint NOT NULL,
	"currency" char(3) NOT NULL,
	"status" "commerce_history"."payment_status" NOT NULL,
	"ip" "inet",
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"recorded_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payments_store_transaction_code_key" UNIQUE("store_id","transaction_code"),
	CONSTRAINT "payments_amount_non_negative" CHECK ("commerce_history"."payments"."amount" >= 0)
);
--> statement-breakpoint
ALTER TABLE "commerce_history"."order_items" ADD CONSTRAINT "order_items_order_fk" FOREIGN KEY ("store_id","order_id") REFERENCES "commerce_history"."orders"("store_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commerce_history"."order_requests" ADD CONSTRAINT "order_requests_order_fk" FOREIGN KEY ("store_id","order_id") REFERENCES "commerce_history"."orders"("store_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commerce_history"."order_status_changes" ADD CONSTRAINT "order_status_changes_order_fk" FOREIGN KEY ("store_id","order_id") REFERENCES "commerce_history"."orders"("store_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commerce_history"."payments" ADD CONSTRAINT "payments_order_fk" FOREIGN KEY ("store_id","order_id","currency") REFERENCES "commerce_history"."orders"("store_id","id","currency") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "order_requests_one_open_key" ON "commerce_history"."order_requests" USING btree ("order_id","type") WHERE "commerce_history"."order_requests"."status" in ('requested', 'approved');--> statement-breakpoint
CREATE INDEX "order_requests_order_type_idx" ON "commerce_history"."order_requests" USING btree ("order_id","type","created_at");--> statement-breakpoint
CREATE INDEX "order_status_changes_order_idx" ON "commerce_history"."order_status_changes" USING btree ("order_id","created_at","id");--> statement-breakpoint
CREATE INDEX "orders_store_customer_created_idx" ON "commerce_history"."orders" USING btree ("store_id","customer_id","created_at","id");--> statement-breakpoint
CREATE INDEX "orders_store_created_idx" ON "commerce_history"."orders" USING btree ("store_id","created_at","id");--> statement-breakpoint
CREATE INDEX "payments_store_customer_created_idx" ON "commerce_history"."payments" USING btree ("store_id","customer_id","created_at","id");--> statement-breakpoint
CREATE INDEX "payments_order_idx" ON "commerce_history"."payments" USING btree ("order_id","created_at","id");