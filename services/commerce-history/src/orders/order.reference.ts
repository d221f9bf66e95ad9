import type { CommerceHistoryContext } from '../context.ts';

export const orderReference = {
  Order: {
    __resolveReference: (reference: { id: string }, ctx: CommerceHistoryContext) => ctx.orders.load(reference.id),
  },
};
