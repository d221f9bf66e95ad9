import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, outboxEvents, startTestGraph, type TestGraph, type TestStore } from '@cg/testing';
import { applyEvent } from '@cg/events';
import { engagementSubgraph, type EngagementDb } from '../index.ts';
import { storeTimeZone } from './store-settings.service.ts';

const UPDATE = /* GraphQL */ `
  mutation Update($input: UpdateStoreInput!) {
    updateStore(input: $input) {
      timeZone
    }
  }
`;

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.close());

const engagementDb = () => graph.graph.subgraphs.engagement!.db.orm as unknown as EngagementDb;
const zoneOf = (store: TestStore) => storeTimeZone(engagementDb(), store.id);
const setZone = (store: TestStore, timeZone: string) => store.data(UPDATE, { input: { timeZone } });
const settingsEvents = (store: TestStore) =>
  outboxEvents(graph, 'customer', { type: 'store.settings_changed', storeId: store.id });

describe("engagement's copy of the store time zone (T1)", () => {
  it('is UTC for a store it has not heard of', async () => {
    expect(await storeTimeZone(engagementDb(), randomUUID())).toBe('UTC');
  });

  it('learns the zone a store is created in, and each change, once delivered', async () => {
    const store = await graph.createStore(undefined, { timeZone: 'Europe/Istanbul' });
    await eventually(async () => expect(await zoneOf(store)).toBe('Europe/Istanbul'));
    await setZone(store, 'America/New_York');
    await eventually(async () => expect(await zoneOf(store)).toBe('America/New_York'));
  });

  it('keeps the newest: an older event redelivered, or replayed under another id, changes nothing', async () => {
    const store = await graph.createStore(undefined, { timeZone: 'Europe/Istanbul' });
    await setZone(store, 'Asia/Tokyo');
    await eventually(async () => expect(await graph.undelivered()).toBe(0));
    expect(await zoneOf(store)).toBe('Asia/Tokyo');
    const [created, changed] = await settingsEvents(store);
    expect(created!.payload.timeZone).toBe('Europe/Istanbul');
    const consumer = engagementSubgraph.events!.consumer!;
    const engagement = graph.graph.subgraphs.engagement!.db;
    // The same event again is recognised by its id; the older one under a new id (a replay, or a
    // delivery that overtook it) by its outbox position.
    expect(await applyEvent(engagement, consumer, created!)).toBe(false);
    expect(await applyEvent(engagement, consumer, { ...created!, id: randomUUID() })).toBe(true);
    expect(await zoneOf(store)).toBe('Asia/Tokyo');
    // Delivered out of order from the start: the newer one first, then the older.
    await engagement.sql`delete from engagement.store_settings where store_id = ${store.id}`;
    await applyEvent(engagement, consumer, { ...changed!, id: randomUUID() });
    await applyEvent(engagement, consumer, { ...created!, id: randomUUID() });
    expect(await zoneOf(store)).toBe('Asia/Tokyo');
  });

  it("brings stores from before the event in with the customer subgraph's backfill migration", async () => {
    const store = await graph.createStore(undefined, { timeZone: 'Australia/Sydney' });
    await eventually(async () => expect(await zoneOf(store)).toBe('Australia/Sydney'));
    // As engagement was before it kept store settings.
    const engagement = graph.graph.subgraphs.engagement!.db;
    await engagement.sql`delete from engagement.store_settings where store_id = ${store.id}`;
    expect(await zoneOf(store)).toBe('UTC');
    const migration = new URL('../../../customer/src/db/migrations/0018_store_settings_backfill.sql', import.meta.url);
    await graph.graph.subgraphs.customer.db.sql.unsafe(readFileSync(migration, 'utf8'));
    await eventually(async () => expect(await zoneOf(store)).toBe('Australia/Sydney'));
  });
});
