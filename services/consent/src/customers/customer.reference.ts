/** No lookup: the customer subgraph owns the row; permissions are read by the customer's id. */
export const customerReference = {
  Customer: {
    __resolveReference: (reference: { id: string }) => ({ id: reference.id }),
  },
};
