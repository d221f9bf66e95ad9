import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEvent, type DomainEvent } from '@cg/events';
import { eventually, outboxEvents, startTestGraph, type TestGraph, type TestStore } from '@cg/testing';
import { customerSubgraph } from '../index.ts';

const ADJUST = /* GraphQL */ `
  mutation ($id: ID!, $points: Int!) {
    adjustLoyaltyPoints(input: { customerId: $id, points: $points, reason: "Goodwill" }) {
      loyalty {
        points
      }
    }
  }
`;

const LIST = /* GraphQL */ `
  query ($filter: CustomerFilter, $sort: CustomerSort) {
    customers(first: 20, filter: $filter, sort: $sort) {
      totalCount
      edges {
        node {
          id
          metrics {
            loyaltyPoints
            pendingLoyaltyPoints
          }
        }
      }
    }
  }
`;

const METRICS = /* GraphQL */ `
  query ($id: ID!) {
    customer(id: $id) {
      metrics {
        loyaltyPoints
        pendingLoyaltyPoints
      }
      loyalty {
        points
        pendingPoints
      }
    }
  }
`;

let graph: TestGraph;

beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.close());

async function newStore(): Promise<TestStore> {
  return graph.createStore(`Loyalty projection ${randomUUID().slice(0, 8)}`, { currency: 'EUR' });
}

const newCustomer = async (store: TestStore, name: string, extra: Record<string, unknown> = {}) =>
  (await store.createCustomer({ firstName: name, lastName: 'Points', ...extra })).id;

async function adjust(store: TestStore, id: string, points: number): Promise<void> {
  const response = await store.request(ADJUST, { id, points });
  expect(response.errors).toBeUndefined();
}

async function listed(store: TestStore, variables: Record<string, unknown>) {
  const { customers } = await store.data(LIST, variables);
  return {
    totalCount: customers.totalCount as number,
    rows: customers.edges.map((edge: any) => [edge.node.id, edge.node.metrics.loyaltyPoints]) as [string, number][],
  };
}

const byPoints = (direction: 'ASC' | 'DESC') => ({ sort: { field: 'LOYALTY_POINTS', direction } });

/** The engagement outbox's loyalty events of a customer, oldest first. */
function loyaltyEvents(customerId: string): Promise<DomainEvent<'loyalty.changed'>[]> {
  return outboxEvents(graph, 'engagement', { type: 'loyalty.changed', customerId });
}

const apply = (event: DomainEvent) =>
  applyEvent(graph.graph.subgraphs.customer.db, customerSubgraph.events!.consumer!, event);

describe('loyalty points in the metrics projection (E4, C7)', () => {
  it('follows adjustments into the list, its sort by points and its points range filter', async () => {
    const store = await newStore();
    const [ana, bora, cem, dila] = [
      await newCustomer(store, 'Ana'),
      await newCustomer(store, 'Bora'),
      await newCustomer(store, 'Cem'),
      await newCustomer(store, 'Dila'),
    ];
    await adjust(store, ana!, 300);
    await adjust(store, bora!, 100);
    await adjust(store, cem!, 500);
    await eventually(async () =>
      expect((await listed(store, byPoints('DESC'))).rows).toEqual([
        [cem, 500],
        [ana, 300],
        [bora, 100],
        [dila, 0],
      ]),
    );

    // Bora overtakes everybody; a deduction moves Cem down.
    await adjust(store, bora!, 450);
    await adjust(store, cem!, -250);
    await eventually(async () =>
      expect((await listed(store, byPoints('DESC'))).rows).toEqual([
        [bora, 550],
        [ana, 300],
        [cem, 250],
        [dila, 0],
      ]),
    );
    expect((await listed(store, byPoints('ASC'))).rows.map(([id]) => id)).toEqual([dila, cem, ana, bora]);

    // Both ends inclusive.
    expect(
      await listed(store, { filter: { minLoyaltyPoints: 250, maxLoyaltyPoints: 300 }, ...byPoints('DESC') }),
    ).toEqual({
      totalCount: 2,
      rows: [
        [ana, 300],
        [cem, 250],
      ],
    });
    expect((await listed(store, { filter: { minLoyaltyPoints: 301 } })).rows.map(([id]) => id)).toEqual([bora]);
    expect((await listed(store, { filter: { maxLoyaltyPoints: 0 } })).rows.map(([id]) => id)).toEqual([dila]);
  });

  it('refuses a negative points bound by name, with BAD_USER_INPUT', async () => {
    const store = await newStore();
    const response = await store.request(LIST, { filter: { minLoyaltyPoints: -1 } });
    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [expect.objectContaining({ field: 'filter.minLoyaltyPoints' })],
    });
  });

  it('shows pending points an order earned, as the loyalty section does', async () => {
    const store = await newStore();
    const program = await store.request(
      `mutation { updateLoyaltyProgram(input: { enabled: true, rate: { points: 1, perMinorUnits: 100 }, pendingDays: 14, signUpBonus: 0 }) { enabled } }`,
    );
    expect(program.errors).toBeUndefined();
    const id = await newCustomer(store, 'Eda');
    await store.recordOrder({ customerId: id, unitPrice: 4250 });
    await eventually(async () =>
      expect((await store.data(METRICS, { id })).customer).toEqual({
        metrics: { loyaltyPoints: 0, pendingLoyaltyPoints: 42 },
        loyalty: { points: 0, pendingPoints: 42 },
      }),
    );
  });

  it('keeps the latest figures when events are replayed, or arrive late and out of order', async () => {
    const store = await newStore();
    const id = await newCustomer(store, 'Ferhat');
    for (const points of [100, 20, -50]) await adjust(store, id, points);
    await eventually(async () => expect((await store.data(METRICS, { id })).customer.metrics.loyaltyPoints).toBe(70));
    const events = await loyaltyEvents(id);
    expect(events.map((event) => event.payload.points)).toEqual([100, 120, 70]);

    // The same events again: already applied, nothing changes.
    for (const event of events) expect(await apply(event)).toBe(false);
    // Older figures under new ids (as a producer's retry after a lost acknowledgement would be):
    // applied, yet older than what the projection holds.
    for (const event of [events[0]!, events[1]!]) expect(await apply({ ...event, id: randomUUID() })).toBe(true);
    expect((await store.data(METRICS, { id })).customer.metrics).toEqual({
      loyaltyPoints: 70,
      pendingLoyaltyPoints: 0,
    });

    // A projection that hears them newest first ends with the newest figures.
    await graph.graph.subgraphs.customer.db.sql`
      update customer.customer_metrics set loyalty_points = 0, loyalty_pending_points = 0, loyalty_event_seq = 0
      where customer_id = ${id}`;
    for (const event of [...events].reverse()) await apply({ ...event, id: randomUUID() });
    expect((await store.data(METRICS, { id })).customer.metrics).toEqual({
      loyaltyPoints: 70,
      pendingLoyaltyPoints: 0,
    });
  });

  it("brings accounts from before the event into the projection with engagement's backfill migration", async () => {
    const store = await newStore();
    const id = await newCustomer(store, 'Kaan');
    await adjust(store, id, 80);
    await eventually(async () => expect((await store.data(METRICS, { id })).customer.metrics.loyaltyPoints).toBe(80));
    // As the projection was before loyalty.changed existed.
    await graph.graph.subgraphs.customer.db.sql`
      update customer.customer_metrics set loyalty_points = 0, loyalty_pending_points = 0, loyalty_event_seq = 0
      where customer_id = ${id}`;
    const migration = new URL(
      '../../../engagement/src/db/migrations/0010_loyalty_changed_backfill.sql',
      import.meta.url,
    );
    await graph.graph.subgraphs.engagement!.db.sql.unsafe(readFileSync(migration, 'utf8'));
    await eventually(async () =>
      expect((await store.data(METRICS, { id })).customer.metrics).toEqual({
        loyaltyPoints: 80,
        pendingLoyaltyPoints: 0,
      }),
    );
  });
});

const TIER_LIST = /* GraphQL */ `
  query ($filter: CustomerFilter, $sort: CustomerSort) {
    customers(first: 20, filter: $filter, sort: $sort) {
      totalCount
      edges {
        node {
          id
          metrics {
            loyaltyPoints
            loyaltyTier
          }
        }
      }
    }
  }
`;

describe('the loyalty tier in the metrics projection (E3, C7)', () => {
  async function storeWithTiers(): Promise<TestStore> {
    const store = await newStore();
    const program = await store.request(
      `mutation { updateLoyaltyProgram(input: { enabled: true, rate: { points: 1, perMinorUnits: 100 }, pendingDays: 0, signUpBonus: 0 }) { enabled } }`,
    );
    expect(program.errors).toBeUndefined();
    const tiers = await store.request(
      `mutation { updateLoyaltyTiers(input: { basis: POINTS_EARNED, tiers: [{ name: "Bronze", threshold: 0 }, { name: "Gold", threshold: 100 }] }) { basis } }`,
    );
    expect(tiers.errors).toBeUndefined();
    return store;
  }

  const tierListed = async (store: TestStore, variables: Record<string, unknown>) => {
    const { customers } = await store.data(TIER_LIST, variables);
    return {
      totalCount: customers.totalCount as number,
      rows: customers.edges.map((edge: any) => [edge.node.id, edge.node.metrics.loyaltyTier]) as [string, string][],
    };
  };
  const tierOf = async (store: TestStore, id: string) =>
    (await store.data(`query ($id: ID!) { customer(id: $id) { metrics { loyaltyTier } } }`, { id })).customer.metrics
      .loyaltyTier;

  it('follows the tier an order reaches into the list and its loyaltyTiers filter; older events do not take it back', async () => {
    const store = await storeWithTiers();
    const id = await newCustomer(store, 'Lale');
    const other = await newCustomer(store, 'Mert');
    await store.recordOrder({ customerId: id, unitPrice: 15_000 });
    await eventually(async () =>
      expect(await tierListed(store, { filter: { loyaltyTiers: ['Gold'] } })).toEqual({
        totalCount: 1,
        rows: [[id, 'Gold']],
      }),
    );
    // Any of the names, exactly as the store named its tiers; sorted by points on the tier index.
    expect(
      (await tierListed(store, { filter: { loyaltyTiers: ['Gold', 'Silver'] }, ...byPoints('DESC') })).rows,
    ).toEqual([[id, 'Gold']]);
    expect((await tierListed(store, { filter: { loyaltyTiers: ['gold'] } })).totalCount).toBe(0);
    expect((await tierListed(store, { filter: { loyaltyTiers: ['Silver'] } })).totalCount).toBe(0);
    expect((await tierListed(store, {})).rows.find(([row]) => row === other)?.[1]).not.toBe('Gold');

    const events = await loyaltyEvents(id);
    expect(events.at(-1)!.payload.tier).toBe('Gold');
    // The events before Gold again, late, under new ids: applied, yet older than what the projection holds.
    const older = events.filter((event) => event.payload.tier !== 'Gold');
    expect(older.length).toBeGreaterThan(0);
    for (const event of older) expect(await apply({ ...event, id: randomUUID() })).toBe(true);
    expect(await tierOf(store, id)).toBe('Gold');

    // A newer event in the format from before tiers (no `tier` key) moves the points, not the tier.
    const latest = events.at(-1)!;
    const { tier: _tier, ...untiered } = latest.payload;
    expect(await apply({ ...latest, id: randomUUID(), seq: latest.seq + 1, payload: { ...untiered, points: 7 } })).toBe(
      true,
    );
    expect((await store.data(TIER_LIST, { filter: { loyaltyTiers: ['Gold'] } })).customers.edges).toEqual([
      { node: { id, metrics: { loyaltyPoints: 7, loyaltyTier: 'Gold' } } },
    ]);
    // One that says the account holds no tier clears it.
    expect(
      await apply({ ...latest, id: randomUUID(), seq: latest.seq + 2, payload: { ...untiered, tier: null } }),
    ).toBe(true);
    expect(await tierOf(store, id)).toBeNull();
  });

  it('refuses an empty or oversized loyaltyTiers by name, with BAD_USER_INPUT', async () => {
    const store = await newStore();
    for (const loyaltyTiers of [[], Array.from({ length: 21 }, (_, i) => `Tier ${i}`), ['  ']]) {
      const response = await store.request(TIER_LIST, { filter: { loyaltyTiers } });
      expect(response.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        fields: [expect.objectContaining({ field: expect.stringMatching(/^filter\.loyaltyTiers/) })],
      });
    }
  });
});

describe('loyalty members in the statistics (C11)', () => {
  it('counts the customers with a loyalty account, whatever their points now; a VIP card alone does not count', async () => {
    const store = await newStore();
    const members = async () => (await store.data(`{ customerStatistics { loyaltyMembers } }`)).customerStatistics;
    const [gul, hakan] = [await newCustomer(store, 'Gul'), await newCustomer(store, 'Hakan')];
    await newCustomer(store, 'Irmak', { vipCard: { memberNumber: 'VIP-1' } });
    await newCustomer(store, 'Jale');
    expect(await members()).toEqual({ loyaltyMembers: 0 });
    await adjust(store, gul!, 40);
    await adjust(store, hakan!, 10);
    // Spent down to nothing: still a member.
    await adjust(store, hakan!, -10);
    await eventually(async () => {
      expect(await graph.undelivered()).toBe(0);
      expect(await members()).toEqual({ loyaltyMembers: 2 });
    });
    expect((await listed(store, { filter: { maxLoyaltyPoints: 0 } })).totalCount).toBe(3);
  });
});
