import type { CommerceHistoryContext } from '../context.ts';

export const paymentReference = {
  Payment: {
    __resolveReference: (reference: { id: string }, ctx: CommerceHistoryContext) => ctx.payments.load(reference.id),
  },
};
