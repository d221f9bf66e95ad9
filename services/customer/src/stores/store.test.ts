import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, outboxEvents, startTestGraph, type TestGraph, type TestStore } from '@cg/testing';

const CURRENT = /* GraphQL */ `
  query {
    currentStore {
      id
      name
      timeZone
    }
  }
`;
const UPDATE = /* GraphQL */ `
  mutation Update($input: UpdateStoreInput!) {
    updateStore(input: $input) {
      id
      name
      timeZone
    }
  }
`;

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.close());

const settingsEvents = (store: TestStore) =>
  outboxEvents(graph, 'customer', { type: 'store.settings_changed', storeId: store.id });
const current = async (store: TestStore) =>
  (await store.data<{ currentStore: { id: string; name: string; timeZone: string } }>(CURRENT)).currentStore;

describe('the store time zone (T1)', () => {
  it('is UTC unless the store is created in another, and each is announced', async () => {
    const utc = await graph.createStore();
    const istanbul = await graph.createStore(undefined, { timeZone: 'Europe/Istanbul' });
    expect((await current(utc)).timeZone).toBe('UTC');
    expect((await current(istanbul)).timeZone).toBe('Europe/Istanbul');
    expect((await settingsEvents(istanbul)).map((event) => [event.customerId, event.payload])).toEqual([
      [null, { timeZone: 'Europe/Istanbul' }],
    ]);
  });

  it('is set by updateStore and visible as Store.timeZone, announced once per change', async () => {
    const store = await graph.createStore();
    const { updateStore } = await store.data<{ updateStore: { timeZone: string } }>(UPDATE, {
      input: { timeZone: 'America/New_York' },
    });
    expect(updateStore).toEqual({ id: store.id, name: store.name, timeZone: 'America/New_York' });
    expect(await current(store)).toEqual({ id: store.id, name: store.name, timeZone: 'America/New_York' });
    // A rename alone, or the same zone again, announces nothing new.
    await store.data(UPDATE, { input: { storeId: store.id, name: 'Renamed', timeZone: 'America/New_York' } });
    expect(await current(store)).toEqual({ id: store.id, name: 'Renamed', timeZone: 'America/New_York' });
    expect((await settingsEvents(store)).map((event) => event.payload.timeZone)).toEqual(['UTC', 'America/New_York']);
  });

  it.each(['Mars/Phobos', 'europe/istanbul', 'EST', '+03:00', ''])(
    'refuses %j as BAD_USER_INPUT on input.timeZone, and changes nothing',
    async (timeZone) => {
      const store = await graph.createStore(undefined, { timeZone: 'Europe/Istanbul' });
      const response = await store.request(UPDATE, { input: { name: 'Not renamed', timeZone } });
      expect(response.data).toBeNull();
      expect(response.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        fields: [expect.objectContaining({ field: 'input.timeZone' })],
      });
      expect(await current(store)).toEqual({ id: store.id, name: store.name, timeZone: 'Europe/Istanbul' });
      expect(await settingsEvents(store)).toHaveLength(1);
    },
  );

  it("is the owner's to change: a manager is refused, and another store is not found", async () => {
    const store = await graph.createStore();
    const manager = await store.staff(randomUUID(), 'MANAGER');
    const refused = await graph.request(UPDATE, { input: { timeZone: 'Asia/Tokyo' } }, { token: manager });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const other = await graph.createStore();
    const elsewhere = await store.request(UPDATE, { input: { storeId: other.id, timeZone: 'Asia/Tokyo' } });
    expect(elsewhere.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await current(store)).timeZone).toBe('UTC');
    expect((await current(other)).timeZone).toBe('UTC');
  });

  it('records the change in the audit log (X5)', async () => {
    const store = await graph.createStore();
    await store.data(UPDATE, { input: { timeZone: 'Asia/Kolkata' } });
    await eventually(async () => {
      const { auditLog } = await store.data<{ auditLog: { edges: { node: Record<string, unknown> }[] } }>(
        `{ auditLog(first: 10) { edges { node { action entityType entityId before after } } } }`,
      );
      expect(auditLog.edges.map((edge) => edge.node)).toContainEqual({
        action: 'store.update',
        entityType: 'Store',
        entityId: store.id,
        before: { timeZone: 'UTC' },
        after: { timeZone: 'Asia/Kolkata' },
      });
    });
  });
});
