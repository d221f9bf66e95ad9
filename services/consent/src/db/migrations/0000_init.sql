CREATE SCHEMA IF NOT EXISTS "consent";
--> statement-breakpoint
CREATE TYPE "consent"."legal_document_category" AS ENUM('legal', 'notification', 'other');--> statement-breakpoint
CREATE TYPE "consent"."legal_document_type" AS ENUM('membership_agreement', 'privacy_notice', 'explicit_consent', 'commercial_communication', 'cookie_policy', 'terms_of_sale', 'other');--> statement-breakpoint
CREATE TYPE "consent"."notification_channel" AS ENUM('email', 'sms', 'push', 'phone');--> statement-breakpoint
CREATE TYPE "consent"."permission_action" AS ENUM('granted', 'revoked');--> statement-breakpoint
CREATE TYPE "consent"."permission_source" AS ENUM('registration', 'checkout', 'admin', 'import');--> statement-breakpoint
CREATE TYPE "consent"."principal_kind" AS ENUM('staff', 'customer');--> statement-breakpoint
CREATE TABLE "consent"."legal_documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"store_id" uuid NOT NULL,
	"key" text NOT NULL,
	"type" "consent"."legal_document_type" NOT NULL,
	"category" "consent"."legal_document_category" NOT NULL,
	"title" text NOT NULL,
	"version" integer NOT NULL,
	"content" text,
	"url" text,
	"effective_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"mandatory" boolean DEFAULT false NOT NULL,
	"published_by" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "legal_documents_store_id_key" UNIQUE("store_id","id"),
	CONSTRAINT "legal_documents_store_id_series_key" UNIQUE("store_id","id","key"),
	CONSTRAINT "legal_documents_store_key_version_key" UNIQUE("store_id","key","version"),
	CONSTRAINT "legal_documents_body_check" CHECK (num_nonnulls("consent"."legal_documents"."content", "consent"."legal_documents"."url") = 1),
	CONSTRAINT "legal_documents_version_check" CHECK ("consent"."legal_documents"."version" >= 1),
	CONSTRAINT "legal_documents_key_check" CHECK ("consent"."legal_documents"."key" ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length("consent"."legal_documents"."key") <= 100),
	CONSTRAINT "legal_documents_title_check" CHECK (length(btrim("consent"."legal_documents"."title")) > 0)
);
--> statement-breakpoint
CREATE TABLE "consent"."permission_records" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "consent"."permission_records_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"store_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"document_id" uuid,
	"document_key" text,
	"channel" "consent"."notification_channel",
	"action" "consent"."permission_action" NOT NULL,
	"source" "consent"."permission_source" NOT NULL,
	"ip" "inet",
	"recorded_by" text NOT NULL,
	"recorded_by_kind" "consent"."principal_kind" NOT NULL,
	"recorded_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "permission_records_store_id_key" UNIQUE("store_id","id"),
	CONSTRAINT "permission_records_subject_check" CHECK (num_nonnulls("consent"."permission_records"."document_id", "consent"."permission_records"."channel") = 1 and ("consent"."permission_records"."document_id" is null) = ("consent"."permission_records"."document_key" is null))
);
--> statement-breakpoint
CREATE TABLE "consent"."permission_states" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"store_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"subject" text NOT NULL,
	"document_key" text,
	"document_id" uuid,
	"document_type" "consent"."legal_document_type",
	"category" "consent"."legal_document_category" NOT NULL,
	"channel" "consent"."notification_channel",
	"status" "consent"."permission_action" NOT NULL,
	"source" "consent"."permission_source" NOT NULL,
	"ip" "inet",
	"recorded_by" text NOT NULL,
	"recorded_by_kind" "consent"."principal_kind" NOT NULL,
	"record_id" uuid NOT NULL,
	"record_seq" bigint NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "permission_states_subject_key" UNIQUE("store_id","customer_id","subject"),
	CONSTRAINT "permission_states_subject_check" CHECK (num_nonnulls("consent"."permission_states"."document_id", "consent"."permission_states"."channel") = 1)
);
--> statement-breakpoint
ALTER TABLE "consent"."permission_records" ADD CONSTRAINT "permission_records_document_fk" FOREIGN KEY ("store_id","document_id","document_key") REFERENCES "consent"."legal_documents"("store_id","id","key") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consent"."permission_states" ADD CONSTRAINT "permission_states_record_fk" FOREIGN KEY ("store_id","record_id") REFERENCES "consent"."permission_records"("store_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consent"."permission_states" ADD CONSTRAINT "permission_states_document_fk" FOREIGN KEY ("store_id","document_id","document_key") REFERENCES "consent"."legal_documents"("store_id","id","key") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "legal_documents_store_created_idx" ON "consent"."legal_documents" USING btree ("store_id","created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "permission_records_seq_key" ON "consent"."permission_records" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "permission_records_customer_idx" ON "consent"."permission_records" USING btree ("store_id","customer_id","recorded_at","seq");--> statement-breakpoint
CREATE INDEX "permission_states_customer_idx" ON "consent"."permission_states" USING btree ("store_id","customer_id","updated_at","record_seq");