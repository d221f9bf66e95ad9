import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestGraph, type TestGraph, type TestStore } from '@cg/testing';
import { settleLoyaltyAccounts, type EngagementDb } from '../index.ts';

const PROGRAM = /* GraphQL */ `
  mutation Program($input: UpdateLoyaltyProgramInput!) {
    updateLoyaltyProgram(input: $input) {
      version
    }
  }
`;
const TIERS = /* GraphQL */ `
  mutation Tiers($input: UpdateLoyaltyTiersInput!) {
    updateLoyaltyTiers(input: $input) {
      basis
      tiers {
        id
        name
        threshold
      }
    }
  }
`;
const STANDING = /* GraphQL */ `
  query Standing($id: ID!) {
    customer(id: $id) {
      loyalty {
        points
        tier {
          name
        }
        tierUntil
        nextTier {
          name
        }
        tierQualifying
        pointsToNextTier
        spendToNextTier
      }
    }
  }
`;

let graph: TestGraph;

beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.close());

async function storeWithTiers(basis: string, tiers: { name: string; threshold: number }[]) {
  const store = await graph.createStore(`Tiers ${randomUUID().slice(0, 8)}`, { currency: 'EUR' });
  await store.data(PROGRAM, {
    input: { enabled: true, rate: { points: 1, perMinorUnits: 100 }, pendingDays: 0 },
  });
  const set = await store.request(TIERS, { input: { basis, tiers } });
  expect(set.errors).toBeUndefined();
  return store;
}

const standing = async (store: TestStore, id: string) => (await store.data(STANDING, { id })).customer.loyalty;
const engagementDb = () => graph.graph.subgraphs.engagement!.db.orm as unknown as EngagementDb;
const setStatus = (store: TestStore, id: string, status: string) =>
  store.data(`mutation($id: ID!, $status: OrderStatus!) { updateOrderStatus(id: $id, status: $status) { id } }`, {
    id,
    status,
  });
/** The tier the account holds in the database (what reads show only when nothing higher is reached). */
const heldTier = async (store: TestStore, id: string) => {
  const [row] = await graph.graph.subgraphs.engagement!.db.sql`
    select t.name, a.tier_until from engagement.loyalty_accounts a
    left join engagement.loyalty_tiers t on t.store_id = a.store_id and t.id = a.tier_id
    where a.store_id = ${store.id} and a.customer_id = ${id}`;
  return row ? { name: row.name as string | null, until: row.tier_until ? new Date(row.tier_until) : null } : undefined;
};

describe('tiers (E3)', () => {
  const ladder = [
    { name: 'Bronze', threshold: 0 },
    { name: 'Silver', threshold: 100 },
    { name: 'Gold', threshold: 500 },
  ];

  it('moves up at once, and down only at the end of its period, to what the rolling 12 months reach', async () => {
    const store = await storeWithTiers('POINTS_EARNED', ladder);
    const { id } = await store.createCustomer({ firstName: 'Tiered' });
    // Enrolled with nothing earned yet: the tier of threshold 0.
    expect(await standing(store, id)).toMatchObject({
      tier: { name: 'Bronze' },
      nextTier: { name: 'Silver' },
      tierQualifying: 0,
      pointsToNextTier: 100,
      spendToNextTier: null,
    });

    await store.recordOrder({ customerId: id, unitPrice: 15_000 });
    await eventually(async () => expect(await heldTier(store, id)).toMatchObject({ name: 'Silver' }));
    expect(await standing(store, id)).toMatchObject({
      tier: { name: 'Silver' },
      nextTier: { name: 'Gold' },
      tierQualifying: 150,
      pointsToNextTier: 350,
    });
    const big = await store.recordOrder({ customerId: id, unitPrice: 40_000 });
    await eventually(async () => expect(await heldTier(store, id)).toMatchObject({ name: 'Gold' }));
    const gold = (await heldTier(store, id))!;
    expect(gold.until!.getTime()).toBeGreaterThan(Date.now() + 364 * 86_400_000);

    // The big order cancelled: 150 points of 12 months, but Gold stays until its period ends.
    await setStatus(store, big.id, 'CANCELLED');
    await eventually(async () => expect((await standing(store, id)).tierQualifying).toBe(150));
    expect(await standing(store, id)).toMatchObject({ tier: { name: 'Gold' }, nextTier: null, pointsToNextTier: null });

    // Reviewed a day after the period: the orders are older than 12 months by then, so Bronze.
    await settleLoyaltyAccounts(engagementDb(), new Date(gold.until!.getTime() + 86_400_000));
    expect(await heldTier(store, id)).toMatchObject({ name: 'Bronze' });
  });

  it('counts the amount spent when the basis says so', async () => {
    const store = await storeWithTiers('AMOUNT_SPENT', [{ name: 'Insider', threshold: 50_000 }]);
    const { id } = await store.createCustomer({ firstName: 'Spender' });
    await store.recordOrder({ customerId: id, unitPrice: 20_000 });
    await eventually(async () => expect((await standing(store, id)).tierQualifying).toBe(20_000));
    expect(await standing(store, id)).toMatchObject({
      tier: null,
      nextTier: { name: 'Insider' },
      pointsToNextTier: null,
      spendToNextTier: 30_000,
    });
  });

  it('keeps a renamed tier’s id, and answers bad tiers with BAD_USER_INPUT naming the field', async () => {
    const store = await storeWithTiers('POINTS_EARNED', ladder);
    const before = (await store.request(TIERS, { input: { basis: 'POINTS_EARNED', tiers: ladder } })).data
      .updateLoyaltyTiers.tiers;
    // Thresholds swapped between two kept tiers, one tier removed.
    const after = (
      await store.request(TIERS, {
        input: {
          basis: 'POINTS_EARNED',
          tiers: [
            { name: 'gold', threshold: 100 },
            { name: 'Silver', threshold: 500 },
          ],
        },
      })
    ).data.updateLoyaltyTiers.tiers;
    const idOf = (tiers: any[], name: string) => tiers.find((tier) => tier.name.toLowerCase() === name)?.id;
    expect(idOf(after, 'gold')).toBe(idOf(before, 'gold'));
    expect(after.map((tier: any) => [tier.name, tier.threshold])).toEqual([
      ['gold', 100],
      ['Silver', 500],
    ]);

    for (const [tiers, field] of [
      [[{ name: 'A', threshold: -1 }], 'input.tiers.0.threshold'],
      [
        [
          { name: 'A', threshold: 1 },
          { name: 'a', threshold: 2 },
        ],
        'input.tiers.1.name',
      ],
      [
        [
          { name: 'A', threshold: 1 },
          { name: 'B', threshold: 1 },
        ],
        'input.tiers.1.threshold',
      ],
    ] as const) {
      const refused = await store.request(TIERS, { input: { basis: 'POINTS_EARNED', tiers } });
      expect(refused.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        fields: expect.arrayContaining([expect.objectContaining({ field })]),
      });
    }
    const unchanged = (await store.data(`{ loyaltyTiers { tiers { name } } }`)).loyaltyTiers.tiers;
    expect(unchanged.map((tier: any) => tier.name)).toEqual(['gold', 'Silver']);

    const noProgram = await graph.createStore(`No program ${randomUUID().slice(0, 8)}`);
    const refused = await noProgram.request(TIERS, { input: { basis: 'POINTS_EARNED', tiers: ladder } });
    expect(refused.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('costs the same statements for 50 customers as for 5', async () => {
    const store = await storeWithTiers('POINTS_EARNED', ladder);
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => store.createCustomer({ firstName: i < 5 ? 'Tier-Few' : 'Tier-Many' })),
    );
    const query = `query($search: String) { customers(first: 50, filter: { search: $search }) { edges { node { id loyalty { tier { name } nextTier { name } pointsToNextTier } } } } }`;
    let few: any;
    let many: any;
    const fewStatements = await graph.countStatements(async () => {
      few = await store.data(query, { search: 'tier-few' });
    });
    const manyStatements = await graph.countStatements(async () => {
      many = await store.data(query, { search: 'tier' });
    });
    expect(few.customers.edges).toHaveLength(5);
    expect(many.customers.edges).toHaveLength(50);
    for (const { node } of many.customers.edges) {
      expect(node.loyalty).toEqual({ tier: { name: 'Bronze' }, nextTier: { name: 'Silver' }, pointsToNextTier: 100 });
    }
    expect(manyStatements.engagement).toBe(fewStatements.engagement);
    expect(manyStatements.engagement).toBe(2);
  });
});
