import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '@cg/auth';
import { DELETED_CUSTOMER } from '@cg/subgraph';
import { eventually, startTestGraph, type GraphQLResponse, type TestGraph, type TestStore } from '@cg/testing';
import type { CustomerDb } from '../context.ts';
import { eraseExpiredDeletions, RETENTION_ACTOR } from './deletion.schedule.ts';
import { ALREADY_DELETED, NOT_DELETED, RETENTION_PASSED } from './deletion.service.ts';

const PROFILE = 'id firstName email phone status erasedAt deletedAt restorableUntil';
const DELETE = `mutation($id: ID!) { deleteCustomer(id: $id) { ${PROFILE} } }`;
const RESTORE = `mutation($id: ID!) { restoreCustomer(id: $id) { ${PROFILE} } }`;
const CUSTOMER = `query($id: ID!) { customer(id: $id) { ${PROFILE} } }`;
const LIST = /* GraphQL */ `
  query ($filter: CustomerFilter) {
    customers(first: 50, filter: $filter) {
      totalCount
      edges {
        node {
          id
        }
      }
    }
  }
`;
const COUNTS = /* GraphQL */ `
  query ($segment: ID!) {
    customerStatistics {
      totalCustomers
    }
    segment(id: $segment) {
      memberCount
      members(first: 10) {
        edges {
          node {
            id
          }
        }
      }
    }
  }
`;
const TIMELINE = /* GraphQL */ `
  query ($id: ID!) {
    customer(id: $id) {
      timeline(first: 10, kinds: [STATUS_CHANGED]) {
        edges {
          node {
            summary
            actor
          }
        }
      }
    }
  }
`;

let graph: TestGraph;
let db: CustomerDb;

beforeAll(async () => {
  graph = await startTestGraph();
  db = graph.graph.subgraphs.customer.db.orm as unknown as CustomerDb;
});
afterAll(() => graph?.close());

const sql = () => graph.graph.subgraphs.customer.db.sql;
const codes = (response: GraphQLResponse) => (response.errors ?? []).map((error) => error.extensions?.code);
const listed = async (store: TestStore, filter: Record<string, unknown> = {}) =>
  (await store.data(LIST, { filter })).customers.edges.map((edge: any) => edge.node.id as string);

/** The audit entries the customer's mutations recorded with `action`, as their outbox has them. */
const audited = async (id: string, action: string) =>
  (
    await sql()`select payload from customer.outbox
      where type = 'audit.recorded' and customer_id = ${id} and payload->>'action' = ${action}`
  ).map((event) => event.payload);

/** Moves a deletion back in time, as if it had been made `days` days ago. */
const deletedDaysAgo = (id: string, days: number) => sql()`
  update customer.customers
  set deleted_at = deleted_at - make_interval(days => ${days}::int),
    restorable_until = restorable_until - make_interval(days => ${days}::int)
  where id = ${id}`;

describe('deleting a customer (C5)', () => {
  it('takes them out of the list, search, segments and counts, and staff can still read them', async () => {
    const store = await graph.createStore();
    const { createSegment } = await store.data(
      `mutation { createSegment(input: { name: "Active", rules: [{ kind: STATUS, status: [ACTIVE] }] }) { id } }`,
    );
    const kept = await store.createCustomer({ firstName: 'Kept', email: 'kept@delete.example' });
    const gone = await store.createCustomer({
      firstName: 'Gone',
      email: 'gone@delete.example',
      phone: '+905321110001',
    });
    const before = await store.data(COUNTS, { segment: createSegment.id });
    expect([before.customerStatistics.totalCustomers, before.segment.memberCount]).toEqual([2, 2]);

    const { deleteCustomer } = await store.data(DELETE, { id: gone.id });
    expect(deleteCustomer).toMatchObject({ id: gone.id, status: 'ACTIVE', email: 'gone@delete.example' });
    const deletedAt = new Date(deleteCustomer.deletedAt).getTime();
    expect(new Date(deleteCustomer.restorableUntil).getTime() - deletedAt).toBe(30 * 86_400_000);

    expect(await listed(store)).toEqual([kept.id]);
    expect(await listed(store, { search: 'gone' })).toEqual([]);
    expect(await listed(store, { search: '+90532111' })).toEqual([]);
    expect(await listed(store, { deleted: true })).toEqual([gone.id]);
    const after = await store.data(COUNTS, { segment: createSegment.id });
    expect(after.customerStatistics.totalCustomers).toBe(1);
    expect(after.segment.memberCount).toBe(1);
    expect(after.segment.members.edges.map((edge: any) => edge.node.id)).toEqual([kept.id]);

    // Staff still find the profile by id, to restore it; the timeline shows who deleted it.
    expect((await store.data(CUSTOMER, { id: gone.id })).customer).toMatchObject({
      id: gone.id,
      deletedAt: deleteCustomer.deletedAt,
      restorableUntil: deleteCustomer.restorableUntil,
    });
    const { customer } = await store.data(TIMELINE, { id: gone.id });
    expect(customer.timeline.edges[0].node).toEqual({
      summary: `Deleted; restorable until ${deleteCustomer.restorableUntil.slice(0, 10)}`,
      actor: store.ownerId,
    });
    // Edits wait for a restore: the other subgraphs hold the profile as deleted.
    const edit = await store.request(
      `mutation($id: ID!) { updateCustomer(id: $id, input: { status: BLOCKED }) { id } }`,
      {
        id: gone.id,
      },
    );
    expect(codes(edit)).toEqual(['CONFLICT']);
    expect((await store.data(CUSTOMER, { id: gone.id })).customer.status).toBe('ACTIVE');
  });

  it('frees the email and phone for a new registration, and the restore gives them back', async () => {
    const store = await graph.createStore();
    const contact = { email: 'Reuse@Delete.example', phone: '+905321110002' };
    const first = await store.createCustomer({ firstName: 'First', ...contact });
    await store.data(DELETE, { id: first.id });
    const second = await store.createCustomer({ firstName: 'Second', ...contact });
    expect(second.id).not.toBe(first.id);
    expect(await listed(store)).toEqual([second.id]);

    // The contact is the new profile's now: the deleted one cannot take it back.
    const refused = await store.request(RESTORE, { id: first.id });
    expect(codes(refused)).toEqual(['CONFLICT']);
    expect(refused.errors![0]!.extensions!.fields).toEqual([
      { field: 'email', message: 'is used by another customer' },
    ]);
    expect((await store.data(CUSTOMER, { id: first.id })).customer.deletedAt).not.toBeNull();

    // Once the second is deleted too, the first comes back; then the second cannot.
    await store.data(DELETE, { id: second.id });
    const { restoreCustomer } = await store.data(RESTORE, { id: first.id });
    expect(restoreCustomer).toMatchObject({ id: first.id, deletedAt: null, restorableUntil: null, ...contact });
    expect(await listed(store)).toEqual([first.id]);
    expect(await listed(store, { search: 'reuse@' })).toEqual([first.id]);
    expect(codes(await store.request(RESTORE, { id: second.id }))).toEqual(['CONFLICT']);
    const taken = await store.request(
      `mutation { createCustomer(input: { firstName: "Third", lastName: "Taken", email: "reuse@delete.example" }) { id } }`,
    );
    expect(codes(taken)).toEqual(['CONFLICT']);

    const restores = await audited(first.id, 'customer.restore');
    expect(restores).toHaveLength(1);
    expect(restores[0]).toMatchObject({ actorId: store.ownerId, after: { deletedAt: null, restorableUntil: null } });
  });

  it('names the phone when that is what another profile took', async () => {
    const store = await graph.createStore();
    const deleted = await store.createCustomer({ email: 'phone-owner@delete.example', phone: '+905321110003' });
    await store.data(DELETE, { id: deleted.id });
    await store.createCustomer({ email: 'someone-else@delete.example', phone: '+905321110003' });
    const refused = await store.request(RESTORE, { id: deleted.id });
    expect(codes(refused)).toEqual(['CONFLICT']);
    expect(refused.errors![0]!.extensions!.fields).toEqual([
      { field: 'phone', message: 'is used by another customer' },
    ]);
  });

  it('keeps the registration of one email at a time with the database, deleted profiles aside', async () => {
    const store = await graph.createStore();
    const old = await store.createCustomer({ email: 'race@delete.example' });
    await store.data(DELETE, { id: old.id });
    const attempts = await Promise.all(
      Array.from({ length: 4 }, (_, index) =>
        store.request(`mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`, {
          input: { firstName: `Racer${index}`, lastName: 'Race', email: 'race@delete.example' },
        }),
      ),
    );
    expect(attempts.filter((attempt) => attempt.data?.createCustomer).length).toBe(1);
    expect(attempts.flatMap(codes).sort()).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT']);
    const { live } = (
      await sql()`select count(*)::int as live from customer.customers
      where store_id = ${store.id} and lower(email) = 'race@delete.example' and deleted_at is null`
    )[0]!;
    expect(live).toBe(1);
    // A restore racing a registration of the same email: one of them has it.
    const other = await store.createCustomer({ email: 'race2@delete.example' });
    await store.data(DELETE, { id: other.id });
    const [restore, register] = await Promise.all([
      store.request(RESTORE, { id: other.id }),
      store.request(
        `mutation { createCustomer(input: { firstName: "Late", lastName: "Racer", email: "race2@delete.example" }) { id } }`,
      ),
    ]);
    expect([restore, register].filter((response) => response.errors).map(codes)).toEqual([['CONFLICT']]);
  });

  it('deletes once when asked twice at once, and refuses bad input changing nothing', async () => {
    const store = await graph.createStore();
    const { id } = await store.createCustomer();
    const twice = await Promise.all([store.request(DELETE, { id }), store.request(DELETE, { id })]);
    expect(twice.filter((response) => response.data?.deleteCustomer).length).toBe(1);
    const refused = twice.find((response) => response.errors)!;
    expect(codes(refused)).toEqual(['CONFLICT']);
    expect(refused.errors![0]!.message).toBe(ALREADY_DELETED);
    expect(await audited(id, 'customer.delete')).toHaveLength(1);
    const { deleted } = (
      await sql()`select count(*)::int as deleted from customer.outbox
      where type = 'customer.deleted' and customer_id = ${id}`
    )[0]!;
    expect(deleted).toBe(1);

    const unknown = '00000000-0000-4000-8000-000000000000';
    expect(codes(await store.request(DELETE, { id: unknown }))).toEqual(['NOT_FOUND']);
    expect(codes(await store.request(RESTORE, { id: unknown }))).toEqual(['NOT_FOUND']);
    expect(codes(await store.request(DELETE, { id: 'not-an-id' }))).toEqual(['BAD_USER_INPUT']);
    // Another store's customer is not found from here.
    const elsewhere = await graph.createStore();
    expect(codes(await elsewhere.request(DELETE, { id }))).toEqual(['NOT_FOUND']);
    expect(codes(await elsewhere.request(RESTORE, { id }))).toEqual(['NOT_FOUND']);

    const live = await store.createCustomer();
    const notDeleted = await store.request(RESTORE, { id: live.id });
    expect(codes(notDeleted)).toEqual(['CONFLICT']);
    expect(notDeleted.errors![0]!.message).toBe(NOT_DELETED);

    const erased = await store.createCustomer();
    await store.data(`mutation($id: ID!) { eraseCustomer(id: $id) { id } }`, { id: erased.id });
    expect(codes(await store.request(DELETE, { id: erased.id }))).toEqual(['CONFLICT']);
    expect((await store.data(CUSTOMER, { id: erased.id })).customer.deletedAt).toBeNull();

    // A viewer may not delete; a manager may.
    const viewer = await store.staff('viewer-delete', 'VIEWER');
    const byViewer = await graph.request(DELETE, { id: live.id }, { token: viewer });
    expect(codes(byViewer)).toEqual(['FORBIDDEN']);
    expect((await store.data(CUSTOMER, { id: live.id })).customer.deletedAt).toBeNull();
  });

  it('is refused after the retention window, which the store sets', async () => {
    const store = await graph.createStore();
    const bad = await store.request(`mutation { updateStore(input: { deletedCustomerRetentionDays: 0 }) { id } }`);
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(bad.errors![0]!.extensions!.fields.map((field: any) => field.field)).toEqual([
      'input.deletedCustomerRetentionDays',
    ]);
    const { updateStore } = await store.data(
      `mutation { updateStore(input: { deletedCustomerRetentionDays: 7 }) { deletedCustomerRetentionDays } }`,
    );
    expect(updateStore.deletedCustomerRetentionDays).toBe(7);

    const { id } = await store.createCustomer();
    const { deleteCustomer } = await store.data(DELETE, { id });
    const window = new Date(deleteCustomer.restorableUntil).getTime() - new Date(deleteCustomer.deletedAt).getTime();
    expect(window).toBe(7 * 86_400_000);

    await deletedDaysAgo(id, 8);
    const late = await store.request(RESTORE, { id });
    expect(codes(late)).toEqual(['CONFLICT']);
    expect(late.errors![0]!.message).toBe(RETENTION_PASSED);
    expect((await store.data(CUSTOMER, { id })).customer.deletedAt).not.toBeNull();
    expect(await audited(id, 'customer.restore')).toEqual([]);
  });
});

describe('the retention task (C5)', () => {
  it('erases a deleted profile once its window has passed, as eraseCustomer does, once', async () => {
    const store = await graph.createStore();
    const due = await store.createCustomer({ firstName: 'Due', email: 'due@delete.example', phone: '+905321110004' });
    const restored = await store.createCustomer({ firstName: 'Restored', email: 'restored@delete.example' });
    const live = await store.createCustomer({ firstName: 'Live' });
    await store.data(
      `mutation($id: ID!) { addAddress(customerId: $id, input: { kind: DELIVERY, recipient: "Due", line1: "1 Gone St", city: "Leeds", country: "GB" }) { id } }`,
      { id: due.id },
    );
    await store.data(DELETE, { id: due.id });
    await store.data(DELETE, { id: restored.id });
    await store.data(RESTORE, { id: restored.id });

    // A day before the window ends nothing happens to it; a day after, it is erased, however
    // many runs (and processes) there are. (The task covers every store: other tests' deletions
    // may be due too.)
    const day = 86_400_000;
    await eraseExpiredDeletions(db, new Date(Date.now() + 29 * day));
    expect((await store.data(CUSTOMER, { id: due.id })).customer).toMatchObject({ erasedAt: null, firstName: 'Due' });
    const later = new Date(Date.now() + 31 * day);
    const runs = await Promise.all([eraseExpiredDeletions(db, later), eraseExpiredDeletions(db, later)]);
    expect(runs.reduce((sum, count) => sum + count, 0)).toBeGreaterThanOrEqual(1);
    expect(await eraseExpiredDeletions(db, later)).toBe(0);

    const { customer } = await store.data(CUSTOMER, { id: due.id });
    expect(customer).toMatchObject({ firstName: 'Erased', email: null, phone: null, status: 'BLOCKED' });
    expect(customer.erasedAt).not.toBeNull();
    expect(customer.deletedAt).not.toBeNull();
    const { addresses } = (
      await sql()`select count(*)::int as addresses from customer.addresses where customer_id = ${due.id}`
    )[0]!;
    expect(addresses).toBe(0);
    const erasures = await audited(due.id, 'customer.erase');
    expect(erasures).toHaveLength(1);
    expect(erasures[0]).toMatchObject({ actorKind: 'staff', actorId: RETENTION_ACTOR });
    const { erased } = (
      await sql()`select count(*)::int as erased from customer.outbox
      where type = 'customer.erased' and customer_id = ${due.id}`
    )[0]!;
    expect(erased).toBe(1);
    for (const id of [restored.id, live.id]) {
      expect((await store.data(CUSTOMER, { id })).customer.erasedAt).toBeNull();
    }
    // Erased, it stays out of the lists, and restoring it is refused.
    expect((await listed(store)).sort()).toEqual([restored.id, live.id].sort());
    expect(codes(await store.request(RESTORE, { id: due.id }))).toEqual(['CONFLICT']);
    await eventually(async () => expect(await graph.undelivered()).toBe(0));
  });
});

describe('the other subgraphs (C5)', () => {
  it('refuse orders for a deleted customer until the restore', async () => {
    const store = await graph.createStore();
    const { id } = await store.createCustomer();
    await store.recordOrder({ customerId: id });
    await store.data(DELETE, { id });
    await eventually(async () => expect(await graph.undelivered()).toBe(0));
    const order = `mutation($input: RecordOrderInput!) { recordOrder(input: $input) { id } }`;
    const input = {
      number: 'DEL0000001',
      channel: 'WEB',
      currency: store.currency,
      customerId: id,
      items: [{ productId: 'p', name: 'Product', quantity: 1, unitPrice: 1000 }],
    };
    const refused = await store.request(order, { input });
    expect(codes(refused)).toEqual(['CONFLICT']);
    expect(refused.errors![0]!.message).toBe(DELETED_CUSTOMER);
    // Nor does the customer find their profile with their own token.
    const token = await signToken({ kind: 'customer', userId: id, storeId: store.id });
    expect((await graph.request(`{ me { id } }`, {}, { token })).data?.me).toBeNull();
    await store.data(RESTORE, { id });
    expect((await graph.request(`{ me { id } }`, {}, { token })).data?.me).toEqual({ id });
    await eventually(async () => expect(await graph.undelivered()).toBe(0));
    expect((await store.data(order, { input })).recordOrder.id).toBeTruthy();
  });
});
