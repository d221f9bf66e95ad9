// Their values are also the database's enum types (db/schema/), in this order; customer.type.ts
// registers them for GraphQL.

export enum CustomerStatus {
  ACTIVE = 'active',
  /** Shown as "passive" in some back offices. */
  INACTIVE = 'inactive',
  BLOCKED = 'blocked',
}

export enum Gender {
  MALE = 'male',
  FEMALE = 'female',
  OTHER = 'other',
  UNDISCLOSED = 'undisclosed',
}
