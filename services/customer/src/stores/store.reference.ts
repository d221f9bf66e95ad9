import type { CustomerContext } from '../context.ts';

export const storeReference = {
  Store: {
    __resolveReference: (reference: { id: string }, ctx: CustomerContext) => ctx.stores.load(reference.id),
  },
};
