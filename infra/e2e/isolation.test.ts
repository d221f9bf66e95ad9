import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '@cg/auth';
import { startTestGraph, type TestGraph, type TestStore } from '@cg/testing';

/** Store A's data, looked at and reached for with store B's token, through every subgraph. */
let graph: TestGraph;
let a: TestStore;
let b: TestStore;
const ids: Record<string, string> = {};

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

beforeAll(async () => {
  graph = await startTestGraph();
  a = await graph.createStore('Store A');
  b = await graph.createStore('Store B');
  ids.customer = (await a.createCustomer({ firstName: 'Alice', lastName: 'A', email: 'alice@a.example' })).id;
  ids.order = (await a.recordOrder({ number: 'AAAA000001', customerId: ids.customer, unitPrice: 500 })).id;
  const data = await a.data(
    `mutation($c: ID!) {
      addAddress(customerId: $c, input: { kind: DELIVERY, recipient: "Alice", line1: "1 A St", city: "A", country: "NL" }) { id }
      adjustWallet(input: { customerId: $c, amount: 700, currency: "EUR", reason: "Gift" }) { entry { id } }
      publishLegalDocument(input: { key: "terms", type: MEMBERSHIP_AGREEMENT, title: "Terms", content: "..." }) { id }
    }`,
    { c: ids.customer },
  );
  ids.address = data.addAddress.id;
  ids.document = data.publishLegalDocument.id;
  const paid = await a.data(
    `mutation($o: ID!, $c: ID!, $d: ID!) {
      recordPayment(input: { orderId: $o, transactionCode: "TX-A-1", method: CASH, amount: 500, currency: "EUR" }) { id }
      grantPermission(input: { customerId: $c, documentId: $d, source: REGISTRATION }) { id }
    }`,
    { o: ids.order, c: ids.customer, d: ids.document },
  );
  ids.payment = paid.recordPayment.id;
});
afterAll(() => graph?.close());

describe('a token for store B', () => {
  it('reads nothing of store A from any root query', async () => {
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
      { c: ids.customer, o: ids.order, p: ids.payment, d: ids.document },
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
  });

  it('changes nothing of store A through any mutation', async () => {
    const before = await a.data(SNAPSHOT, { customer: ids.customer });
    const attempts = [
      [`mutation($id: ID!) { updateCustomer(id: $id, input: { firstName: "Mallory" }) { id } }`, { id: ids.customer }],
      [
        `mutation($id: ID!) { addAddress(customerId: $id, input: { kind: DELIVERY, recipient: "M", line1: "x", city: "x", country: "NL", isDefault: true }) { id } }`,
        { id: ids.customer },
      ],
      [`mutation($id: ID!) { updateAddress(id: $id, input: { line1: "Mallory St" }) { id } }`, { id: ids.address }],
      [`mutation($id: ID!) { deleteAddress(id: $id) { id } }`, { id: ids.address }],
      [`mutation($id: ID!) { updateOrderStatus(id: $id, status: CANCELLED) { id } }`, { id: ids.order }],
      [`mutation($id: ID!) { createOrderRequest(orderId: $id, type: RETURN) { id } }`, { id: ids.order }],
      [
        `mutation($id: ID!) { recordPayment(input: { orderId: $id, transactionCode: "TX-M", method: CASH, amount: 1, currency: "EUR" }) { id } }`,
        { id: ids.order },
      ],
      [`mutation($id: ID!) { updatePaymentStatus(id: $id, status: REFUNDED) { id } }`, { id: ids.payment }],
      [
        `mutation($id: ID!) { grantPermission(input: { customerId: $id, documentId: "${ids.document}", source: ADMIN }) { id } }`,
        { id: ids.customer },
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
      const response = await b.request(mutation, { id: ids.customer });
      expect(response.errors?.[0]?.extensions?.code, mutation).toBe('NOT_FOUND');
    }
    expect(await a.data(SNAPSHOT, { customer: ids.customer })).toEqual(before);
    expect(before.customer.wallet.balance).toEqual({ amount: 700, currency: 'EUR' });
  });
});

describe('tokens', () => {
  it('answers a customer token FORBIDDEN where customers have no access yet', async () => {
    const token = await signToken({ kind: 'customer', userId: ids.customer!, storeId: a.id });
    const response = await graph.request(`{ customers { totalCount } }`, undefined, { token });
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('answers an expired token UNAUTHENTICATED', async () => {
    const token = await signToken({ kind: 'staff', userId: 'u', storeId: a.id }, { expiresIn: '-1s' });
    const response = await graph.request(`{ customers { totalCount } }`, undefined, { token });
    expect(response.status).toBe(401);
    expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
