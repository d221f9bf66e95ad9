CREATE TABLE "engagement"."reference_code_activity" (
	"store_id" uuid NOT NULL,
	"code_id" uuid NOT NULL,
	"bucket" timestamp (3) with time zone NOT NULL,
	"uses" integer DEFAULT 0 NOT NULL,
	"referrals" integer DEFAULT 0 NOT NULL,
	"accesses" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "reference_code_activity_pkey" PRIMARY KEY("store_id","code_id","bucket"),
	CONSTRAINT "reference_code_activity_counts_check" CHECK ("engagement"."reference_code_activity"."uses" >= 0 and "engagement"."reference_code_activity"."referrals" >= 0 and "engagement"."reference_code_activity"."accesses" >= 0 and "engagement"."reference_code_activity"."referrals" <= "engagement"."reference_code_activity"."uses")
);
--> statement-breakpoint
ALTER TABLE "engagement"."reference_code_activity" ADD CONSTRAINT "reference_code_activity_code_fk" FOREIGN KEY ("store_id","code_id") REFERENCES "engagement"."reference_codes"("store_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- E10: the triggers keep the quarter-hour buckets in step with every insert, move and delete of a
-- use or an access, whatever writes it (requests, demo and bench data, tests). They run as the
-- tables' owner, so a customer token's use counts without write rights on the buckets.
CREATE FUNCTION "engagement"."reference_code_uses_activity"() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF tg_op IN ('UPDATE', 'DELETE') THEN
    UPDATE engagement.reference_code_activity a
      SET uses = a.uses - 1, referrals = a.referrals - old.referral::int
      WHERE a.store_id = old.store_id AND a.code_id = old.code_id
        AND a.bucket = date_bin('15 minutes', old.used_at, timestamptz '1970-01-01 00:00:00+00');
  END IF;
  IF tg_op IN ('INSERT', 'UPDATE') THEN
    INSERT INTO engagement.reference_code_activity AS a (store_id, code_id, bucket, uses, referrals)
      VALUES (new.store_id, new.code_id, date_bin('15 minutes', new.used_at, timestamptz '1970-01-01 00:00:00+00'), 1,
        new.referral::int)
      ON CONFLICT (store_id, code_id, bucket) DO UPDATE
        SET uses = a.uses + 1, referrals = a.referrals + excluded.referrals;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION "engagement"."reference_code_accesses_activity"() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF tg_op IN ('UPDATE', 'DELETE') THEN
    UPDATE engagement.reference_code_activity a SET accesses = a.accesses - 1
      WHERE a.store_id = old.store_id AND a.code_id = old.code_id
        AND a.bucket = date_bin('15 minutes', old.accessed_at, timestamptz '1970-01-01 00:00:00+00');
  END IF;
  IF tg_op IN ('INSERT', 'UPDATE') THEN
    INSERT INTO engagement.reference_code_activity AS a (store_id, code_id, bucket, accesses)
      VALUES (new.store_id, new.code_id, date_bin('15 minutes', new.accessed_at, timestamptz '1970-01-01 00:00:00+00'), 1)
      ON CONFLICT (store_id, code_id, bucket) DO UPDATE SET accesses = a.accesses + 1;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION "engagement"."reference_code_uses_activity"() FROM PUBLIC;
--> statement-breakpoint
REVOKE ALL ON FUNCTION "engagement"."reference_code_accesses_activity"() FROM PUBLIC;
--> statement-breakpoint
CREATE TRIGGER "reference_code_uses_activity" AFTER INSERT OR DELETE OR UPDATE OF "store_id", "code_id", "used_at", "referral"
  ON "engagement"."reference_code_uses" FOR EACH ROW EXECUTE FUNCTION "engagement"."reference_code_uses_activity"();
--> statement-breakpoint
CREATE TRIGGER "reference_code_accesses_activity" AFTER INSERT OR DELETE OR UPDATE OF "store_id", "code_id", "accessed_at"
  ON "engagement"."reference_code_accesses" FOR EACH ROW EXECUTE FUNCTION "engagement"."reference_code_accesses_activity"();
--> statement-breakpoint
-- Codes used before the buckets existed.
INSERT INTO "engagement"."reference_code_activity" (store_id, code_id, bucket, uses, referrals, accesses)
SELECT store_id, code_id, bucket, sum(uses)::int, sum(referrals)::int, sum(accesses)::int FROM (
  SELECT store_id, code_id, date_bin('15 minutes', used_at, timestamptz '1970-01-01 00:00:00+00') AS bucket, 1 AS uses,
    referral::int AS referrals, 0 AS accesses
  FROM "engagement"."reference_code_uses"
  UNION ALL
  SELECT store_id, code_id, date_bin('15 minutes', accessed_at, timestamptz '1970-01-01 00:00:00+00'), 0, 0, 1
  FROM "engagement"."reference_code_accesses"
) activity
GROUP BY store_id, code_id, bucket;
