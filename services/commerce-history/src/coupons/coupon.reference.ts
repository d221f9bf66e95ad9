import type { CommerceHistoryContext } from '../context.ts';

export const couponReference = {
  Coupon: {
    __resolveReference: (reference: { id: string }, ctx: CommerceHistoryContext) => ctx.coupons.load(reference.id),
  },
};
