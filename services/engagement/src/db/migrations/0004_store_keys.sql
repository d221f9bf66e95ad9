-- Every key starts with the store. The foreign keys that point at a composite key about to be
-- dropped (it becomes the primary key) go first and come back after it.
ALTER TABLE "engagement"."wallet_entries" DROP CONSTRAINT "wallet_entries_expired_credit_fk";--> statement-breakpoint
ALTER TABLE "engagement"."wallet_entries" DROP CONSTRAINT "wallet_entries_pkey";--> statement-breakpoint
ALTER TABLE "engagement"."wallet_entries" ADD CONSTRAINT "wallet_entries_pkey" PRIMARY KEY("store_id","id");--> statement-breakpoint
ALTER TABLE "engagement"."wallet_entries" ADD CONSTRAINT "wallet_entries_expired_credit_fk" FOREIGN KEY ("store_id","expired_credit_id") REFERENCES "engagement"."wallet_entries"("store_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
DROP INDEX "engagement"."wallet_entries_expired_credit_key";--> statement-breakpoint
CREATE UNIQUE INDEX "wallet_entries_expired_credit_key" ON "engagement"."wallet_entries" USING btree ("store_id","expired_credit_id") WHERE "engagement"."wallet_entries"."expired_credit_id" is not null;--> statement-breakpoint
ALTER TABLE "engagement"."outbox" DROP CONSTRAINT "outbox_id_unique";--> statement-breakpoint
ALTER TABLE "engagement"."outbox" DROP CONSTRAINT "outbox_pkey";--> statement-breakpoint
ALTER TABLE "engagement"."outbox" ADD CONSTRAINT "outbox_pkey" PRIMARY KEY("store_id","seq");--> statement-breakpoint
ALTER TABLE "engagement"."outbox" ADD CONSTRAINT "outbox_store_id_key" UNIQUE("store_id","id");--> statement-breakpoint
CREATE INDEX "outbox_seq_idx" ON "engagement"."outbox" USING btree ("seq");
