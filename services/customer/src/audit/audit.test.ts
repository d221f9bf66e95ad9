import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually, startTestGraph, type TestGraph, type TestStore } from '@cg/testing';

let graph: TestGraph;
let store: TestStore;
/** A second staff user of the same store. */
let staffB: TestStore;

beforeAll(async () => {
  graph = await startTestGraph();
  store = await graph.createStore('Audit store', { currency: 'EUR', principal: { userId: 'staff-a' } });
  const token = await store.staff('staff-b', 'MANAGER');
  staffB = {
    ...store,
    token,
    request: (query, variables) => graph.request(query, variables, { token }),
    async data(query, variables) {
      const response = await graph.request(query, variables, { token });
      if (response.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(response.errors)}`);
      return response.data;
    },
  };
});
afterAll(() => graph?.close());

const ENTRY = 'id action subgraph entityType entityId actorKind actorId ip before after occurredAt customer { id }';
const AUDIT_LOG = /* GraphQL */ `
  query($first: Int, $after: String, $filter: AuditLogFilter) {
    auditLog(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { ${ENTRY} } }
    }
  }`;

async function auditLog(on: { data: TestStore['data'] }, filter?: Record<string, unknown>, first = 100) {
  const { auditLog } = await on.data(AUDIT_LOG, { first, filter });
  return { total: auditLog.totalCount as number, entries: auditLog.edges.map((edge: any) => edge.node) as any[] };
}

it('records a sample of mutations in every subgraph with actor, IP, before and after', async () => {
  const id = (await store.createCustomer({ firstName: 'Audrey', lastName: 'Trail', email: 'audrey@audit.example' })).id;
  await store.data(
    `mutation($id: ID!) { updateCustomer(id: $id, input: { firstName: "Audra", notes: "VIP" }) { id } }`,
    { id },
  );
  const { addAddress } = await store.data(
    `mutation($id: ID!) { addAddress(customerId: $id, input: { kind: DELIVERY, recipient: "Audra", line1: "1 Log St", city: "Leeds", country: "GB" }) { id } }`,
    { id },
  );
  await store.data(`mutation($id: ID!) { deleteAddress(id: $id) { id } }`, { id: addAddress.id });
  const orderId = (await store.recordOrder({ customerId: id, unitPrice: 1500, quantity: 2 })).id;
  await store.data(`mutation($id: ID!) { updateOrderStatus(id: $id, status: DELIVERED) { id } }`, { id: orderId });
  const { recordPayment } = await store.data(
    `mutation($input: RecordPaymentInput!) { recordPayment(input: $input) { id } }`,
    { input: { orderId, transactionCode: 'AUD-TX-1', method: 'CREDIT_CARD', amount: 3000, currency: 'EUR' } },
  );
  await store.data(
    `mutation($id: ID!) { adjustWallet(input: { customerId: $id, amount: 700, currency: "EUR", reason: "Goodwill" }) { entry { id } } }`,
    { id },
  );
  const { publishLegalDocument: doc } = await store.data(
    `mutation { publishLegalDocument(input: { key: "privacy", type: PRIVACY_NOTICE, title: "Privacy", content: "Text" }) { id } }`,
  );
  await store.data(
    `mutation($id: ID!, $doc: ID!) { grantPermission(input: { customerId: $id, documentId: $doc, source: ADMIN }) { id } }`,
    { id, doc: doc.id },
  );
  await store.data(
    `mutation($id: ID!, $doc: ID!) { revokePermission(input: { customerId: $id, documentId: $doc, source: ADMIN }) { id } }`,
    { id, doc: doc.id },
  );

  const EXPECTED = [
    'customer.create',
    'customer.update',
    'address.add',
    'address.delete',
    'order.record',
    'order.status',
    'payment.record',
    'wallet.adjust',
    'legal_document.publish',
    'permission.grant',
    'permission.revoke',
  ];
  const { entries } = await eventually(async () => {
    const log = await auditLog(store);
    // Adding staff-b as a member (beforeAll) is audited too; access changes have their own test.
    const sample = log.entries.filter((entry) => !entry.action.startsWith('staffMember.'));
    expect(sample.map((entry) => entry.action).sort()).toEqual([...EXPECTED].sort());
    return { ...log, entries: sample };
  }, 30_000);
  const by = (action: string) => entries.find((entry) => entry.action === action);

  for (const entry of entries) {
    expect(entry).toMatchObject({ actorKind: 'STAFF', actorId: 'staff-a' });
    expect(entry.ip).toEqual(expect.stringMatching(/\S/));
    expect(Date.parse(entry.occurredAt)).not.toBeNaN();
    if (entry.action !== 'legal_document.publish') expect(entry.customer).toEqual({ id });
  }
  // Newest first.
  const times = entries.map((entry) => Date.parse(entry.occurredAt));
  expect(times).toEqual([...times].sort((a, b) => b - a));
  expect(new Set(entries.map((entry) => entry.subgraph))).toEqual(
    new Set(['customer', 'commerce-history', 'engagement', 'consent']),
  );

  expect(by('customer.create')).toMatchObject({
    subgraph: 'customer',
    entityType: 'Customer',
    entityId: id,
    before: null,
  });
  expect(by('customer.create').after).toMatchObject({
    id,
    firstName: 'Audrey',
    email: 'audrey@audit.example',
    status: 'active',
  });
  expect(by('customer.update')).toMatchObject({
    before: { firstName: 'Audrey', notes: null },
    after: { firstName: 'Audra', notes: 'VIP' },
  });
  expect(by('address.add')).toMatchObject({
    entityType: 'Address',
    entityId: addAddress.id,
    before: null,
    after: { city: 'Leeds', isDefault: true },
  });
  expect(by('address.delete')).toMatchObject({ entityId: addAddress.id, before: { line1: '1 Log St' }, after: null });
  expect(by('order.record')).toMatchObject({
    subgraph: 'commerce-history',
    entityType: 'Order',
    entityId: orderId,
    before: null,
    after: { total: 3000, units: 2 },
  });
  expect(by('order.status')).toMatchObject({ entityId: orderId, after: { status: 'delivered' } });
  expect(by('order.status').before.status).not.toBe('delivered');
  expect(by('payment.record')).toMatchObject({
    entityType: 'Payment',
    entityId: recordPayment.id,
    before: null,
    after: { amount: 3000, transactionCode: 'AUD-TX-1' },
  });
  expect(by('wallet.adjust')).toMatchObject({
    subgraph: 'engagement',
    entityType: 'Wallet',
    before: { balance: 0, currency: 'EUR' },
    after: { balance: 700, amount: 700, reason: 'Goodwill' },
  });
  expect(by('legal_document.publish')).toMatchObject({
    subgraph: 'consent',
    entityId: doc.id,
    before: null,
    after: { key: 'privacy', version: 1 },
    customer: null,
  });
  expect(by('permission.grant')).toMatchObject({
    before: null,
    after: { status: 'granted', documentId: doc.id, source: 'admin' },
  });
  expect(by('permission.revoke')).toMatchObject({ before: { status: 'granted' }, after: { status: 'revoked' } });

  // The same entries under the customer (everything but the document, which concerns no one).
  const { customer } = await store.data(
    `query($id: ID!) { customer(id: $id) { auditLog(first: 10) { totalCount pageInfo { hasNextPage } edges { node { id action } } } } }`,
    { id },
  );
  expect(customer.auditLog.totalCount).toBe(EXPECTED.length - 1);
  expect(customer.auditLog.pageInfo.hasNextPage).toBe(false);
  expect(customer.auditLog.edges.map((edge: any) => edge.node.id)).toEqual(
    entries.filter((entry) => entry.customer).map((entry) => entry.id),
  );
});

it('filters by customer, staff user, action and time, and pages by cursor', async () => {
  const one = (await store.createCustomer({ firstName: 'One', lastName: 'Filter', email: 'one@audit.example' })).id;
  const two = (await staffB.createCustomer({ firstName: 'Two', lastName: 'Filter', email: 'two@audit.example' })).id;
  await staffB.data(`mutation($id: ID!) { updateCustomer(id: $id, input: { lastName: "Filtered" }) { id } }`, {
    id: one,
  });
  // Entries of different customers travel in different queues: wait for each one awaited here.
  await eventually(async () => {
    expect((await auditLog(staffB, { actorId: 'staff-b' })).entries).toHaveLength(2);
    expect((await auditLog(store, { customerId: one })).entries).toHaveLength(2);
  });

  const ofOne = await auditLog(store, { customerId: one });
  expect(ofOne.entries.map((entry) => [entry.action, entry.actorId])).toEqual([
    ['customer.update', 'staff-b'],
    ['customer.create', 'staff-a'],
  ]);
  const byB = await auditLog(store, { actorId: 'staff-b' });
  expect(byB.entries.map((entry) => entry.entityId).sort()).toEqual([one, two].sort());
  expect(
    (await auditLog(store, { actorId: 'staff-b', action: 'customer.create' })).entries.map((entry) => entry.entityId),
  ).toEqual([two]);
  expect((await auditLog(store, { from: new Date(Date.now() + 60_000).toISOString() })).total).toBe(0);

  // Paging is compared with the whole log once no earlier test's entry is still on its way.
  let all = await auditLog(store);
  for (let settled = 0; settled < 3;) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const again = await auditLog(store);
    settled = again.entries.length === all.entries.length ? settled + 1 : 0;
    all = again;
  }
  const first = await store.data(AUDIT_LOG, { first: 10 });
  expect(first.auditLog.pageInfo.hasNextPage).toBe(all.total > 10);
  const second = await store.data(AUDIT_LOG, { first: 10, after: first.auditLog.pageInfo.endCursor });
  expect([...first.auditLog.edges, ...second.auditLog.edges].map((edge: any) => edge.node.id)).toEqual(
    all.entries.slice(0, 20).map((entry) => entry.id),
  );
});

it('shows another store none of it', async () => {
  const other = await graph.createStore('Other audit store');
  const { total } = await auditLog(other);
  expect(total).toBe(0);
  const id = (await other.createCustomer({ firstName: 'Else', lastName: 'Where', email: 'else@audit.example' })).id;
  await eventually(async () => expect((await auditLog(other)).entries.map((entry) => entry.entityId)).toEqual([id]));
  expect((await auditLog(store, { customerId: id })).total).toBe(0);
});

it('refuses a bad filter or page size with BAD_USER_INPUT', async () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ first: 1000 }, 'first'],
    [{ filter: { customerId: 'nope' } }, 'filter.customerId'],
    [{ filter: { action: 'no such action!' } }, 'filter.action'],
    [{ filter: { from: '2030-01-02T00:00:00Z', to: '2030-01-01T00:00:00Z' } }, 'filter.to'],
    [{ after: 'not-a-cursor' }, 'after'],
  ];
  for (const [variables, field] of cases) {
    const response = await store.request(AUDIT_LOG, variables);
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(JSON.stringify(response.errors?.[0]?.extensions)).toContain(field);
  }
});

it('writes no entry for a mutation that fails', async () => {
  const id = (await store.createCustomer({ firstName: 'Fail', lastName: 'Safe', email: 'fail@audit.example' })).id;
  await eventually(async () => expect((await auditLog(store, { customerId: id })).total).toBe(1));
  const bad = await store.request(
    `mutation($id: ID!) { updateCustomer(id: $id, input: { email: "not an email" }) { id } }`,
    { id },
  );
  expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  const wallet = await store.request(
    `mutation($id: ID!) { adjustWallet(input: { customerId: $id, amount: -100, currency: "EUR", reason: "Too much" }) { entry { id } } }`,
    { id },
  );
  expect(wallet.errors?.length).toBeGreaterThan(0);
  // A later mutation's entry arrives; the failed ones never do.
  await store.data(`mutation($id: ID!) { watchCustomer(customerId: $id) { id } }`, { id });
  // The page, not the count: the count is a second statement and may see an entry the page did not.
  const { entries } = await eventually(async () => {
    const log = await auditLog(store, { customerId: id });
    expect(log.entries).toHaveLength(2);
    return log;
  });
  expect(entries.map((entry) => entry.action)).toEqual(['customer.watch', 'customer.create']);
  expect(entries[0]).toMatchObject({ before: { watched: false }, after: { watched: true } });
});

it('writes no entry for an update that changes nothing, in every subgraph', async () => {
  const id = (await store.createCustomer({ firstName: 'Same', lastName: 'Again', email: 'same@audit.example' })).id;
  const { addAddress } = await store.data(
    `mutation($id: ID!) { addAddress(customerId: $id, input: { kind: DELIVERY, recipient: "Same", line1: "1 Same St", city: "Leeds", country: "GB" }) { id } }`,
    { id },
  );
  const { createSegment } = await store.data(
    `mutation { createSegment(input: { name: "Unchanged", rules: [{ kind: STATUS, status: [ACTIVE] }] }) { id } }`,
  );
  const { createStaffRole } = await store.data(
    `mutation { createStaffRole(input: { name: "Unchanged role", actions: [CUSTOMERS_READ] }) { id } }`,
  );
  const orderId = (await store.recordOrder({ customerId: id })).id;
  const { recordPayment } = await store.data(
    `mutation($input: RecordPaymentInput!) { recordPayment(input: $input) { id } }`,
    { input: { orderId, transactionCode: 'AUD-TX-SAME', method: 'CREDIT_CARD', amount: 1000, currency: 'EUR' } },
  );
  // Each update twice: the first changes something, the second sets what is already there.
  for (let round = 0; round < 2; round += 1) {
    await store.data(
      `mutation($id: ID!, $address: ID!, $segment: ID!, $role: ID!, $payment: ID!) {
        updateCustomer(id: $id, input: { firstName: "Samuel", tags: ["kept"] }) { id }
        updateAddress(id: $address, input: { line1: "2 Same St" }) { id }
        updateSegment(id: $segment, input: { name: "Still unchanged" }) { id }
        updateStaffRole(id: $role, input: { actions: [CUSTOMERS_READ, AUDIT_READ] }) { id }
        setStaffMember(input: { userId: "same-member", role: VIEWER }) { userId }
        updatePaymentStatus(id: $payment, status: ON_HOLD) { id }
      }`,
      { id, address: addAddress.id, segment: createSegment.id, role: createStaffRole.id, payment: recordPayment.id },
    );
  }
  await eventually(async () => expect(await graph.undelivered()).toBe(0));
  const { entries } = await auditLog(store, undefined, 100);
  const updates = (action: string, entityId: string) =>
    entries.filter((entry) => entry.action === action && entry.entityId === entityId);
  expect(updates('customer.update', id)).toHaveLength(1);
  expect(updates('address.update', addAddress.id)).toHaveLength(1);
  expect(updates('segment.update', createSegment.id)).toHaveLength(1);
  expect(updates('staffRole.update', createStaffRole.id)).toHaveLength(1);
  expect(updates('staffMember.set', 'same-member')).toHaveLength(1); // added; the same role again is no change
  expect(updates('payment.status', recordPayment.id)).toHaveLength(1);
  // Nor does the address's timeline show an edit that never happened.
  const { customer } = await store.data(
    `query($id: ID!) { customer(id: $id) { timeline(kinds: [ADDRESS]) { edges { node { summary } } } } }`,
    { id },
  );
  expect(customer.timeline.edges.map((edge: any) => edge.node.summary)).toEqual([
    'Address edited: delivery, 2 Same St, Leeds',
    'Address added: delivery, 1 Same St, Leeds',
  ]);
});
