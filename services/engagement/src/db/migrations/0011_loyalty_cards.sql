CREATE TYPE "engagement"."loyalty_card_status" AS ENUM('active', 'blocked', 'replaced');--> statement-breakpoint
CREATE TABLE "engagement"."loyalty_card_types" (
	"store_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"sponsorship_group" text,
	"customer_type" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "loyalty_card_types_pkey" PRIMARY KEY("store_id","id")
);
--> statement-breakpoint
CREATE TABLE "engagement"."loyalty_cards" (
	"store_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"customer_id" uuid NOT NULL,
	"card_type_id" uuid NOT NULL,
	"barcode" text NOT NULL,
	"vip_points" integer DEFAULT 0 NOT NULL,
	"status" "engagement"."loyalty_card_status" DEFAULT 'active' NOT NULL,
	"replaced_by_id" uuid,
	"created_by" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "loyalty_cards_pkey" PRIMARY KEY("store_id","id"),
	CONSTRAINT "loyalty_cards_vip_points_check" CHECK ("engagement"."loyalty_cards"."vip_points" >= 0),
	CONSTRAINT "loyalty_cards_replaced_check" CHECK (("engagement"."loyalty_cards"."status" = 'replaced') = ("engagement"."loyalty_cards"."replaced_by_id" is not null))
);
--> statement-breakpoint
ALTER TABLE "engagement"."loyalty_cards" ADD CONSTRAINT "loyalty_cards_card_type_fk" FOREIGN KEY ("store_id","card_type_id") REFERENCES "engagement"."loyalty_card_types"("store_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "engagement"."loyalty_cards" ADD CONSTRAINT "loyalty_cards_replaced_by_fk" FOREIGN KEY ("store_id","replaced_by_id") REFERENCES "engagement"."loyalty_cards"("store_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "loyalty_card_types_store_name_key" ON "engagement"."loyalty_card_types" USING btree ("store_id",lower("name"));--> statement-breakpoint
CREATE INDEX "loyalty_card_types_list_idx" ON "engagement"."loyalty_card_types" USING btree ("store_id","created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "loyalty_cards_store_barcode_key" ON "engagement"."loyalty_cards" USING btree ("store_id","barcode");--> statement-breakpoint
CREATE INDEX "loyalty_cards_customer_idx" ON "engagement"."loyalty_cards" USING btree ("store_id","customer_id","created_at","id");--> statement-breakpoint
CREATE INDEX "loyalty_cards_card_type_idx" ON "engagement"."loyalty_cards" USING btree ("store_id","card_type_id");