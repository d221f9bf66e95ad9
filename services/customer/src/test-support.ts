/** Helpers the customer subgraph's tests share: customers and orders made through the gateway. */
import type { TestStore } from '@cg/testing';

export async function createCustomer(store: TestStore, input: Record<string, unknown>): Promise<string> {
  const { createCustomer } = await store.data<{ createCustomer: { id: string } }>(
    `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`,
    { input },
  );
  return createCustomer.id;
}

let orders = 0;

/**
 * Records an order of `quantity` × `unitPrice` for a customer (O1) through the gateway; the
 * metrics projection catches up asynchronously (wait with `eventually`).
 */
export async function recordOrder(
  store: TestStore,
  customerId: string,
  options: { unitPrice: number; quantity?: number; currency?: string } & Record<string, unknown>,
): Promise<string> {
  orders += 1;
  const { unitPrice, quantity = 1, currency = 'EUR', ...extra } = options;
  const { recordOrder } = await store.data<{ recordOrder: { id: string } }>(
    `mutation($input: RecordOrderInput!) { recordOrder(input: $input) { id } }`,
    {
      input: {
        number: `TST${String(orders).padStart(7, '0')}`,
        customerId,
        channel: 'WEB',
        currency,
        items: [{ productId: 'p', name: 'Product', quantity, unitPrice }],
        ...extra,
      },
    },
  );
  return recordOrder.id;
}

export const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

/** O4: a return request of `units` (the rest of the order when null), approved and completed. */
export async function completeReturn(store: TestStore, orderId: string, units: number | null): Promise<void> {
  const { createOrderRequest } = await store.data<{ createOrderRequest: { id: string } }>(
    `mutation($orderId: ID!, $units: Int) { createOrderRequest(orderId: $orderId, type: RETURN, units: $units) { id } }`,
    { orderId, units },
  );
  for (const status of ['APPROVED', 'COMPLETED']) {
    await store.data(
      `mutation($id: ID!, $status: OrderRequestStatus!) { updateOrderRequestStatus(id: $id, status: $status) { id } }`,
      {
        id: createOrderRequest.id,
        status,
      },
    );
  }
}

/** O4: the buyer's feedback on an order, rated 1–5. */
export async function recordFeedback(
  store: TestStore,
  orderId: string,
  rating: number,
  comment?: string,
): Promise<void> {
  await store.data(`mutation($input: RecordOrderFeedbackInput!) { recordOrderFeedback(input: $input) { id } }`, {
    input: { orderId, rating, comment },
  });
}
