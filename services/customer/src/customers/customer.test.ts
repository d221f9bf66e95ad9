import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayHeaders, startTestGraph, type TestGraph, type TestStore } from '@cg/testing';

const CREATE = /* GraphQL */ `
  mutation Create($input: CreateCustomerInput!) {
    createCustomer(input: $input) {
      id
      firstName
      lastName
      fullName
      email
      phone
      country
      language
      status
      tags
      isBusiness
      business {
        companyName
        taxOffice
        taxNumber
      }
      vipCard {
        memberNumber
        verificationCode
      }
      store {
        id
      }
    }
  }
`;
const UPDATE = /* GraphQL */ `
  mutation Update($id: ID!, $input: UpdateCustomerInput!) {
    updateCustomer(id: $id, input: $input) {
      id
      firstName
      email
      phone
      language
      status
      notes
      tags
      business {
        companyName
      }
    }
  }
`;
const COUNT = /* GraphQL */ `
  {
    customers {
      totalCount
    }
  }
`;

let graph: TestGraph;
let store: TestStore;
let other: TestStore;

beforeAll(async () => {
  graph = await startTestGraph();
  store = await graph.createStore('Main street');
  other = await graph.createStore('Other town');
});
afterAll(() => graph?.close());

const customerInput = (suffix: string, extra: Record<string, unknown> = {}) => ({
  firstName: 'Ada',
  lastName: `Lovelace ${suffix}`,
  email: `ada.${suffix}@example.com`,
  ...extra,
});

describe('createCustomer', () => {
  it('stores the profile with a normalised phone, deduplicated tags and business details', async () => {
    const { createCustomer } = await store.data(CREATE, {
      input: customerInput('create', {
        phone: '+90 532 123 45 67',
        country: 'tr',
        language: 'tr-tr',
        tags: ['vip', 'vip', 'wholesale'],
        business: { companyName: 'Analytical Engines Ltd', taxOffice: 'Kadıköy', taxNumber: '1234567890' },
        vipCard: { memberNumber: 'VIP-001', verificationCode: '9921' },
      }),
    });
    expect(createCustomer).toMatchObject({
      fullName: 'Ada Lovelace create',
      phone: '+905321234567',
      country: 'TR',
      language: 'tr-TR',
      status: 'ACTIVE',
      tags: ['vip', 'wholesale'],
      isBusiness: true,
      business: { companyName: 'Analytical Engines Ltd', taxOffice: 'Kadıköy', taxNumber: '1234567890' },
      vipCard: { memberNumber: 'VIP-001', verificationCode: '9921' },
      store: { id: store.id },
    });
  });

  it('trims an email before checking it, on creation and on update', async () => {
    const { createCustomer } = await store.data(CREATE, {
      input: customerInput('padded', { email: ' ada.padded@example.com ' }),
    });
    expect(createCustomer.email).toBe('ada.padded@example.com');
    const { updateCustomer } = await store.data(UPDATE, {
      id: createCustomer.id,
      input: { email: '\tada.padded2@example.com\n' },
    });
    expect(updateCustomer.email).toBe('ada.padded2@example.com');
  });

  it('accepts a national phone number when the country is given', async () => {
    const { createCustomer } = await store.data(CREATE, {
      input: customerInput('national', { phone: '0532 765 43 21', country: 'TR' }),
    });
    expect(createCustomer.phone).toBe('+905327654321');
  });

  it.each([
    ['input.email', { email: 'not-an-email' }],
    ['input.phone', { phone: '12345' }],
    ['input.firstName', { firstName: '  ' }],
    ['input.country', { country: 'XX' }],
    ['input.birthDate', { birthDate: '2999-01-01' }],
    ['input.language', { language: 'not a language' }],
    ['input.email', { email: null, phone: null }],
  ])('rejects a bad %s with BAD_USER_INPUT and writes nothing', async (field, extra) => {
    const before = (await store.data(COUNT)).customers.totalCount;
    const response = await store.request(CREATE, { input: customerInput(`bad-${field}`, extra) });
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.errors?.[0]?.extensions?.fields.map((f: { field: string }) => f.field)).toContain(field);
    expect((await store.data(COUNT)).customers.totalCount).toBe(before);
  });

  it('answers a duplicate email or phone in the same store with CONFLICT and the exact message', async () => {
    await store.data(CREATE, { input: customerInput('dup', { phone: '+44 20 7946 0001' }) });
    for (const input of [
      customerInput('dup2', { email: 'ADA.DUP@example.com' }),
      customerInput('dup3', { email: 'someone.else@example.com', phone: '+442079460001' }),
    ]) {
      const response = await store.request(CREATE, { input });
      expect(response.errors?.[0]).toMatchObject({
        message: 'Phone or email is already used',
        extensions: { code: 'CONFLICT' },
      });
    }
  });

  it('lets only one of two racing creations with the same email win', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        store.request(CREATE, { input: customerInput(`race-${i}`, { email: 'race@example.com' }) }),
      ),
    );
    const created = attempts.filter((response) => response.data?.createCustomer);
    const conflicts = attempts.filter((response) => response.errors?.[0]?.extensions?.code === 'CONFLICT');
    expect(created).toHaveLength(1);
    expect(conflicts).toHaveLength(7);
    expect(conflicts[0]!.errors![0]!.message).toBe('Phone or email is already used');
  });

  it('accepts the same email and phone in another store', async () => {
    const input = customerInput('shared', { phone: '+49 30 901820' });
    await store.data(CREATE, { input });
    const { createCustomer } = await other.data(CREATE, { input });
    expect(createCustomer.store.id).toBe(other.id);
  });
});

describe('updateCustomer', () => {
  it('changes the given fields, clears nulls and keeps a language once set', async () => {
    const { createCustomer } = await store.data(CREATE, {
      input: customerInput('update', { language: 'en', notes: 'likes tea', business: { companyName: 'Old Co' } }),
    });
    const { updateCustomer } = await store.data(UPDATE, {
      id: createCustomer.id,
      input: { firstName: 'Augusta', language: 'fr', status: 'BLOCKED', notes: null, business: null, tags: ['b2c'] },
    });
    expect(updateCustomer).toMatchObject({
      firstName: 'Augusta',
      email: 'ada.update@example.com',
      language: 'en',
      status: 'BLOCKED',
      notes: null,
      business: null,
      tags: ['b2c'],
    });
  });

  it('announces the changed fields as customer.updated and a new status as customer.status_changed', async () => {
    const { createCustomer } = await store.data(CREATE, { input: customerInput('events', { notes: 'private' }) });
    const id = createCustomer.id;
    const events = async () =>
      (
        await graph.graph.subgraphs.customer.db.sql`
        select type, payload from customer.outbox where customer_id = ${id} and type like 'customer.%' order by seq`
      ).map((row) => [row.type, row.payload]);
    await store.data(UPDATE, { id, input: { firstName: 'Augusta', tags: ['vip'], notes: 'still private' } });
    await store.data(UPDATE, { id, input: { status: 'INACTIVE' } });
    await store.data(UPDATE, { id, input: { firstName: 'Augusta' } }); // nothing changes: nothing announced
    expect(await events()).toEqual([
      ['customer.registered', { email: 'ada.events@example.com', phone: null, status: 'active', currency: 'EUR' }],
      [
        'customer.updated',
        {
          fields: ['firstName', 'notes', 'tags'],
          before: { firstName: 'Ada', tags: [] },
          after: { firstName: 'Augusta', tags: ['vip'] },
        },
      ],
      ['customer.status_changed', { from: 'active', to: 'inactive' }],
    ]);
  });

  it('reads a national phone number in the stored country when the input gives none', async () => {
    const { createCustomer } = await store.data(CREATE, {
      input: customerInput('national-update', { phone: '+90 532 765 43 00', country: 'TR' }),
    });
    const id = createCustomer.id;
    const { updateCustomer } = await store.data(UPDATE, { id, input: { phone: '0532 765 43 01' } });
    expect(updateCustomer.phone).toBe('+905327654301');
    // Not valid in the stored country, nor without any: refused, and nothing changes.
    await store.data(UPDATE, { id, input: { country: 'US' } });
    for (const input of [{ phone: '0532 765 43 02' }, { phone: '0532 765 43 02', country: null }]) {
      const response = await store.request(UPDATE, { id, input: { ...input, firstName: 'Changed' } });
      expect(response.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        fields: [{ field: 'input.phone' }],
      });
    }
    const { customer } = await store.data(`query($id: ID!) { customer(id: $id) { firstName phone country } }`, { id });
    expect(customer).toEqual({ firstName: 'Ada', phone: '+905327654301', country: 'US' });
  });

  it('rejects taking over another profile’s email with CONFLICT and leaves the profile unchanged', async () => {
    const a = (await store.data(CREATE, { input: customerInput('owner-a') })).createCustomer;
    const b = (await store.data(CREATE, { input: customerInput('owner-b') })).createCustomer;
    const response = await store.request(UPDATE, { id: b.id, input: { email: a.email, firstName: 'Changed' } });
    expect(response.errors?.[0]).toMatchObject({
      message: 'Phone or email is already used',
      extensions: { code: 'CONFLICT' },
    });
    const { customer } = await store.data(`query($id: ID!) { customer(id: $id) { firstName email } }`, { id: b.id });
    expect(customer).toEqual({ firstName: 'Ada', email: b.email });
  });

  it('answers NOT_FOUND for another store’s customer and changes nothing there', async () => {
    const foreign = (await other.data(CREATE, { input: customerInput('foreign') })).createCustomer;
    const response = await store.request(UPDATE, { id: foreign.id, input: { firstName: 'Hijacked' } });
    expect(response.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const { customer } = await other.data(`query($id: ID!) { customer(id: $id) { firstName } }`, { id: foreign.id });
    expect(customer.firstName).toBe('Ada');
  });
});

describe('store isolation and authentication', () => {
  it('shows a store nothing of another store', async () => {
    const foreign = (await other.data(CREATE, { input: customerInput('hidden') })).createCustomer;
    const { customer, customers } = await store.data(
      `query($id: ID!) { customer(id: $id) { id } customers(first: 100, filter: { search: "ada.hidden" }) { totalCount edges { node { id } } } }`,
      { id: foreign.id },
    );
    expect(customer).toBeNull();
    expect(customers).toEqual({ totalCount: 0, edges: [] });
  });

  it.each([
    ['no token', null],
    ['a malformed token', 'not-a-jwt'],
    [
      'a token signed with another key',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4Iiwic3RvcmUiOiJ5Iiwia2luZCI6InN0YWZmIn0.c2lnbmF0dXJl',
    ],
  ])('answers a request with %s with UNAUTHENTICATED', async (_label, token) => {
    const response = await graph.request(COUNT, undefined, { token });
    expect(response.status).toBe(401);
    expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(response.data ?? null).toBeNull();
  });

  it('makes each subgraph verify the token itself', async () => {
    // Even with the gateway's assertion for it, a forged token is refused by the subgraph too.
    const response = await fetch(graph.graph.subgraphs.customer!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await gatewayHeaders('not.a.token')) },
      body: JSON.stringify({ query: COUNT }),
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });
});
