import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { eventually, outboxEvents, startTestGraph, type TestGraph, type TestStore } from '@cg/testing';

const ENTRY = /* GraphQL */ `
  fragment Entry on BlacklistEntry {
    id
    phone
    email
    reason
    note
    createdBy
    createdAt
    updatedBy
    updatedAt
  }
`;
const ADD = /* GraphQL */ `
  mutation ($input: AddBlacklistEntryInput!) {
    addBlacklistEntry(input: $input) {
      ...Entry
    }
  }
  ${ENTRY}
`;
const UPDATE = /* GraphQL */ `
  mutation ($id: ID!, $input: UpdateBlacklistEntryInput!) {
    updateBlacklistEntry(id: $id, input: $input) {
      ...Entry
    }
  }
  ${ENTRY}
`;
const REMOVE = /* GraphQL */ `
  mutation ($id: ID!) {
    removeBlacklistEntry(id: $id) {
      id
      phone
    }
  }
`;
const LIST = /* GraphQL */ `
  query ($search: String, $reason: BlacklistReason, $first: Int, $after: String) {
    blacklist(search: $search, reason: $reason, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          phone
          email
          reason
          note
        }
      }
    }
  }
`;
const AUDIT = /* GraphQL */ `
  query ($action: String!) {
    auditLog(first: 10, filter: { action: $action }) {
      edges {
        node {
          action
          entityType
          entityId
          before
          after
        }
      }
    }
  }
`;

let graph: TestGraph;
let store: TestStore;
let other: TestStore;

beforeAll(async () => {
  graph = await startTestGraph();
  store = await graph.createStore('Blacklist store');
  other = await graph.createStore('Other blacklist store');
});
afterAll(() => graph?.close());

const add = async (on: TestStore, input: Record<string, unknown>) => (await on.data(ADD, { input })).addBlacklistEntry;
const listed = async (variables: Record<string, unknown> = {}, on: TestStore = store) =>
  (await on.data(LIST, { first: 50, ...variables })).blacklist;
const phonesOf = (connection: any) => connection.edges.map((edge: any) => edge.node.phone ?? edge.node.email).sort();
/** The audit log's entries of an action, once the audit events are applied. */
const audited = async (action: string) => {
  await eventually(async () => expect(await graph.undelivered()).toBe(0));
  return (await store.data(AUDIT, { action })).auditLog;
};
const rowsIn = async (storeId: string) =>
  graph.graph.subgraphs.customer!.db.sql`select * from customer.blacklist_entries where store_id = ${storeId}`;

describe('the blacklist (C14)', () => {
  it('adds an entry by phone, normalised to E.164, with who and when, audited and announced as hashes', async () => {
    const entry = await add(store, { phone: '+90 532 123 45 67', reason: 'FREQUENT_ORDER_REFUSAL', note: 'Refused 3' });
    expect(entry).toMatchObject({
      phone: '+905321234567',
      email: null,
      reason: 'FREQUENT_ORDER_REFUSAL',
      note: 'Refused 3',
    });
    expect(entry.createdBy).toBe(entry.updatedBy);
    expect(entry.createdAt).toBe(entry.updatedAt);

    const auditLog = await audited('blacklist.add');
    expect(auditLog.edges[0].node).toMatchObject({
      entityType: 'BlacklistEntry',
      entityId: entry.id,
      before: null,
      after: { phone: '+905321234567', reason: 'frequent_order_refusal', note: 'Refused 3' },
    });

    const [event] = await outboxEvents(graph, 'customer', { type: 'blacklist.changed', storeId: store.id });
    expect(event!.customerId).toBeNull();
    expect(event!.payload).toEqual({
      entryId: entry.id,
      phoneHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      emailHash: null,
      active: true,
    });
    // Nothing of the contact in clear leaves the subgraph.
    expect(JSON.stringify(event!.payload)).not.toContain('5321234567');
  });

  it('adds by email (trimmed, lower-cased) or by both, and refuses a contact the store has already', async () => {
    const byEmail = await add(store, { email: '  Fraud@Example.COM ', reason: 'RETURN_ABUSE_OR_FRAUD' });
    expect(byEmail).toMatchObject({ email: 'fraud@example.com', phone: null, note: null });
    const both = await add(store, { phone: '00442079460555', email: 'both@example.com', reason: 'FAKE_ORDERS' });
    expect(both).toMatchObject({ phone: '+442079460555', email: 'both@example.com' });

    // The same number in another spelling, the same email in another case.
    const phone = await store.request(ADD, { input: { phone: '00905321234567', reason: 'OTHER' } });
    expect(phone.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'PHONE_BLACKLISTED',
      field: 'input.phone',
    });
    const email = await store.request(ADD, { input: { email: 'FRAUD@example.com', reason: 'OTHER' } });
    expect(email.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'EMAIL_BLACKLISTED',
      field: 'input.email',
    });
    // Another store's blacklist is its own.
    expect((await add(other, { phone: '+905321234567', reason: 'OTHER' })).phone).toBe('+905321234567');
    expect(await rowsIn(store.id)).toHaveLength(3);
  });

  it('refuses bad input naming the field, and changes nothing', async () => {
    const before = await rowsIn(store.id);
    const cases: [Record<string, unknown>, string][] = [
      [{ phone: '12345', reason: 'OTHER' }, 'input.phone'],
      [{ phone: '+90 532', reason: 'OTHER' }, 'input.phone'],
      [{ email: 'not-an-email', reason: 'OTHER' }, 'input.email'],
      [{ reason: 'OTHER', note: 'no contact' }, 'input.phone'],
      [{ phone: '', email: null, reason: 'OTHER' }, 'input.phone'],
      [{ phone: '+905329998877', reason: 'OTHER', note: 'x'.repeat(1001) }, 'input.note'],
    ];
    for (const [input, field] of cases) {
      const response = await store.request(ADD, { input });
      expect(response.errors?.[0]?.extensions?.code, JSON.stringify(input)).toBe('BAD_USER_INPUT');
      expect(response.errors?.[0]?.extensions?.fields, JSON.stringify(input)).toEqual([
        expect.objectContaining({ field }),
      ]);
    }
    const [entry] = (await listed({ search: '+905321234567' })).edges;
    const update = await store.request(UPDATE, { id: entry.node.id, input: { phone: null } });
    expect(update.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'input.phone' }],
    });
    const badPhone = await store.request(UPDATE, { id: entry.node.id, input: { phone: 'call me' } });
    expect(badPhone.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'input.phone' }],
    });
    expect(await rowsIn(store.id)).toEqual(before);
  });

  it('edits an entry: contact, reason and note, with who and when, audited', async () => {
    const entry = await add(store, { phone: '+90 533 000 11 22', reason: 'OTHER', note: 'First' });
    const editor = await store.staff(randomUUID(), {
      actions: ['CUSTOMERS_READ', 'CUSTOMERS_BLOCK', 'PERSONAL_DATA_READ'],
    });
    const response = await graph.request(
      UPDATE,
      {
        id: entry.id,
        input: { phone: '0090 533 000 11 23', email: 'Edited@Example.com', reason: 'FAKE_ORDERS', note: null },
      },
      { token: editor },
    );
    expect(response.errors).toBeUndefined();
    const updated = response.data!.updateBlacklistEntry;
    expect(updated).toMatchObject({
      id: entry.id,
      phone: '+905330001123',
      email: 'edited@example.com',
      reason: 'FAKE_ORDERS',
      note: null,
      createdBy: entry.createdBy,
      createdAt: entry.createdAt,
    });
    expect(updated.updatedBy).not.toBe(entry.createdBy);
    expect(new Date(updated.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(entry.updatedAt).getTime());

    const auditLog = await audited('blacklist.update');
    expect(auditLog.edges[0].node).toMatchObject({
      entityId: entry.id,
      before: { phone: '+905330001122', email: null, reason: 'other', note: 'First' },
      after: { phone: '+905330001123', email: 'edited@example.com', reason: 'fake_orders', note: null },
    });
    // Clearing the phone is allowed while the email stays.
    const cleared = await store.data(UPDATE, { id: entry.id, input: { phone: null } });
    expect(cleared.updateBlacklistEntry).toMatchObject({ phone: null, email: 'edited@example.com' });

    expect(
      (await store.request(UPDATE, { id: randomUUID(), input: { note: 'x' } })).errors?.[0]?.extensions?.code,
    ).toBe('NOT_FOUND');
    expect((await other.request(UPDATE, { id: entry.id, input: { note: 'x' } })).errors?.[0]?.extensions?.code).toBe(
      'NOT_FOUND',
    );
  });

  it('lists newest first and searches by phone in any spelling, email, note and reason', async () => {
    const all = await listed();
    expect(all.totalCount).toBe(4);
    expect(phonesOf(await listed({ search: '+90 532 123 45 67' }))).toEqual(['+905321234567']);
    expect(phonesOf(await listed({ search: '00905321234567' }))).toEqual(['+905321234567']);
    expect(phonesOf(await listed({ search: '+905321234567' }))).toEqual(['+905321234567']);
    // A prefix of the digits finds every number it starts.
    expect(phonesOf(await listed({ search: '+44 20' }))).toEqual(['+442079460555']);
    expect(phonesOf(await listed({ search: 'FRAUD@' }))).toEqual(['fraud@example.com']);
    expect(phonesOf(await listed({ search: 'refused' }))).toEqual(['+905321234567']);
    expect(phonesOf(await listed({ reason: 'FAKE_ORDERS' }))).toEqual(['+442079460555', 'edited@example.com']);
    expect((await listed({ search: 'nobody' })).totalCount).toBe(0);

    const page = await listed({ first: 3 });
    expect(page.pageInfo.hasNextPage).toBe(true);
    const rest = await listed({ first: 3, after: page.pageInfo.endCursor });
    expect([...page.edges, ...rest.edges].map((edge: any) => edge.node.id)).toEqual(
      all.edges.map((edge: any) => edge.node.id),
    );
    expect((await listed({}, other)).totalCount).toBe(1);
  });

  it('masks contacts, and does not search them, without PERSONAL_DATA_READ', async () => {
    const viewer = await store.staff(randomUUID(), 'VIEWER');
    const masked = await graph.request(LIST, { first: 50, search: '+905321234567' }, { token: viewer });
    expect(masked.data?.blacklist.totalCount).toBe(0);
    const notes = await graph.request(LIST, { first: 50, search: 'refused' }, { token: viewer });
    expect(notes.data?.blacklist.edges[0].node.phone).not.toBe('+905321234567');
    expect(notes.data?.blacklist.edges[0].node.note).toBe('Refused 3');
  });

  it('is FORBIDDEN to change without CUSTOMERS_BLOCK, and changes nothing', async () => {
    const before = await rowsIn(store.id);
    const [entry] = (await listed({ search: 'refused' })).edges;
    const editor = await store.staff(randomUUID(), {
      actions: ['CUSTOMERS_READ', 'CUSTOMERS_EDIT', 'PERSONAL_DATA_READ'],
    });
    for (const [query, variables] of [
      [ADD, { input: { phone: '+905329998877', reason: 'OTHER' } }],
      [UPDATE, { id: entry.node.id, input: { note: 'changed' } }],
      [REMOVE, { id: entry.node.id }],
    ] as const) {
      const response = await graph.request(query, variables, { token: editor });
      expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect(await rowsIn(store.id)).toEqual(before);
  });

  it('removes an entry, audited and announced as inactive', async () => {
    const [entry] = (await listed({ search: 'fraud@' })).edges;
    const { removeBlacklistEntry } = await store.data(REMOVE, { id: entry.node.id });
    expect(removeBlacklistEntry.id).toBe(entry.node.id);
    expect((await listed({ search: 'fraud@' })).totalCount).toBe(0);
    expect((await store.request(REMOVE, { id: entry.node.id })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const auditLog = await audited('blacklist.remove');
    expect(auditLog.edges[0].node).toMatchObject({ entityId: entry.node.id, after: null });
    const events = await outboxEvents(graph, 'customer', { type: 'blacklist.changed', storeId: store.id });
    expect(events.at(-1)!.payload).toMatchObject({ entryId: entry.node.id, active: false });
    // A removed contact may be added again.
    await add(store, { email: 'fraud@example.com', reason: 'OTHER' });
    await eventually(async () => expect(await graph.undelivered()).toBe(0));
  });
});
