import { expect } from 'vitest';
import type { TestStore } from './graph.ts';

/** The ids of the records `seedIsolatedStore` made in a store, one in each subgraph at least. */
export interface IsolatedRecords {
  customer: string;
  order: string;
  address: string;
  document: string;
  payment: string;
}

/** A store's customer with what each subgraph keeps of them, for the isolation checks below. */
const SNAPSHOT = /* GraphQL */ `
  query Snapshot($customer: ID!) {
    customer(id: $customer) {
      firstName
      addresses {
        edges {
          node {
            id
            line1
            isDefault
          }
        }
      }
      orders {
        edges {
          node {
            id
            status
            payments {
              id
              status
            }
          }
        }
      }
      wallet {
        balance {
          amount
          currency
        }
        entries {
          totalCount
        }
      }
      permissions {
        edges {
          node {
            type
            status
          }
        }
      }
    }
  }
`;

/**
 * Makes, through `a`'s requests, a customer of store A (currency EUR) with an order (number
 * AAAA000001, 500) and its payment, an address, a wallet credit of 700, a legal document and a
 * consent to it: something in every subgraph for another store to reach for.
 */
export async function seedIsolatedStore(a: TestStore): Promise<IsolatedRecords> {
  const customer = (await a.createCustomer({ firstName: 'Alice', lastName: 'A', email: 'alice@a.example' })).id;
  const order = (await a.recordOrder({ number: 'AAAA000001', customerId: customer, unitPrice: 500 })).id;
  const data = await a.data(
    `mutation($c: ID!) {
      addAddress(customerId: $c, input: { kind: DELIVERY, recipient: "Alice", line1: "1 A St", city: "A", country: "NL" }) { id }
      adjustWallet(input: { customerId: $c, amount: 700, currency: "EUR", reason: "Gift" }) { entry { id } }
      publishLegalDocument(input: { key: "terms", type: MEMBERSHIP_AGREEMENT, title: "Terms", content: "..." }) { id }
    }`,
    { c: customer },
  );
  const paid = await a.data(
    `mutation($o: ID!, $c: ID!, $d: ID!) {
      recordPayment(input: { orderId: $o, transactionCode: "TX-A-1", method: CASH, amount: 500, currency: "EUR" }) { id }
      grantPermission(input: { customerId: $c, documentId: $d, source: REGISTRATION }) { id }
    }`,
    { o: order, c: customer, d: data.publishLegalDocument.id },
  );
  return {
    customer,
    order,
    address: data.addAddress.id,
    document: data.publishLegalDocument.id,
    payment: paid.recordPayment.id,
  };
}

/** Store B (`b`, named "Store B") reads nothing of store A's `records` from any root query. */
export async function expectNothingReadable(b: TestStore, records: IsolatedRecords): Promise<void> {
  const data = await b.data(
    `query($c: ID!, $o: ID!, $p: ID!, $d: ID!) {
      customer(id: $c) { id }
      customers { totalCount edges { node { id } } }
      order(id: $o) { id }
      orderByNumber(number: "AAAA000001") { id }
      payment(id: $p) { id }
      legalDocument(id: $d) { id }
      legalDocuments { totalCount }
      walletEntries { totalCount }
      currentStore { name }
    }`,
    { c: records.customer, o: records.order, p: records.payment, d: records.document },
  );
  expect(data).toEqual({
    customer: null,
    customers: { totalCount: 0, edges: [] },
    order: null,
    orderByNumber: null,
    payment: null,
    legalDocument: null,
    legalDocuments: { totalCount: 0 },
    walletEntries: { totalCount: 0 },
    currentStore: { name: 'Store B' },
  });
}

/**
 * Store B (`b`) changes nothing of store A's `records` through any mutation, nor keeps records of
 * its own under store A's customer: each attempt is NOT_FOUND, and `a`'s snapshot stays as it was.
 */
export async function expectNothingWritable(a: TestStore, b: TestStore, records: IsolatedRecords): Promise<void> {
  const before = await a.data(SNAPSHOT, { customer: records.customer });
  const attempts = [
    [
      `mutation($id: ID!) { updateCustomer(id: $id, input: { firstName: "Mallory" }) { id } }`,
      { id: records.customer },
    ],
    [
      `mutation($id: ID!) { addAddress(customerId: $id, input: { kind: DELIVERY, recipient: "M", line1: "x", city: "x", country: "NL", isDefault: true }) { id } }`,
      { id: records.customer },
    ],
    [`mutation($id: ID!) { updateAddress(id: $id, input: { line1: "Mallory St" }) { id } }`, { id: records.address }],
    [`mutation($id: ID!) { deleteAddress(id: $id) { id } }`, { id: records.address }],
    [`mutation($id: ID!) { updateOrderStatus(id: $id, status: CANCELLED) { id } }`, { id: records.order }],
    [`mutation($id: ID!) { createOrderRequest(orderId: $id, type: RETURN) { id } }`, { id: records.order }],
    [
      `mutation($id: ID!) { recordPayment(input: { orderId: $id, transactionCode: "TX-M", method: CASH, amount: 1, currency: "EUR" }) { id } }`,
      { id: records.order },
    ],
    [`mutation($id: ID!) { updatePaymentStatus(id: $id, status: REFUNDED) { id } }`, { id: records.payment }],
    [
      `mutation($id: ID!) { grantPermission(input: { customerId: $id, documentId: "${records.document}", source: ADMIN }) { id } }`,
      { id: records.customer },
    ],
  ] as const;
  for (const [mutation, variables] of attempts) {
    const response = await b.request(mutation, variables);
    expect(response.errors?.[0]?.extensions?.code, mutation).toBe('NOT_FOUND');
  }
  // Nor may store B keep records of its own under store A's customer: it has no such customer.
  for (const mutation of [
    `mutation($id: ID!) { adjustWallet(input: { customerId: $id, amount: 100, currency: "EUR", reason: "B's own ledger" }) { entry { id } } }`,
    `mutation($id: ID!) { revokePermission(input: { customerId: $id, channel: EMAIL, source: ADMIN }) { id } }`,
    `mutation($id: ID!) { recordOrder(input: { number: "BBBB000001", customerId: $id, channel: WEB, currency: "EUR", items: [{ productId: "p", name: "P", quantity: 1, unitPrice: 100 }] }) { id } }`,
  ]) {
    const response = await b.request(mutation, { id: records.customer });
    expect(response.errors?.[0]?.extensions?.code, mutation).toBe('NOT_FOUND');
  }
  expect(await a.data(SNAPSHOT, { customer: records.customer })).toEqual(before);
  expect(before.customer.wallet.balance).toEqual({ amount: 700, currency: 'EUR' });
}
