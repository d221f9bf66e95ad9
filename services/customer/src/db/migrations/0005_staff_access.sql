CREATE TABLE "customer"."access_grants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"store_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"actions" text[] NOT NULL,
	"granted_by" text NOT NULL,
	"granted_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"revoked_by" text,
	"revoked_at" timestamp (3) with time zone,
	CONSTRAINT "access_grants_actions_check" CHECK (cardinality("customer"."access_grants"."actions") > 0 and "customer"."access_grants"."actions" <@ array['CUSTOMERS_READ','CUSTOMERS_EDIT','PERSONAL_DATA_READ','CUSTOMERS_EXPORT','CUSTOMERS_ERASE','CUSTOMERS_BLOCK','ORDERS_MANAGE','WALLET_ADJUST','LOYALTY_ADJUST','CONSENTS_MANAGE','REFERENCE_CODES_MANAGE','CAMPAIGNS_MANAGE','AUDIT_READ','ACCESS_MANAGE']::text[]),
	CONSTRAINT "access_grants_revoked_check" CHECK (("customer"."access_grants"."revoked_at" is null) = ("customer"."access_grants"."revoked_by" is null))
);
--> statement-breakpoint
CREATE TABLE "customer"."staff_members" (
	"store_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"role" text NOT NULL,
	"custom_role_id" uuid,
	"updated_by" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "staff_members_pkey" PRIMARY KEY("store_id","user_id"),
	CONSTRAINT "staff_members_role_check" CHECK ("customer"."staff_members"."role" in ('OWNER', 'MANAGER', 'VIEWER', 'CUSTOM')),
	CONSTRAINT "staff_members_custom_role_check" CHECK (("customer"."staff_members"."role" = 'CUSTOM') = ("customer"."staff_members"."custom_role_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "customer"."staff_roles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"store_id" uuid NOT NULL,
	"name" text NOT NULL,
	"actions" text[] NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "staff_roles_store_id_key" UNIQUE("store_id","id"),
	CONSTRAINT "staff_roles_actions_check" CHECK ("customer"."staff_roles"."actions" <@ array['CUSTOMERS_READ','CUSTOMERS_EDIT','PERSONAL_DATA_READ','CUSTOMERS_EXPORT','CUSTOMERS_ERASE','CUSTOMERS_BLOCK','ORDERS_MANAGE','WALLET_ADJUST','LOYALTY_ADJUST','CONSENTS_MANAGE','REFERENCE_CODES_MANAGE','CAMPAIGNS_MANAGE','AUDIT_READ','ACCESS_MANAGE']::text[])
);
--> statement-breakpoint
ALTER TABLE "customer"."access_grants" ADD CONSTRAINT "access_grants_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "customer"."stores"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer"."staff_members" ADD CONSTRAINT "staff_members_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "customer"."stores"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer"."staff_members" ADD CONSTRAINT "staff_members_role_fk" FOREIGN KEY ("store_id","custom_role_id") REFERENCES "customer"."staff_roles"("store_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer"."staff_roles" ADD CONSTRAINT "staff_roles_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "customer"."stores"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "access_grants_active_key" ON "customer"."access_grants" USING btree ("store_id","user_id") WHERE "customer"."access_grants"."revoked_at" is null;--> statement-breakpoint
CREATE INDEX "access_grants_store_idx" ON "customer"."access_grants" USING btree ("store_id","granted_at","id");--> statement-breakpoint
CREATE INDEX "staff_members_role_idx" ON "customer"."staff_members" USING btree ("store_id","custom_role_id");--> statement-breakpoint
CREATE UNIQUE INDEX "staff_roles_store_name_key" ON "customer"."staff_roles" USING btree ("store_id",lower("name"));