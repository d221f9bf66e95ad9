import type { CommerceHistoryContext } from '../context.ts';

export const campaignReference = {
  Campaign: {
    __resolveReference: (reference: { id: string }, ctx: CommerceHistoryContext) => ctx.campaigns.load(reference.id),
  },
};
