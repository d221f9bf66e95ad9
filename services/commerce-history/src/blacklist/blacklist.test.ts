import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { applyEvent } from '@cg/events';
import { eventually, outboxEvents, startTestGraph, type TestGraph, type TestStore } from '@cg/testing';
import { commerceHistorySubgraph } from '../index.ts';

const ADD = /* GraphQL */ `
  mutation ($input: AddBlacklistEntryInput!) {
    addBlacklistEntry(input: $input) {
      id
    }
  }
`;
const REMOVE = /* GraphQL */ `
  mutation ($id: ID!) {
    removeBlacklistEntry(id: $id) {
      id
    }
  }
`;
const ORDER = /* GraphQL */ `
  mutation ($input: RecordOrderInput!) {
    recordOrder(input: $input) {
      id
    }
  }
`;
const IMPORT = /* GraphQL */ `
  mutation ($orders: [RecordOrderInput!]!) {
    importOrders(orders: $orders) {
      recorded
      failed
      rows {
        index
        status
      }
      errors {
        index
        field
        code
      }
    }
  }
`;

let graph: TestGraph;
let store: TestStore;
let other: TestStore;
let orders = 0;

beforeAll(async () => {
  graph = await startTestGraph();
  store = await graph.createStore('Blacklist intake', { currency: 'EUR' });
  other = await graph.createStore('Other intake', { currency: 'EUR' });
});
afterAll(() => graph?.close());

const sql = () => graph.graph.subgraphs['commerce-history']!.db.sql;
const delivered = () => eventually(async () => expect(await graph.undelivered()).toBe(0));

const orderInput = (contact: Record<string, unknown>) => ({
  number: `BLK${String((orders += 1)).padStart(7, '0')}`,
  channel: 'WEB',
  currency: 'EUR',
  items: [{ productId: 'p', name: 'Product', quantity: 1, unitPrice: 1000 }],
  ...contact,
});
const asGuest = (guest: Record<string, unknown>) => orderInput({ guest: { name: 'Guest', ...guest } });
const asCustomer = (customerId: string) => orderInput({ customerId });

/** The order's error code and fields, or OK; and whether intake recorded it. */
async function intake(on: TestStore, input: Record<string, unknown>) {
  const response = await on.request(ORDER, { input });
  const [row] = await sql()`select count(*)::int as n from commerce_history.orders
    where store_id = ${on.id} and number = ${input.number as string}`;
  const error = response.errors?.[0];
  return {
    code: error ? error.extensions?.code : 'OK',
    fields: (error?.extensions?.fields as { field: string }[] | undefined)?.map((field) => field.field),
    recorded: row!.n === 1,
  };
}

const refused = (field: string) => ({ code: 'CUSTOMER_BLACKLISTED', fields: [field], recorded: false });
const ACCEPTED = { code: 'OK', fields: undefined, recorded: true };

const add = async (input: Record<string, unknown>) => {
  const { addBlacklistEntry } = await store.data(ADD, { input: { reason: 'FAKE_ORDERS', ...input } });
  await delivered();
  return addBlacklistEntry.id as string;
};
const remove = async (id: string) => {
  await store.data(REMOVE, { id });
  await delivered();
};

const SPELLINGS = ['+90 532 123 45 67', '00905321234567', '+905321234567'];

describe('order intake and the blacklist (C14)', () => {
  it('refuses a blacklisted phone in any spelling, as guest and as customer, and accepts it again once removed', async () => {
    const customer = await store.createCustomer({ phone: '+905321234567' });
    const entry = await add({ phone: '00905321234567' });
    for (const phone of SPELLINGS) {
      expect(await intake(store, asGuest({ phone })), phone).toEqual(refused('input.guest.phone'));
    }
    expect(await intake(store, asCustomer(customer.id))).toEqual(refused('input.customerId'));
    // Another store's intake does not know this store's blacklist.
    expect(await intake(other, asGuest({ phone: '+905321234567' }))).toEqual(ACCEPTED);
    // The error names the field, and says nothing of the contact.
    const response = await store.request(ORDER, { input: asGuest({ phone: '+905321234567' }) });
    expect(response.errors?.[0]?.message).not.toContain('532');

    await remove(entry);
    for (const phone of SPELLINGS) expect(await intake(store, asGuest({ phone })), phone).toEqual(ACCEPTED);
    expect(await intake(store, asCustomer(customer.id))).toEqual(ACCEPTED);
  });

  it('refuses a blacklisted email in any case, as guest and as customer, and accepts it again once removed', async () => {
    const customer = await store.createCustomer({ email: 'Liar@Example.com' });
    const entry = await add({ email: 'LIAR@example.COM' });
    for (const email of ['liar@example.com', 'LIAR@EXAMPLE.COM', ' Liar@Example.com ']) {
      expect(await intake(store, asGuest({ email })), email).toEqual(refused('input.guest.email'));
    }
    // Either contact of a guest is enough.
    expect(await intake(store, asGuest({ email: 'liar@example.com', phone: '+905551234567' }))).toEqual(
      refused('input.guest.email'),
    );
    expect(await intake(store, asCustomer(customer.id))).toEqual(refused('input.customerId'));
    expect(await intake(store, asGuest({ email: 'honest@example.com' }))).toEqual(ACCEPTED);
    await remove(entry);
    expect(await intake(store, asGuest({ email: 'liar@example.com' }))).toEqual(ACCEPTED);
    expect(await intake(store, asCustomer(customer.id))).toEqual(ACCEPTED);
  });

  it('follows a customer’s new phone onto the blacklist', async () => {
    const customer = await store.createCustomer({ email: 'mover@example.com' });
    const entry = await add({ phone: '+44 20 7946 0999' });
    expect(await intake(store, asCustomer(customer.id))).toEqual(ACCEPTED);
    await store.data(`mutation($id: ID!) { updateCustomer(id: $id, input: { phone: "+442079460999" }) { id } }`, {
      id: customer.id,
    });
    await delivered();
    expect(await intake(store, asCustomer(customer.id))).toEqual(refused('input.customerId'));
    await store.data(`mutation($id: ID!) { updateCustomer(id: $id, input: { phone: null }) { id } }`, {
      id: customer.id,
    });
    await delivered();
    expect(await intake(store, asCustomer(customer.id))).toEqual(ACCEPTED);
    await remove(entry);
  });

  it('fails only the blacklisted rows of an import, naming their fields', async () => {
    const customer = await store.createCustomer({ phone: '+905330001122' });
    const entry = await add({ phone: '+905330001122', email: 'import@example.com' });
    const { importOrders } = await store.data(IMPORT, {
      orders: [
        asGuest({ phone: '+905551234567' }),
        asGuest({ phone: '0090 533 000 11 22' }),
        asCustomer(customer.id),
        asGuest({ email: 'Import@Example.com' }),
      ],
    });
    expect(importOrders).toMatchObject({ recorded: 1, failed: 3 });
    expect(importOrders.rows.map((row: any) => row.status)).toEqual(['RECORDED', 'FAILED', 'FAILED', 'FAILED']);
    expect(importOrders.errors).toEqual([
      { index: 1, field: 'orders.1.guest.phone', code: 'CUSTOMER_BLACKLISTED' },
      { index: 2, field: 'orders.2.customerId', code: 'CUSTOMER_BLACKLISTED' },
      { index: 3, field: 'orders.3.guest.email', code: 'CUSTOMER_BLACKLISTED' },
    ]);
    await remove(entry);
  });

  it('keeps refusing a blocked customer with CUSTOMER_BLOCKED', async () => {
    const customer = await store.createCustomer({ phone: '+905329998877' });
    const entry = await add({ phone: '+905329998877' });
    await store.data(`mutation($id: ID!) { updateCustomer(id: $id, input: { status: BLOCKED }) { id } }`, {
      id: customer.id,
    });
    await delivered();
    expect((await intake(store, asCustomer(customer.id))).code).toBe('CUSTOMER_BLOCKED');
    await remove(entry);
    expect((await intake(store, asCustomer(customer.id))).code).toBe('CUSTOMER_BLOCKED');
  });

  it('holds only hashes, and a redelivered or replayed event changes nothing', async () => {
    const entry = await add({ phone: '+905321234568', email: 'hash@example.com' });
    const [row] = await sql()`select * from commerce_history.blacklisted_contacts
      where store_id = ${store.id} and entry_id = ${entry}`;
    expect(row).toMatchObject({ active: true, phone_hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const everything = JSON.stringify([
      await sql()`select * from commerce_history.blacklisted_contacts`,
      await sql()`select * from commerce_history.customer_contacts`,
    ]);
    expect(everything).not.toContain('905321234568');
    expect(everything).not.toContain('hash@example.com');

    await remove(entry);
    const events = await outboxEvents(graph, 'customer', { type: 'blacklist.changed', storeId: store.id });
    const [added, removed] = events.filter((event) => event.payload.entryId === entry);
    const consumer = commerceHistorySubgraph.events!.consumer!;
    const db = graph.graph.subgraphs['commerce-history']!.db;
    // A redelivery is recognised; a replay of the older event under another id leaves the newer state.
    expect(await applyEvent(db, consumer, removed!)).toBe(false);
    await applyEvent(db, consumer, { ...added!, id: randomUUID() });
    const [after] = await sql()`select active from commerce_history.blacklisted_contacts
      where store_id = ${store.id} and entry_id = ${entry}`;
    expect(after!.active).toBe(false);
    expect(await intake(store, asGuest({ phone: '+905321234568' }))).toEqual(ACCEPTED);
  });

  it('survives the erasure of the customer whose phone it names, and still refuses that phone', async () => {
    const customer = await store.createCustomer({ phone: '+905551112233', email: 'erased@example.com' });
    const entry = await add({ phone: '+90 555 111 22 33', note: 'Fake orders from this number' });
    await store.data(`mutation($id: ID!) { eraseCustomer(id: $id) { id } }`, { id: customer.id });
    await delivered();
    const { blacklist } = await store.data(
      `query { blacklist(first: 10, search: "+905551112233") { edges { node { id phone note } } } }`,
    );
    expect(blacklist.edges).toEqual([
      { node: { id: entry, phone: '+905551112233', note: 'Fake orders from this number' } },
    ]);
    const [row] = await sql()`select active from commerce_history.blacklisted_contacts
      where store_id = ${store.id} and entry_id = ${entry}`;
    expect(row!.active).toBe(true);
    expect(await intake(store, asGuest({ phone: '+905551112233' }))).toEqual(refused('input.guest.phone'));
    // The erased customer's own hashes went with them.
    const contacts = await sql()`select 1 from commerce_history.customer_contacts
      where store_id = ${store.id} and customer_id = ${customer.id}`;
    expect(contacts).toHaveLength(0);
    await remove(entry);
  });
});
