import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGraph, type TestGraph, type TestStore } from '@cg/testing';

const ADD = /* GraphQL */ `
  mutation Add($customerId: ID!, $input: AddAddressInput!) {
    addAddress(customerId: $customerId, input: $input) {
      id
      kind
      isDefault
      phone
      country
    }
  }
`;
const ADDRESSES = /* GraphQL */ `
  query Addresses($id: ID!, $kind: AddressKind) {
    customer(id: $id) {
      addresses(kind: $kind) {
        totalCount
        edges {
          node {
            id
            line1
            kind
            isDefault
          }
        }
      }
    }
  }
`;

let graph: TestGraph;
let store: TestStore;

beforeAll(async () => {
  graph = await startTestGraph();
  store = await graph.createStore();
});
afterAll(() => graph?.close());

const address = (line1: string, extra: Record<string, unknown> = {}) => ({
  kind: 'DELIVERY',
  recipient: 'Grace Hopper',
  line1,
  city: 'Arlington',
  region: 'VA',
  postalCode: '22201',
  country: 'US',
  ...extra,
});

async function defaults(customerId: string, kind: string) {
  const { customer } = await store.data(ADDRESSES, { id: customerId, kind });
  return customer.addresses.edges.filter((edge: any) => edge.node.isDefault).map((edge: any) => edge.node.line1);
}

describe('addresses', () => {
  it('makes the first address of each kind the default, later ones only when flagged', async () => {
    const { id } = await store.createCustomer();
    const first = (await store.data(ADD, { customerId: id, input: address('1 First St') })).addAddress;
    const second = (await store.data(ADD, { customerId: id, input: address('2 Second St') })).addAddress;
    const invoice = (
      await store.data(ADD, { customerId: id, input: address('3 Invoice Ave', { kind: 'CORPORATE_INVOICE' }) })
    ).addAddress;
    expect([first.isDefault, second.isDefault, invoice.isDefault]).toEqual([true, false, true]);

    await store.data(ADD, { customerId: id, input: address('4 Flagged Rd', { isDefault: true }) });
    expect(await defaults(id, 'DELIVERY')).toEqual(['4 Flagged Rd']);
    expect(await defaults(id, 'CORPORATE_INVOICE')).toEqual(['3 Invoice Ave']);
  });

  it('moves the default on update and promotes the oldest remaining one when the default is deleted', async () => {
    const { id } = await store.createCustomer();
    const a = (await store.data(ADD, { customerId: id, input: address('A St') })).addAddress;
    const b = (await store.data(ADD, { customerId: id, input: address('B St') })).addAddress;
    await store.data(ADD, { customerId: id, input: address('C St') });
    await store.data(
      `mutation($id: ID!) { updateAddress(id: $id, input: { makeDefault: true, line2: "Suite 5" }) { id } }`,
      { id: b.id },
    );
    expect(await defaults(id, 'DELIVERY')).toEqual(['B St']);
    await store.data(`mutation($id: ID!) { deleteAddress(id: $id) { id } }`, { id: b.id });
    expect(await defaults(id, 'DELIVERY')).toEqual(['A St']);
    const { customer } = await store.data(ADDRESSES, { id });
    expect(customer.addresses.totalCount).toBe(2);
    expect(a.isDefault).toBe(true);
  });

  it('keeps exactly one default when many addresses are added at once', async () => {
    const { id } = await store.createCustomer();
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => store.data(ADD, { customerId: id, input: address(`${i} Parallel St`) })),
    );
    expect(await defaults(id, 'DELIVERY')).toHaveLength(1);
  });

  it('normalises the phone and rejects bad input without writing', async () => {
    const { id } = await store.createCustomer();
    const ok = (await store.data(ADD, { customerId: id, input: address('Ok St', { phone: '(202) 555-0125' }) }))
      .addAddress;
    expect(ok.phone).toBe('+12025550125');
    for (const [input, field] of [
      [address('', {}), 'input.line1'],
      [address('X St', { country: 'Narnia' }), 'input.country'],
      [address('X St', { phone: '12' }), 'input.phone'],
    ] as const) {
      const response = await store.request(ADD, { customerId: id, input });
      expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(response.errors?.[0]?.extensions?.fields.map((f: any) => f.field)).toContain(field);
    }
    const { customer } = await store.data(ADDRESSES, { id });
    expect(customer.addresses.totalCount).toBe(1);
  });

  it("reads a national phone number in the address's stored country when the input gives none", async () => {
    const { id } = await store.createCustomer();
    const added = (
      await store.data(ADD, {
        customerId: id,
        input: address('Bagdat Cd.', { country: 'TR', phone: '0532 765 43 10' }),
      })
    ).addAddress;
    expect(added.phone).toBe('+905327654310');
    const UPDATE_PHONE = `mutation($id: ID!, $input: UpdateAddressInput!) { updateAddress(id: $id, input: $input) { phone country } }`;
    const updated = await store.data(UPDATE_PHONE, { id: added.id, input: { phone: '0532 765 43 11' } });
    expect(updated.updateAddress).toEqual({ phone: '+905327654311', country: 'TR' });
    // A number of another country is read in the one given with it, and refused in the stored one.
    const moved = await store.data(UPDATE_PHONE, { id: added.id, input: { phone: '(202) 555-0126', country: 'US' } });
    expect(moved.updateAddress).toEqual({ phone: '+12025550126', country: 'US' });
    const refused = await store.request(UPDATE_PHONE, { id: added.id, input: { phone: '0532 765 43 12' } });
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'input.phone' }],
    });
  });

  it('does not add an address to another store’s customer', async () => {
    const other = await graph.createStore();
    const { id } = await other.createCustomer();
    const response = await store.request(ADD, { customerId: id, input: address('Sneaky St') });
    expect(response.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
