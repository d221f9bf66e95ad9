import type { CustomerContext } from '../context.ts';

export const customerReference = {
  Customer: {
    __resolveReference: (reference: { id: string }, ctx: CustomerContext) => ctx.customers.load(reference.id),
  },
};
