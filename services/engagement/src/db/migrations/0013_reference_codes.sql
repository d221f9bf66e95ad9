CREATE TYPE "engagement"."reference_code_action" AS ENUM('create', 'stop', 'resume', 'expire');--> statement-breakpoint
CREATE TYPE "engagement"."reference_code_type" AS ENUM('platform', 'seller', 'user');--> statement-breakpoint
CREATE TABLE "engagement"."reference_code_accesses" (
	"store_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"code_id" uuid NOT NULL,
	"session_id" text NOT NULL,
	"customer_id" uuid,
	"accessed_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reference_code_accesses_pkey" PRIMARY KEY("store_id","id")
);
--> statement-breakpoint
CREATE TABLE "engagement"."reference_code_status_changes" (
	"store_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"code_id" uuid NOT NULL,
	"action" "engagement"."reference_code_action" NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"changed_by" text NOT NULL,
	"changed_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "engagement"."reference_code_status_changes_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	CONSTRAINT "reference_code_status_changes_pkey" PRIMARY KEY("store_id","id")
);
--> statement-breakpoint
CREATE TABLE "engagement"."reference_code_uses" (
	"store_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"code_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"referrer_id" uuid,
	"order_id" uuid,
	"referral" boolean NOT NULL,
	"used_by" text NOT NULL,
	"used_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reference_code_uses_pkey" PRIMARY KEY("store_id","id"),
	CONSTRAINT "reference_code_uses_self_check" CHECK ("engagement"."reference_code_uses"."referrer_id" is null or "engagement"."reference_code_uses"."referrer_id" <> "engagement"."reference_code_uses"."customer_id")
);
--> statement-breakpoint
CREATE TABLE "engagement"."reference_codes" (
	"store_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"code_key" text GENERATED ALWAYS AS (lower(code)) STORED NOT NULL,
	"name" text NOT NULL,
	"name_key" text GENERATED ALWAYS AS (lower(name)) STORED NOT NULL,
	"type" "engagement"."reference_code_type" NOT NULL,
	"owner_id" uuid,
	"usage_limit" integer,
	"per_customer_limit" integer,
	"uses" integer DEFAULT 0 NOT NULL,
	"starts_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"ends_at" timestamp (3) with time zone,
	"stopped_at" timestamp (3) with time zone,
	"expired_at" timestamp (3) with time zone,
	"created_by" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reference_codes_pkey" PRIMARY KEY("store_id","id"),
	CONSTRAINT "reference_codes_owner_check" CHECK (("engagement"."reference_codes"."type" = 'user') = ("engagement"."reference_codes"."owner_id" is not null)),
	CONSTRAINT "reference_codes_limits_check" CHECK (("engagement"."reference_codes"."usage_limit" is null or "engagement"."reference_codes"."usage_limit" >= 0) and ("engagement"."reference_codes"."per_customer_limit" is null or "engagement"."reference_codes"."per_customer_limit" >= 0)),
	CONSTRAINT "reference_codes_uses_check" CHECK ("engagement"."reference_codes"."uses" >= 0 and ("engagement"."reference_codes"."usage_limit" is null or "engagement"."reference_codes"."uses" <= "engagement"."reference_codes"."usage_limit")),
	CONSTRAINT "reference_codes_dates_check" CHECK ("engagement"."reference_codes"."ends_at" is null or "engagement"."reference_codes"."ends_at" > "engagement"."reference_codes"."starts_at")
);
--> statement-breakpoint
ALTER TABLE "engagement"."reference_code_accesses" ADD CONSTRAINT "reference_code_accesses_code_fk" FOREIGN KEY ("store_id","code_id") REFERENCES "engagement"."reference_codes"("store_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "engagement"."reference_code_status_changes" ADD CONSTRAINT "reference_code_status_changes_code_fk" FOREIGN KEY ("store_id","code_id") REFERENCES "engagement"."reference_codes"("store_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "engagement"."reference_code_uses" ADD CONSTRAINT "reference_code_uses_code_fk" FOREIGN KEY ("store_id","code_id") REFERENCES "engagement"."reference_codes"("store_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "reference_code_accesses_code_idx" ON "engagement"."reference_code_accesses" USING btree ("store_id","code_id","accessed_at");--> statement-breakpoint
CREATE INDEX "reference_code_status_changes_code_idx" ON "engagement"."reference_code_status_changes" USING btree ("store_id","code_id","changed_at","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "reference_code_uses_referee_key" ON "engagement"."reference_code_uses" USING btree ("store_id","customer_id") WHERE "engagement"."reference_code_uses"."referral";--> statement-breakpoint
CREATE UNIQUE INDEX "reference_code_uses_order_key" ON "engagement"."reference_code_uses" USING btree ("store_id","code_id","order_id") WHERE "engagement"."reference_code_uses"."order_id" is not null;--> statement-breakpoint
CREATE INDEX "reference_code_uses_code_idx" ON "engagement"."reference_code_uses" USING btree ("store_id","code_id","used_at");--> statement-breakpoint
CREATE INDEX "reference_code_uses_customer_idx" ON "engagement"."reference_code_uses" USING btree ("store_id","customer_id","code_id");--> statement-breakpoint
CREATE UNIQUE INDEX "reference_codes_store_code_key" ON "engagement"."reference_codes" USING btree ("store_id","code_key");--> statement-breakpoint
CREATE INDEX "reference_codes_store_created_idx" ON "engagement"."reference_codes" USING btree ("store_id","created_at","id");--> statement-breakpoint
CREATE INDEX "reference_codes_owner_idx" ON "engagement"."reference_codes" USING btree ("store_id","owner_id","created_at","id") WHERE "engagement"."reference_codes"."owner_id" is not null;