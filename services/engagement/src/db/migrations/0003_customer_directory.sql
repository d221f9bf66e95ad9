CREATE TABLE "engagement"."applied_events" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"applied_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "engagement"."customer_directory" (
	"store_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"status" text NOT NULL,
	"currency" char(3),
	"erased_at" timestamp (3) with time zone,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customer_directory_pkey" PRIMARY KEY("store_id","customer_id")
);
