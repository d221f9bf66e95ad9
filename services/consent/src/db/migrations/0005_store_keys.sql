-- Every key starts with the store. The foreign keys that point at a composite key about to be
-- dropped (it becomes the primary key) go first and come back after it.
ALTER TABLE "consent"."permission_states" DROP CONSTRAINT "permission_states_record_fk";--> statement-breakpoint
ALTER TABLE "consent"."permission_records" DROP CONSTRAINT "permission_records_store_id_key";--> statement-breakpoint
ALTER TABLE "consent"."permission_records" DROP CONSTRAINT "permission_records_pkey";--> statement-breakpoint
ALTER TABLE "consent"."permission_records" ADD CONSTRAINT "permission_records_pkey" PRIMARY KEY("store_id","id");--> statement-breakpoint
ALTER TABLE "consent"."permission_states" ADD CONSTRAINT "permission_states_record_fk" FOREIGN KEY ("store_id","record_id") REFERENCES "consent"."permission_records"("store_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consent"."legal_documents" DROP CONSTRAINT "legal_documents_store_id_key";--> statement-breakpoint
ALTER TABLE "consent"."legal_documents" DROP CONSTRAINT "legal_documents_pkey";--> statement-breakpoint
ALTER TABLE "consent"."legal_documents" ADD CONSTRAINT "legal_documents_pkey" PRIMARY KEY("store_id","id");--> statement-breakpoint
ALTER TABLE "consent"."permission_states" DROP CONSTRAINT "permission_states_pkey";--> statement-breakpoint
ALTER TABLE "consent"."permission_states" ADD CONSTRAINT "permission_states_pkey" PRIMARY KEY("store_id","id");--> statement-breakpoint
DROP INDEX "consent"."permission_records_seq_key";--> statement-breakpoint
CREATE UNIQUE INDEX "permission_records_seq_key" ON "consent"."permission_records" USING btree ("store_id","seq");--> statement-breakpoint
ALTER TABLE "consent"."outbox" DROP CONSTRAINT "outbox_id_unique";--> statement-breakpoint
ALTER TABLE "consent"."outbox" DROP CONSTRAINT "outbox_pkey";--> statement-breakpoint
ALTER TABLE "consent"."outbox" ADD CONSTRAINT "outbox_pkey" PRIMARY KEY("store_id","seq");--> statement-breakpoint
ALTER TABLE "consent"."outbox" ADD CONSTRAINT "outbox_store_id_key" UNIQUE("store_id","id");--> statement-breakpoint
CREATE INDEX "outbox_seq_idx" ON "consent"."outbox" USING btree ("seq");
