import type { CustomerRef } from './customer.type.ts';

/**
 * The customer subgraph decides which customers exist and who may see them; here a reference is
 * only its key, so resolving it costs no statement. Every field below it is store-scoped.
 */
export const customerReference = {
  Customer: {
    __resolveReference: (reference: { id: string }): CustomerRef => ({ id: reference.id }),
  },
};
