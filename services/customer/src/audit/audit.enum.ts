// Its values are also the database's enum type (db/schema/), in this order; audit.type.ts registers
// it for GraphQL.

export enum AuditActorKind {
  STAFF = 'staff',
  CUSTOMER = 'customer',
}
