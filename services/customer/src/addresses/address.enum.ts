// Its values are also the database's enum type (db/schema/), in this order; address.type.ts
// registers it for GraphQL.

export enum AddressKind {
  DELIVERY = 'delivery',
  CORPORATE_INVOICE = 'corporate_invoice',
  INDIVIDUAL_INVOICE = 'individual_invoice',
}
