CREATE TYPE "customer"."lawful_basis" AS ENUM('consent', 'contract');--> statement-breakpoint
CREATE TYPE "customer"."message_channel" AS ENUM('email', 'sms');--> statement-breakpoint
CREATE TYPE "customer"."message_purpose" AS ENUM('marketing', 'transactional');--> statement-breakpoint
CREATE TYPE "customer"."message_status" AS ENUM('queued', 'sent', 'failed');--> statement-breakpoint
ALTER TYPE "customer"."timeline_kind" ADD VALUE 'message';--> statement-breakpoint
CREATE TABLE "customer"."channel_consents" (
	"store_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"granted" boolean NOT NULL,
	"seq" bigint NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "channel_consents_pkey" PRIMARY KEY("store_id","customer_id","channel")
);
--> statement-breakpoint
CREATE TABLE "customer"."mailbox" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"store_id" uuid NOT NULL,
	"message_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"channel" "customer"."message_channel" NOT NULL,
	"address" text NOT NULL,
	"subject" text,
	"body" text NOT NULL,
	"delivered_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mailbox_pkey" PRIMARY KEY("store_id","id")
);
--> statement-breakpoint
CREATE TABLE "customer"."message_suppressions" (
	"store_id" uuid NOT NULL,
	"address" text NOT NULL,
	"reason" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "message_suppressions_pkey" PRIMARY KEY("store_id","address")
);
--> statement-breakpoint
CREATE TABLE "customer"."messages" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"store_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"channel" "customer"."message_channel" NOT NULL,
	"purpose" "customer"."message_purpose" NOT NULL,
	"lawful_basis" "customer"."lawful_basis" NOT NULL,
	"address" text NOT NULL,
	"subject" text,
	"body" text NOT NULL,
	"status" "customer"."message_status" DEFAULT 'queued' NOT NULL,
	"failure" text,
	"sent_by" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp (3) with time zone,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "messages_pkey" PRIMARY KEY("store_id","id"),
	CONSTRAINT "messages_basis_check" CHECK (("customer"."messages"."purpose" = 'marketing') = ("customer"."messages"."lawful_basis" = 'consent'))
);
--> statement-breakpoint
ALTER TABLE "customer"."channel_consents" ADD CONSTRAINT "channel_consents_customer_fk" FOREIGN KEY ("store_id","customer_id") REFERENCES "customer"."customers"("store_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer"."messages" ADD CONSTRAINT "messages_customer_fk" FOREIGN KEY ("store_id","customer_id") REFERENCES "customer"."customers"("store_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "mailbox_store_delivered_idx" ON "customer"."mailbox" USING btree ("store_id","delivered_at","id");--> statement-breakpoint
CREATE INDEX "messages_customer_idx" ON "customer"."messages" USING btree ("store_id","customer_id","created_at","id");