CREATE TABLE "commerce_history"."payment_status_changes" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"store_id" uuid NOT NULL,
	"payment_id" uuid NOT NULL,
	"from_status" "commerce_history"."payment_status",
	"to_status" "commerce_history"."payment_status" NOT NULL,
	"changed_by" text,
	"ip" "inet",
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payment_status_changes_pkey" PRIMARY KEY("store_id","id")
);
--> statement-breakpoint
ALTER TABLE "commerce_history"."order_requests" ADD COLUMN "ip" "inet";--> statement-breakpoint
ALTER TABLE "commerce_history"."payment_status_changes" ADD CONSTRAINT "payment_status_changes_payment_fk" FOREIGN KEY ("store_id","payment_id") REFERENCES "commerce_history"."payments"("store_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "payment_status_changes_payment_idx" ON "commerce_history"."payment_status_changes" USING btree ("payment_id","created_at","id");--> statement-breakpoint
-- Payments recorded before this history start with the status they have now, as of their payment time.
INSERT INTO "commerce_history"."payment_status_changes" ("store_id", "payment_id", "from_status", "to_status", "created_at")
SELECT "store_id", "id", NULL, "status", "created_at" FROM "commerce_history"."payments";
