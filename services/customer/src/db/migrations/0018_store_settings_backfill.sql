-- Stores created before their settings were announced (`store.settings_changed`, T1): one event
-- each with the time zone they hold, so that engagement's copy (engagement.store_settings), and a
-- later replay of this outbox, start from them. Engagement's own migration cannot read this
-- schema (a database per subgraph); later creations and changes are announced as they happen.
INSERT INTO "customer"."outbox" ("type", "store_id", "customer_id", "payload")
SELECT 'store.settings_changed', s."id", NULL, jsonb_build_object('timeZone', s."time_zone")
FROM "customer"."stores" s
ORDER BY s."id";
