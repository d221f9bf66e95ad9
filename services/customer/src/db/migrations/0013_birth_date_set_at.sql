ALTER TABLE "customer"."customers" ADD COLUMN "birth_date_set_at" timestamp (3) with time zone;--> statement-breakpoint
CREATE INDEX "customers_store_birthday_idx" ON "customer"."customers" USING btree ("store_id",extract(month from "birth_date"),extract(day from "birth_date")) WHERE "customer"."customers"."birth_date" is not null;--> statement-breakpoint
-- When the birth date was set or last changed, whatever writes it (a request, an import, an
-- identity merge, erasure): a birthday within 30 days of that waits until the next year. An
-- insert may bring its own time (an import that knows it); otherwise it is now.
CREATE OR REPLACE FUNCTION "customer"."customers_birth_date_set_at"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.birth_date IS NULL THEN
      NEW.birth_date_set_at := NULL;
    ELSIF NEW.birth_date_set_at IS NULL THEN
      NEW.birth_date_set_at := now();
    END IF;
  ELSIF NEW.birth_date IS DISTINCT FROM OLD.birth_date THEN
    NEW.birth_date_set_at := CASE WHEN NEW.birth_date IS NULL THEN NULL ELSE now() END;
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "customers_birth_date_set_at"
  BEFORE INSERT OR UPDATE OF birth_date ON "customer"."customers"
  FOR EACH ROW EXECUTE FUNCTION "customer"."customers_birth_date_set_at"();
