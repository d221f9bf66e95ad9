// Its values are also the database's enum type (db/schema.ts), in this order; wallet.type.ts
// registers it for GraphQL.

export enum WalletEntryKind {
  CREDIT = 'credit',
  DEBIT = 'debit',
  /** The unspent rest of a credit whose expiry date passed. */
  EXPIRY = 'expiry',
}
