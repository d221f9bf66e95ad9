CREATE SCHEMA IF NOT EXISTS "customer";
--> statement-breakpoint
CREATE TYPE "customer"."address_kind" AS ENUM('delivery', 'corporate_invoice', 'individual_invoice');--> statement-breakpoint
CREATE TYPE "customer"."customer_status" AS ENUM('active', 'inactive', 'blocked');--> statement-breakpoint
CREATE TYPE "customer"."gender" AS ENUM('male', 'female', 'other', 'undisclosed');--> statement-breakpoint
CREATE TABLE "customer"."addresses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"store_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"kind" "customer"."address_kind" NOT NULL,
	"label" text,
	"recipient" text NOT NULL,
	"line1" text NOT NULL,
	"line2" text,
	"city" text NOT NULL,
	"region" text,
	"postal_code" text,
	"country" char(2) NOT NULL,
	"phone" text,
	"is_default" boolean DEFAULT false NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customer"."customers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"store_id" uuid NOT NULL,
	"identity_id" uuid,
	"first_name" text NOT NULL,
	"last_name" text NOT NULL,
	"email" text,
	"phone" text,
	"gender" "customer"."gender",
	"birth_date" date,
	"country" char(2),
	"language" text,
	"status" "customer"."customer_status" DEFAULT 'active' NOT NULL,
	"notes" text,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"is_business" boolean DEFAULT false NOT NULL,
	"company_name" text,
	"tax_office" text,
	"tax_number" text,
	"vip_member_number" text,
	"vip_verification_code" text,
	"name_key" text GENERATED ALWAYS AS (lower(first_name || ' ' || last_name)) STORED NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customers_store_id_key" UNIQUE("store_id","id")
);
--> statement-breakpoint
CREATE TABLE "customer"."identities" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text,
	"phone" text,
	"first_name" text,
	"last_name" text,
	"gender" "customer"."gender",
	"birth_date" date,
	"language" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customer"."stores" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"currency" char(3) NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "customer"."addresses" ADD CONSTRAINT "addresses_customer_fk" FOREIGN KEY ("store_id","customer_id") REFERENCES "customer"."customers"("store_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer"."customers" ADD CONSTRAINT "customers_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "customer"."stores"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer"."customers" ADD CONSTRAINT "customers_identity_id_identities_id_fk" FOREIGN KEY ("identity_id") REFERENCES "customer"."identities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "addresses_one_default_key" ON "customer"."addresses" USING btree ("customer_id","kind") WHERE "customer"."addresses"."is_default";--> statement-breakpoint
CREATE INDEX "addresses_customer_idx" ON "customer"."addresses" USING btree ("customer_id","created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "customers_store_email_key" ON "customer"."customers" USING btree ("store_id",lower("email")) WHERE "customer"."customers"."email" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "customers_store_phone_key" ON "customer"."customers" USING btree ("store_id","phone") WHERE "customer"."customers"."phone" is not null;--> statement-breakpoint
CREATE INDEX "customers_store_created_idx" ON "customer"."customers" USING btree ("store_id","created_at","id");--> statement-breakpoint
CREATE INDEX "customers_store_name_idx" ON "customer"."customers" USING btree ("store_id","name_key","id");--> statement-breakpoint
CREATE INDEX "customers_store_name_prefix_idx" ON "customer"."customers" USING btree ("store_id","name_key" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "customers_store_last_name_prefix_idx" ON "customer"."customers" USING btree ("store_id",lower("last_name") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "customers_store_email_prefix_idx" ON "customer"."customers" USING btree ("store_id",lower("email") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "customers_store_phone_prefix_idx" ON "customer"."customers" USING btree ("store_id","phone" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "customers_identity_idx" ON "customer"."customers" USING btree ("identity_id");--> statement-breakpoint
CREATE UNIQUE INDEX "identities_email_key" ON "customer"."identities" USING btree (lower("email")) WHERE "customer"."identities"."email" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "identities_phone_key" ON "customer"."identities" USING btree ("phone") WHERE "customer"."identities"."phone" is not null;