-- Custom SQL migration file, put your code below! --
-- P1/P2: published document versions and permission records are append-only.
CREATE FUNCTION "consent"."reject_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%.% is append-only: % is not allowed', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'restrict_violation', TABLE = TG_TABLE_NAME, SCHEMA = TG_TABLE_SCHEMA;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "legal_documents_append_only"
  BEFORE UPDATE OR DELETE ON "consent"."legal_documents"
  FOR EACH ROW EXECUTE FUNCTION "consent"."reject_change"();
--> statement-breakpoint
CREATE TRIGGER "permission_records_append_only"
  BEFORE UPDATE OR DELETE ON "consent"."permission_records"
  FOR EACH ROW EXECUTE FUNCTION "consent"."reject_change"();
--> statement-breakpoint
-- P2: the current state per (customer, subject) is derived from the records in the statement that
-- inserts them. The subject of a document is its series key, so a grant of version 2 supersedes
-- version 1. "Latest" is the greatest (recorded_at, seq), the order every reader uses; concurrent
-- inserts for one subject meet at the unique key and the later record wins whichever commits last.
CREATE FUNCTION "consent"."apply_permission_record"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  document_type "consent"."legal_document_type";
  document_category "consent"."legal_document_category";
BEGIN
  IF NEW.document_id IS NOT NULL THEN
    SELECT d.type, d.category INTO document_type, document_category
    FROM "consent"."legal_documents" d
    WHERE d.store_id = NEW.store_id AND d.id = NEW.document_id;
  END IF;
  INSERT INTO "consent"."permission_states" AS s (
    store_id, customer_id, subject, document_key, document_id, document_type, category, channel,
    status, source, ip, recorded_by, recorded_by_kind, record_id, record_seq, updated_at
  ) VALUES (
    NEW.store_id,
    NEW.customer_id,
    CASE WHEN NEW.channel IS NOT NULL THEN 'channel:' || NEW.channel::text ELSE 'document:' || NEW.document_key END,
    NEW.document_key,
    NEW.document_id,
    document_type,
    COALESCE(document_category, 'notification'),
    NEW.channel,
    NEW.action,
    NEW.source,
    NEW.ip,
    NEW.recorded_by,
    NEW.recorded_by_kind,
    NEW.id,
    NEW.seq,
    NEW.recorded_at
  )
  ON CONFLICT (store_id, customer_id, subject) DO UPDATE SET
    document_id = EXCLUDED.document_id,
    document_type = EXCLUDED.document_type,
    category = EXCLUDED.category,
    status = EXCLUDED.status,
    source = EXCLUDED.source,
    ip = EXCLUDED.ip,
    recorded_by = EXCLUDED.recorded_by,
    recorded_by_kind = EXCLUDED.recorded_by_kind,
    record_id = EXCLUDED.record_id,
    record_seq = EXCLUDED.record_seq,
    updated_at = EXCLUDED.updated_at
  WHERE (s.updated_at, s.record_seq) < (EXCLUDED.updated_at, EXCLUDED.record_seq);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "permission_records_apply"
  AFTER INSERT ON "consent"."permission_records"
  FOR EACH ROW EXECUTE FUNCTION "consent"."apply_permission_record"();
