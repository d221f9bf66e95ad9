CREATE TABLE "engagement"."store_settings" (
	"store_id" uuid PRIMARY KEY NOT NULL,
	"time_zone" text NOT NULL,
	"event_seq" bigint NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL
);
