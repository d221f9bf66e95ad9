CREATE TABLE "consent"."applied_events" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"applied_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- C19: permission records stay append-only, except that erasing a customer may clear a record's
-- IP address: the record remains the proof of what was consented to, when and how, without it.
CREATE FUNCTION "consent"."permission_records_append_only"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.ip IS NULL AND (to_jsonb(NEW) - 'ip') = (to_jsonb(OLD) - 'ip') THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '%.% is append-only: % is not allowed', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'restrict_violation', TABLE = TG_TABLE_NAME, SCHEMA = TG_TABLE_SCHEMA;
END;
$$;
--> statement-breakpoint
DROP TRIGGER "permission_records_append_only" ON "consent"."permission_records";
--> statement-breakpoint
CREATE TRIGGER "permission_records_append_only"
  BEFORE UPDATE OR DELETE ON "consent"."permission_records"
  FOR EACH ROW EXECUTE FUNCTION "consent"."permission_records_append_only"();
