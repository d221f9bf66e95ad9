CREATE SCHEMA IF NOT EXISTS "engagement";
--> statement-breakpoint
CREATE TYPE "engagement"."wallet_entry_kind" AS ENUM('credit', 'debit', 'expiry');--> statement-breakpoint
CREATE TABLE "engagement"."wallet_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "engagement"."wallet_entries_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"store_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"kind" "engagement"."wallet_entry_kind" NOT NULL,
	"amount" bigint NOT NULL,
	"currency" char(3) NOT NULL,
	"reason" text NOT NULL,
	"expires_at" timestamp (3) with time zone,
	"remaining" bigint,
	"expired_credit_id" uuid,
	"created_by" text,
	"notify_customer" boolean DEFAULT false NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "wallet_entries_amount_check" CHECK (("engagement"."wallet_entries"."kind" = 'credit' and "engagement"."wallet_entries"."amount" > 0) or ("engagement"."wallet_entries"."kind" in ('debit', 'expiry') and "engagement"."wallet_entries"."amount" < 0)),
	CONSTRAINT "wallet_entries_remaining_check" CHECK (case when "engagement"."wallet_entries"."kind" = 'credit' then "engagement"."wallet_entries"."remaining" is not null and "engagement"."wallet_entries"."remaining" between 0 and "engagement"."wallet_entries"."amount" else "engagement"."wallet_entries"."remaining" is null end),
	CONSTRAINT "wallet_entries_expires_at_check" CHECK ("engagement"."wallet_entries"."kind" = 'credit' or "engagement"."wallet_entries"."expires_at" is null),
	CONSTRAINT "wallet_entries_expired_credit_check" CHECK (("engagement"."wallet_entries"."kind" = 'expiry') = ("engagement"."wallet_entries"."expired_credit_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "engagement"."wallets" (
	"store_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"currency" char(3) NOT NULL,
	"balance" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "wallets_pkey" PRIMARY KEY("store_id","customer_id"),
	CONSTRAINT "wallets_store_customer_currency_key" UNIQUE("store_id","customer_id","currency"),
	CONSTRAINT "wallets_balance_check" CHECK ("engagement"."wallets"."balance" >= 0)
);
--> statement-breakpoint
ALTER TABLE "engagement"."wallet_entries" ADD CONSTRAINT "wallet_entries_wallet_fk" FOREIGN KEY ("store_id","customer_id","currency") REFERENCES "engagement"."wallets"("store_id","customer_id","currency") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "engagement"."wallet_entries" ADD CONSTRAINT "wallet_entries_expired_credit_fk" FOREIGN KEY ("expired_credit_id") REFERENCES "engagement"."wallet_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "wallet_entries_expired_credit_key" ON "engagement"."wallet_entries" USING btree ("expired_credit_id") WHERE "engagement"."wallet_entries"."expired_credit_id" is not null;--> statement-breakpoint
CREATE INDEX "wallet_entries_customer_idx" ON "engagement"."wallet_entries" USING btree ("store_id","customer_id","created_at","seq");--> statement-breakpoint
CREATE INDEX "wallet_entries_store_idx" ON "engagement"."wallet_entries" USING btree ("store_id","created_at","seq");--> statement-breakpoint
CREATE INDEX "wallet_entries_open_credits_idx" ON "engagement"."wallet_entries" USING btree ("store_id","customer_id","expires_at","seq") WHERE "engagement"."wallet_entries"."kind" = 'credit' and "engagement"."wallet_entries"."remaining" > 0;--> statement-breakpoint
CREATE INDEX "wallet_entries_open_expiry_idx" ON "engagement"."wallet_entries" USING btree ("expires_at") WHERE "engagement"."wallet_entries"."kind" = 'credit' and "engagement"."wallet_entries"."remaining" > 0 and "engagement"."wallet_entries"."expires_at" is not null;