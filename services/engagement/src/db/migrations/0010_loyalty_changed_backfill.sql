-- Accounts that changed before every change announced itself (`loyalty.changed`): one event each
-- with the figures they hold, so that the customer subgraph's projection, and a later replay of
-- this outbox (`pnpm metrics:rebuild`), start from them. Later changes are announced as they happen.
INSERT INTO "engagement"."outbox" ("type", "store_id", "customer_id", "payload")
SELECT 'loyalty.changed', "store_id", "customer_id", jsonb_build_object('points', "points", 'pendingPoints', "pending_points")
FROM "engagement"."loyalty_accounts"
ORDER BY "store_id", "customer_id";
