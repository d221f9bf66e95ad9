ALTER TABLE "customer"."customer_metrics" ADD COLUMN "loyalty_tier" text;--> statement-breakpoint
CREATE INDEX "customer_metrics_loyalty_tier_idx" ON "customer"."customer_metrics" USING btree ("store_id","loyalty_tier","loyalty_points","customer_id");--> statement-breakpoint
-- TIER stood in for loyalty tiers with the VIP card; its stored rules become VIP_CARD rules, which keep that meaning.
UPDATE "customer"."segments" SET "rules" = (
  SELECT jsonb_agg(CASE WHEN "rule"->>'kind' = 'tier' THEN jsonb_set("rule", '{kind}', '"vipCard"') ELSE "rule" END ORDER BY "position")
  FROM jsonb_array_elements("rules") WITH ORDINALITY AS "stored"("rule", "position")
) WHERE "rules" @> '[{"kind": "tier"}]';
