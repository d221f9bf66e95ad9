ALTER TYPE "customer"."timeline_kind" ADD VALUE 'return';--> statement-breakpoint
ALTER TYPE "customer"."timeline_kind" ADD VALUE 'feedback';--> statement-breakpoint
ALTER TABLE "customer"."customer_metrics" DROP CONSTRAINT "customer_metrics_counts_check";--> statement-breakpoint
ALTER TABLE "customer"."customer_metrics" ADD COLUMN "negative_feedback" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "customer_metrics_negative_feedback_idx" ON "customer"."customer_metrics" USING btree ("store_id","negative_feedback","customer_id");--> statement-breakpoint
ALTER TABLE "customer"."customer_metrics" ADD CONSTRAINT "customer_metrics_counts_check" CHECK ("customer"."customer_metrics"."order_count" >= 0 and "customer"."customer_metrics"."units" >= 0 and "customer"."customer_metrics"."returned_units" >= 0 and "customer"."customer_metrics"."negative_feedback" >= 0 and "customer"."customer_metrics"."wallet_balance" >= 0);