import type { CustomerRef } from './customer.type.ts';

/**
 * No lookup: this subgraph holds no customer rows. A customer of another store still resolves,
 * but every field under it is scoped to the caller's store and so comes back empty.
 */
export const customerReference = {
  Customer: {
    __resolveReference: (reference: { id: string }): CustomerRef => ({ id: reference.id }),
  },
};
