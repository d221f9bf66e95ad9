import type { ConsentContext } from '../context.ts';

export const legalDocumentReference = {
  LegalDocument: {
    __resolveReference: (reference: { id: string }, ctx: ConsentContext) => ctx.legalDocuments.load(reference.id),
  },
};
