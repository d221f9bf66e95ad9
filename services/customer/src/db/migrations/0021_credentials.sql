ALTER TYPE "customer"."timeline_kind" ADD VALUE 'account';--> statement-breakpoint
CREATE TABLE "customer"."account_messages" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"store_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"recipient" text NOT NULL,
	"token" text NOT NULL,
	"expires_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "account_messages_pkey" PRIMARY KEY("store_id","id")
);
--> statement-breakpoint
CREATE TABLE "customer"."customer_credentials" (
	"store_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"password_hash" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customer_credentials_pkey" PRIMARY KEY("store_id","customer_id")
);
--> statement-breakpoint
CREATE TABLE "customer"."password_reset_tokens" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"store_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"requested_by" text,
	"expires_at" timestamp (3) with time zone NOT NULL,
	"used_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "password_reset_tokens_pkey" PRIMARY KEY("store_id","id")
);
--> statement-breakpoint
CREATE TABLE "customer"."sign_in_codes" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"store_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"code_hash" text NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	"used_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sign_in_codes_pkey" PRIMARY KEY("store_id","id")
);
--> statement-breakpoint
CREATE TABLE "customer"."sign_in_failures" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"store_id" uuid NOT NULL,
	"account_key" text NOT NULL,
	"customer_id" uuid,
	"ip" text,
	"failed_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sign_in_failures_pkey" PRIMARY KEY("store_id","id")
);
--> statement-breakpoint
ALTER TABLE "customer"."account_messages" ADD CONSTRAINT "account_messages_customer_fk" FOREIGN KEY ("store_id","customer_id") REFERENCES "customer"."customers"("store_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer"."customer_credentials" ADD CONSTRAINT "customer_credentials_customer_fk" FOREIGN KEY ("store_id","customer_id") REFERENCES "customer"."customers"("store_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer"."password_reset_tokens" ADD CONSTRAINT "password_reset_tokens_customer_fk" FOREIGN KEY ("store_id","customer_id") REFERENCES "customer"."customers"("store_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer"."sign_in_codes" ADD CONSTRAINT "sign_in_codes_customer_fk" FOREIGN KEY ("store_id","customer_id") REFERENCES "customer"."customers"("store_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "account_messages_store_customer_idx" ON "customer"."account_messages" USING btree ("store_id","customer_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "password_reset_tokens_store_hash_key" ON "customer"."password_reset_tokens" USING btree ("store_id","token_hash");--> statement-breakpoint
CREATE INDEX "password_reset_tokens_store_customer_idx" ON "customer"."password_reset_tokens" USING btree ("store_id","customer_id");--> statement-breakpoint
CREATE INDEX "sign_in_codes_store_customer_idx" ON "customer"."sign_in_codes" USING btree ("store_id","customer_id","created_at");--> statement-breakpoint
CREATE INDEX "sign_in_failures_store_account_idx" ON "customer"."sign_in_failures" USING btree ("store_id","account_key","failed_at");--> statement-breakpoint
CREATE INDEX "sign_in_failures_store_ip_idx" ON "customer"."sign_in_failures" USING btree ("store_id","ip","failed_at");--> statement-breakpoint
CREATE INDEX "sign_in_failures_store_customer_idx" ON "customer"."sign_in_failures" USING btree ("store_id","customer_id");