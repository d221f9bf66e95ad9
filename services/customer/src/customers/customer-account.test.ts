import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '@cg/auth';
import { startTestGraph, type TestGraph, type TestStore } from '@cg/testing';

/** S4 account features: a signed-in customer sees and edits their own data, nobody else's. */
let graph: TestGraph;
let store: TestStore;
const me = { id: '', token: '', order: '', orderNumber: '', address: '' };
const other = { id: '', order: '', orderNumber: '', address: '', payment: '' };
let guestNumber = '';

const codes = (response: { errors?: { extensions?: Record<string, any> }[] }) =>
  (response.errors ?? []).map((error) => error.extensions?.code);
const asCustomer = (query: string, variables?: Record<string, unknown>) =>
  graph.request(query, variables, { token: me.token });

beforeAll(async () => {
  graph = await startTestGraph();
  store = await graph.createStore('Account store');
  me.id = (
    await store.createCustomer({
      firstName: 'Mina',
      lastName: 'Self',
      email: 'mina@self.example',
      notes: 'Asked for a refund twice',
      tags: ['vip'],
    })
  ).id;
  other.id = (await store.createCustomer({ firstName: 'Olga', lastName: 'Other', email: 'olga@other.example' })).id;
  me.token = await signToken({ kind: 'customer', userId: me.id, storeId: store.id });
  const address = `mutation($id: ID!) { addAddress(customerId: $id, input: { kind: DELIVERY, recipient: "R", line1: "1 Street", city: "Izmir", country: "TR" }) { id } }`;
  me.address = (await store.data(address, { id: me.id })).addAddress.id;
  other.address = (await store.data(address, { id: other.id })).addAddress.id;
  const mine = await store.recordOrder({ customerId: me.id, unitPrice: 1200 });
  const theirs = await store.recordOrder({ customerId: other.id, unitPrice: 900 });
  [me.order, me.orderNumber] = [mine.id, mine.number];
  [other.order, other.orderNumber] = [theirs.id, theirs.number];
  const paid = await store.data(
    `mutation($o: ID!) { recordPayment(input: { orderId: $o, transactionCode: "ACC-TX-1", method: CASH, amount: 900, currency: "EUR" }) { id } }`,
    { o: other.order },
  );
  other.payment = paid.recordPayment.id;
  guestNumber = 'GUEST00001';
  await store.recordOrder({ number: guestNumber, guest: { name: 'Gus', email: 'gus@guest.example' }, unitPrice: 300 });
});
afterAll(() => graph?.close());

describe('a customer token', () => {
  it('reads its own profile, orders and addresses, without the internal fields', async () => {
    const { data, errors } = await asCustomer(`{
      me { id email notes tags addresses { totalCount } orders { totalCount edges { node { id number } } } }
    }`);
    expect(errors).toBeUndefined();
    expect(data.me).toEqual({
      id: me.id,
      email: 'mina@self.example',
      notes: null,
      tags: [],
      addresses: { totalCount: 1 },
      orders: { totalCount: 1, edges: [{ node: { id: me.order, number: me.orderNumber } }] },
    });
    expect(codes(await asCustomer(`{ me { timeline { totalCount } } }`))).toEqual(['FORBIDDEN']);
  });

  it("finds nobody else's profile, order, payment or address", async () => {
    const { data } = await asCustomer(
      `query($c: ID!, $o: ID!, $n: String!, $p: ID!) { customer(id: $c) { id } order(id: $o) { id } orderByNumber(number: $n) { id } payment(id: $p) { id } }`,
      { c: other.id, o: other.order, n: other.orderNumber, p: other.payment },
    );
    expect(data).toEqual({ customer: null, order: null, orderByNumber: null, payment: null });
    expect((await asCustomer(`query($o: ID!) { order(id: $o) { id } }`, { o: me.order })).data.order).toEqual({
      id: me.order,
    });
    expect(codes(await asCustomer(`{ customers { totalCount } }`))).toEqual(['FORBIDDEN']);
    // Through the federated entity path too: another customer's orders, asked of the subgraph directly.
    const response = await fetch(graph.graph.subgraphs['commerce-history']!.url, {
      method: 'POST',
      headers: await graph.subgraphHeaders(me.token),
      body: JSON.stringify({
        query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { orders { totalCount } } } }`,
        variables: { r: [{ __typename: 'Customer', id: other.id }] },
      }),
    });
    expect(((await response.json()) as any).data._entities[0].orders.totalCount).toBe(0);
  });

  it('edits its own profile and addresses, not the fields staff decide nor anyone else', async () => {
    const update = `mutation($id: ID!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, input: $input) { firstName } }`;
    expect((await asCustomer(update, { id: me.id, input: { firstName: 'Mine' } })).data.updateCustomer.firstName).toBe(
      'Mine',
    );
    const internal = await asCustomer(update, { id: me.id, input: { notes: 'Lovely', status: 'ACTIVE' } });
    expect(internal.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(internal.errors?.[0]?.message).toContain('input.status, input.notes');
    expect(codes(await asCustomer(update, { id: other.id, input: { firstName: 'Hacked' } }))).toEqual(['NOT_FOUND']);

    const add = `mutation($id: ID!) { addAddress(customerId: $id, input: { kind: DELIVERY, recipient: "Me", line1: "2 Street", city: "Izmir", country: "TR" }) { id } }`;
    expect((await asCustomer(add, { id: me.id })).data.addAddress.id).toEqual(expect.any(String));
    expect(codes(await asCustomer(add, { id: other.id }))).toEqual(['NOT_FOUND']);
    const edit = `mutation($id: ID!) { updateAddress(id: $id, input: { line1: "3 Street" }) { line1 } }`;
    expect((await asCustomer(edit, { id: me.address })).data.updateAddress.line1).toBe('3 Street');
    expect(codes(await asCustomer(edit, { id: other.address }))).toEqual(['NOT_FOUND']);
    expect(
      codes(await asCustomer(`mutation($id: ID!) { deleteAddress(id: $id) { id } }`, { id: other.address })),
    ).toEqual(['NOT_FOUND']);

    const { customer } = await store.data(
      `query($id: ID!) { customer(id: $id) { firstName notes addresses { edges { node { line1 } } } } }`,
      { id: other.id },
    );
    expect(customer).toEqual({
      firstName: 'Olga',
      notes: null,
      addresses: { edges: [{ node: { line1: '1 Street' } }] },
    });
  });

  it('records its own consents only', async () => {
    const grant = `mutation($id: ID!) { grantPermission(input: { customerId: $id, channel: SMS, source: CHECKOUT }) { action } }`;
    expect((await asCustomer(grant, { id: me.id })).data.grantPermission.action).toBe('GRANTED');
    expect(codes(await asCustomer(grant, { id: other.id }))).toEqual(['FORBIDDEN']);
  });
});

describe('a guest token (O10)', () => {
  const guestToken = () => signToken({ kind: 'guest', userId: randomUUID(), storeId: store.id });
  const LOOKUP = `query($n: [String!]!) { guestOrders(numbers: $n) { number guest { email } customer { id } } }`;

  it("finds guest orders by number only, never a registered customer's", async () => {
    const token = await guestToken();
    const { data, errors } = await graph.request(LOOKUP, { n: [guestNumber, me.orderNumber, 'NOSUCH0001'] }, { token });
    expect(errors).toBeUndefined();
    expect(data.guestOrders).toEqual([{ number: guestNumber, guest: { email: 'gus@guest.example' }, customer: null }]);
  });

  it('takes at most 10 numbers of exactly 10 uppercase letters or digits', async () => {
    const token = await guestToken();
    const tooMany = await graph.request(
      LOOKUP,
      { n: Array.from({ length: 11 }, (_, i) => `GUEST${String(i).padStart(5, '0')}`) },
      { token },
    );
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'numbers' }] });
    const malformed = await graph.request(LOOKUP, { n: ['guest00001'] }, { token });
    expect(malformed.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'numbers.0' }],
    });
    expect(codes(await graph.request(`{ customers { totalCount } }`, undefined, { token }))).toEqual(['FORBIDDEN']);
    // Staff look orders up with orderByNumber; the guest lookup is not theirs.
    expect(codes(await store.request(LOOKUP, { n: [guestNumber] }))).toEqual(['FORBIDDEN']);
  });
});
