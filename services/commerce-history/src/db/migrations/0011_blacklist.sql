CREATE TABLE "commerce_history"."blacklisted_contacts" (
	"store_id" uuid NOT NULL,
	"entry_id" uuid NOT NULL,
	"phone_hash" text,
	"email_hash" text,
	"active" boolean NOT NULL,
	"seq" bigint NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "blacklisted_contacts_pkey" PRIMARY KEY("store_id","entry_id")
);
--> statement-breakpoint
CREATE TABLE "commerce_history"."customer_contacts" (
	"store_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"phone_hash" text,
	"email_hash" text,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customer_contacts_pkey" PRIMARY KEY("store_id","customer_id")
);
--> statement-breakpoint
CREATE INDEX "blacklisted_contacts_phone_idx" ON "commerce_history"."blacklisted_contacts" USING btree ("store_id","phone_hash") WHERE "commerce_history"."blacklisted_contacts"."active" and "commerce_history"."blacklisted_contacts"."phone_hash" is not null;--> statement-breakpoint
CREATE INDEX "blacklisted_contacts_email_idx" ON "commerce_history"."blacklisted_contacts" USING btree ("store_id","email_hash") WHERE "commerce_history"."blacklisted_contacts"."active" and "commerce_history"."blacklisted_contacts"."email_hash" is not null;