import type { CustomerDataExportRef } from './customer-data-export.type.ts';

/** A reference is its key: the customer subgraph decided the customer exists in the store. */
export const customerDataExportReference = {
  CustomerDataExport: {
    __resolveReference: (reference: { id: string }): CustomerDataExportRef => ({ id: reference.id }),
  },
};
