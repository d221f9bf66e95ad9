import type { EngagementContext } from '../context.ts';

/** Other subgraphs name a code by id; batched with every other code of the request. */
export const referenceCodeReference = {
  ReferenceCode: {
    __resolveReference: (reference: { id: string }, ctx: EngagementContext) => ctx.referenceCodes.load(reference.id),
  },
};
