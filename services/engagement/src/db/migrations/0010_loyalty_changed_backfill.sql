-- Accounts that changed before every change announced itself (`loyalty.changed`): one event each
-- with the figures and tier they hold, so that the customer subgraph's projection, and a later
-- replay of this outbox (`pnpm metrics:rebuild`), start from them. Later changes are announced as
-- they happen.
INSERT INTO "engagement"."outbox" ("type", "store_id", "customer_id", "payload")
SELECT 'loyalty.changed', a."store_id", a."customer_id",
  jsonb_build_object('points', a."points", 'pendingPoints', a."pending_points", 'tier', t."name")
FROM "engagement"."loyalty_accounts" a
LEFT JOIN "engagement"."loyalty_tiers" t ON t."store_id" = a."store_id" AND t."id" = a."tier_id"
ORDER BY a."store_id", a."customer_id";
