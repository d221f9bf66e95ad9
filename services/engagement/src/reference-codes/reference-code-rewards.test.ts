import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '@cg/auth';
import { eventually, outboxEvents, startTestGraph, type TestGraph, type TestStore } from '@cg/testing';
import { applyEvent, type DomainEvent, type EventType } from '@cg/events';
import { engagementSubgraph, type EngagementDb } from '../index.ts';
import { referenceCodeHandlers } from './reference-code.handlers.ts';

const CREATE = /* GraphQL */ `
  mutation Create($input: CreateReferenceCodeInput!) {
    createReferenceCode(input: $input) {
      id
      code
      rules {
        newCustomersOnly
        tierIds
        platforms
        customerIds
      }
      rewards {
        beneficiary
        kind
        amount
        currency
      }
    }
  }
`;
const UPDATE = /* GraphQL */ `
  mutation Update($id: ID!, $input: UpdateReferenceCodeInput!) {
    updateReferenceCode(id: $id, input: $input) {
      id
      rules {
        customerIds
        tierIds
      }
      rewards {
        beneficiary
        kind
        amount
      }
    }
  }
`;
const USE = /* GraphQL */ `
  mutation Use($input: UseReferenceCodeInput!) {
    useReferenceCode(input: $input) {
      id
      orderId
      discount {
        kind
        amount
        currency
      }
    }
  }
`;
const REWARDS = /* GraphQL */ `
  query Rewards($referee: ID!, $referrer: ID!) {
    referee: customer(id: $referee) {
      ...Ledgers
      referredBy {
        id
        rewards {
          beneficiary
          kind
          amount
          currency
          status
          orderId
          shortfall
        }
      }
    }
    referrer: customer(id: $referrer) {
      ...Ledgers
    }
  }
  fragment Ledgers on Customer {
    loyalty {
      points
      entries(first: 50) {
        edges {
          node {
            kind
            bonus
            points
            reason
          }
        }
      }
    }
    wallet {
      balance {
        amount
      }
      entries(first: 50) {
        edges {
          node {
            kind
            amount {
              amount
            }
          }
        }
      }
    }
  }
`;
const TIERS = /* GraphQL */ `
  mutation Tiers($input: UpdateLoyaltyTiersInput!) {
    updateLoyaltyTiers(input: $input) {
      tiers {
        id
        name
      }
    }
  }
`;
const PROGRAM = /* GraphQL */ `
  mutation Program($input: UpdateLoyaltyProgramInput!) {
    updateLoyaltyProgram(input: $input) {
      version
    }
  }
`;
const DASHBOARD = /* GraphQL */ `
  query Dashboard($id: ID!) {
    referenceCode(id: $id) {
      dashboard {
        usageCount
        days {
          uses
          rewards
        }
      }
    }
  }
`;

let graph: TestGraph;

beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.close());

const newStore = () => graph.createStore(`Rewards ${randomUUID().slice(0, 8)}`, { currency: 'EUR' });
const newCustomer = async (store: TestStore, firstName = 'Ada') => (await store.createCustomer({ firstName })).id;
const uniqueCode = (prefix: string) => `${prefix}-${randomUUID().slice(0, 6)}`;

const createCode = async (store: TestStore, input: Record<string, unknown>) => {
  const response = await store.request(CREATE, { input: { name: 'Friends', type: 'PLATFORM', ...input } });
  expect(response.errors).toBeUndefined();
  return response.data.createReferenceCode;
};
const use = (store: TestStore, code: string, customerId: string, orderId?: string) =>
  store.request(USE, { input: { code, customerId, orderId } });
const refusedBy = (response: any) => response.errors?.[0]?.extensions;

const setStatus = (store: TestStore, id: string, status: string) =>
  store.data(`mutation($id: ID!, $status: OrderStatus!) { updateOrderStatus(id: $id, status: $status) { id } }`, {
    id,
    status,
  });

const rewardsOf = async (store: TestStore, referee: string, referrer: string) => {
  const data = await store.data(REWARDS, { referee, referrer });
  const ledgers = (customer: any) => ({
    points: customer.loyalty.points,
    pointEntries: customer.loyalty.entries.edges.map((edge: any) => edge.node),
    balance: customer.wallet.balance?.amount ?? 0,
    walletEntries: customer.wallet.entries.edges.map((edge: any) => [edge.node.kind, edge.node.amount.amount]),
  });
  return { referee: ledgers(data.referee), referrer: ledgers(data.referrer), use: data.referee.referredBy };
};

const engagementDb = () => graph.graph.subgraphs.engagement!.db.orm as unknown as EngagementDb;

/** The latest event `producer` recorded of `type` for the store. */
async function outboxEvent(
  producer: 'commerce-history' | 'engagement',
  store: TestStore,
  type: EventType,
  where: { orderId?: string; customerId?: string },
): Promise<DomainEvent> {
  return (await outboxEvents(graph, producer, { type, storeId: store.id, ...where })).at(-1)!;
}

/**
 * Each event again: redelivered (the same id, which the applied-events table answers), and
 * replayed as an event of its own past that table, straight into the handlers.
 */
async function replay(events: DomainEvent[]): Promise<void> {
  const consumer = engagementSubgraph.events!.consumer!;
  const engagement = graph.graph.subgraphs.engagement!.db;
  for (const event of events) {
    await Promise.all([
      applyEvent(engagement, consumer, event),
      applyEvent(engagement, consumer, event),
      engagementDb().transaction((tx) => referenceCodeHandlers[event.type]!(tx, { ...event, id: randomUUID() } as any)),
    ]);
  }
}

describe('conditions', () => {
  it('by user: admits only the customers named; an unknown customer in the rule is BAD_USER_INPUT and changes nothing', async () => {
    const store = await newStore();
    const [alice, bob] = [await newCustomer(store, 'Alice'), await newCustomer(store, 'Bob')];
    const code = await createCode(store, { code: uniqueCode('ONLY-ALICE'), rules: { customerIds: [alice] } });
    expect(code.rules).toEqual({ newCustomersOnly: false, tierIds: null, platforms: null, customerIds: [alice] });

    const refused = await use(store, code.code, bob);
    expect(refusedBy(refused)).toMatchObject({
      code: 'CONFLICT',
      reason: 'RULE_CUSTOMER',
      rule: 'customerIds',
      fields: [expect.objectContaining({ field: 'input.customerId' })],
    });
    expect((await use(store, code.code, alice)).errors).toBeUndefined();

    // An unknown customer, in creation and in an update: nothing is created or changed.
    const stranger = randomUUID();
    const bad = await store.request(CREATE, {
      input: { code: 'NEVER-MADE', name: 'Never', type: 'PLATFORM', rules: { customerIds: [alice, stranger] } },
    });
    expect(refusedBy(bad)).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'input.rules.customerIds.1', message: 'is not a customer of this store' }],
    });
    const badUpdate = await store.request(UPDATE, { id: code.id, input: { rules: { customerIds: [stranger] } } });
    expect(refusedBy(badUpdate)).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [expect.objectContaining({ field: 'input.rules.customerIds.0' })],
    });
    const malformed = await store.request(UPDATE, { id: code.id, input: { rules: { customerIds: ['nope'] } } });
    expect(refusedBy(malformed)).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [expect.objectContaining({ field: 'input.rules.customerIds.0' })],
    });
    const list = await store.data(`{ referenceCodes(filter: { search: "NEVER-MADE" }) { totalCount } }`);
    expect(list.referenceCodes.totalCount).toBe(0);
    const kept = await store.data(`query($id: ID!) { referenceCode(id: $id) { rules { customerIds } } }`, {
      id: code.id,
    });
    expect(kept.referenceCode.rules.customerIds).toEqual([alice]);

    // Updated to name Bob instead: Bob may, Alice no more.
    const updated = await store.request(UPDATE, { id: code.id, input: { rules: { customerIds: [bob] } } });
    expect(updated.data.updateReferenceCode.rules).toEqual({ customerIds: [bob], tierIds: null });
    expect((await use(store, code.code, bob)).errors).toBeUndefined();
  });

  it('by role, new customers only: refuses a customer who bought in the store before, admits one who has not', async () => {
    const store = await newStore();
    const [buyer, newcomer] = [await newCustomer(store, 'Buyer'), await newCustomer(store, 'Newcomer')];
    const code = await createCode(store, { code: uniqueCode('NEW-ONLY'), rules: { newCustomersOnly: true } });
    await store.recordOrder({ customerId: buyer });
    // The order reaches engagement through its event.
    await eventually(async () => expect(await graph.undelivered()).toBe(0));
    expect(refusedBy(await use(store, code.code, buyer))).toMatchObject({
      code: 'CONFLICT',
      reason: 'RULE_NEW_CUSTOMERS_ONLY',
      rule: 'newCustomersOnly',
    });
    // The customer's own token judges the same, reading only their own orders.
    const token = await signToken({ kind: 'customer', userId: buyer, storeId: store.id });
    const own = await graph.request(USE, { input: { code: code.code, customerId: buyer } }, { token });
    expect(refusedBy(own)).toMatchObject({ code: 'CONFLICT', reason: 'RULE_NEW_CUSTOMERS_ONLY' });
    // The newcomer's own first order is the one the code is used on: still new.
    const first = await store.recordOrder({ customerId: newcomer });
    await eventually(async () => expect(await graph.undelivered()).toBe(0));
    expect((await use(store, code.code, newcomer, first.id)).errors).toBeUndefined();
    // A cancelled order is no purchase.
    const other = await newCustomer(store, 'Other');
    await store.recordOrder({ customerId: other, status: 'CANCELLED' });
    await eventually(async () => expect(await graph.undelivered()).toBe(0));
    expect((await use(store, code.code, other)).errors).toBeUndefined();
  });

  it('by role, a loyalty tier: admits the tier’s customers only; an unknown tier is BAD_USER_INPUT', async () => {
    const store = await newStore();
    await store.data(PROGRAM, { input: { enabled: true, rate: { points: 1, perMinorUnits: 100 }, pendingDays: 0 } });
    const { tiers } = (
      await store.data(TIERS, {
        input: {
          basis: 'POINTS_EARNED',
          tiers: [
            { name: 'Silver', threshold: 10 },
            { name: 'Gold', threshold: 50 },
          ],
        },
      })
    ).updateLoyaltyTiers;
    const gold = tiers.find((tier: any) => tier.name === 'Gold').id;
    const [rich, silver, none] = [
      await newCustomer(store, 'Rich'),
      await newCustomer(store, 'Silvia'),
      await newCustomer(store, 'None'),
    ];
    await store.recordOrder({ customerId: rich, unitPrice: 6000 });
    await store.recordOrder({ customerId: silver, unitPrice: 2000 });
    const code = await createCode(store, { code: uniqueCode('GOLD'), rules: { tierIds: [gold] } });
    await eventually(async () => expect((await use(store, code.code, rich)).errors).toBeUndefined());
    for (const customerId of [silver, none])
      expect(refusedBy(await use(store, code.code, customerId))).toMatchObject({
        code: 'CONFLICT',
        reason: 'RULE_TIER',
        rule: 'tierIds',
      });

    const bad = await store.request(UPDATE, { id: code.id, input: { rules: { tierIds: [gold, randomUUID()] } } });
    expect(refusedBy(bad)).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'input.rules.tierIds.1', message: 'is not a loyalty tier of this store' }],
    });
  });

  it('by seller: admits orders of the sales platforms named only, and asks for the order', async () => {
    const store = await newStore();
    const customer = await newCustomer(store);
    const code = await createCode(store, {
      code: uniqueCode('SHOP'),
      type: 'SELLER',
      rules: { platforms: ['Shopify'] },
    });
    const elsewhere = await store.recordOrder({ customerId: customer, platform: 'Amazon' });
    const shopify = await store.recordOrder({ customerId: customer, platform: 'shopify' });
    await eventually(async () => expect(await graph.undelivered()).toBe(0));
    for (const orderId of [elsewhere.id, undefined])
      expect(refusedBy(await use(store, code.code, customer, orderId))).toMatchObject({
        code: 'CONFLICT',
        reason: 'RULE_PLATFORM',
        rule: 'platforms',
        fields: [expect.objectContaining({ field: 'input.orderId' })],
      });
    expect((await use(store, code.code, customer, shopify.id)).errors).toBeUndefined();
  });
});

describe('rewards', () => {
  const userCode = async (store: TestStore, owner: string, rewards: Record<string, unknown>[]) =>
    createCode(store, { code: uniqueCode('FRIEND'), type: 'USER', customerId: owner, rewards });

  it('grants referee points and referrer wallet credit once, through redeliveries, and reverses them on cancellation', async () => {
    const store = await newStore();
    const [referrer, referee] = [await newCustomer(store, 'Rita'), await newCustomer(store, 'Rob')];
    const code = await userCode(store, referrer, [
      { beneficiary: 'REFEREE', kind: 'POINTS', amount: 50 },
      { beneficiary: 'REFERRER', kind: 'WALLET', amount: 500, currency: 'eur' },
    ]);
    expect(code.rewards).toEqual([
      { beneficiary: 'REFEREE', kind: 'POINTS', amount: 50, currency: null },
      { beneficiary: 'REFERRER', kind: 'WALLET', amount: 500, currency: 'EUR' },
    ]);
    const order = await store.recordOrder({ customerId: referee });
    await eventually(async () => expect(await graph.undelivered()).toBe(0));
    const used = await use(store, code.code, referee, order.id);
    expect(used.errors).toBeUndefined();
    expect(used.data.useReferenceCode.discount).toBeNull();

    const granted = await eventually(async () => {
      const now = await rewardsOf(store, referee, referrer);
      expect(now.referee.points).toBe(50);
      expect(now.referrer.balance).toBe(500);
      return now;
    });
    expect(granted.referee.pointEntries).toEqual([
      expect.objectContaining({
        kind: 'BONUS',
        bonus: 'REFERRAL',
        points: 50,
        reason: expect.stringContaining(code.code),
      }),
    ]);
    expect(granted.referrer.walletEntries).toEqual([['CREDIT', 500]]);
    // The customer's timeline names the bonus for what it is.
    await eventually(async () => {
      const { customer } = await store.data(
        `query($id: ID!) { customer(id: $id) { timeline(first: 20) { edges { node { summary } } } } }`,
        { id: referee },
      );
      expect(customer.timeline.edges.map((edge: any) => edge.node.summary)).toContain('Referral reward: +50 points');
    });
    expect(granted.use.rewards).toEqual([
      expect.objectContaining({
        beneficiary: 'REFEREE',
        kind: 'POINTS',
        amount: 50,
        status: 'GRANTED',
        orderId: order.id,
      }),
      expect.objectContaining({
        beneficiary: 'REFERRER',
        kind: 'WALLET',
        amount: 500,
        currency: 'EUR',
        status: 'GRANTED',
      }),
    ]);

    // The use's event and the order's, again: nothing is granted twice.
    await replay([
      await outboxEvent('engagement', store, 'reference_code.used', { customerId: referee }),
      await outboxEvent('commerce-history', store, 'order.recorded', { orderId: order.id }),
    ]);
    // A second use of the code on another order by the same referee is owed nothing.
    const second = await store.recordOrder({ customerId: referee });
    await eventually(async () => expect(await graph.undelivered()).toBe(0));
    expect((await use(store, code.code, referee, second.id)).errors).toBeUndefined();
    await eventually(async () => expect(await graph.undelivered()).toBe(0));
    expect(await rewardsOf(store, referee, referrer)).toMatchObject({
      referee: { points: 50, pointEntries: [expect.anything()] },
      referrer: { balance: 500, walletEntries: [['CREDIT', 500]] },
    });

    // Cancelled: both ledgers take it back with entries of their own; the history stays.
    await setStatus(store, order.id, 'CANCELLED');
    const reversed = await eventually(async () => {
      const now = await rewardsOf(store, referee, referrer);
      expect(now.use.rewards.map((reward: any) => reward.status)).toEqual(['REVERSED', 'REVERSED']);
      return now;
    });
    expect(reversed.referee.points).toBe(0);
    expect(reversed.referee.pointEntries.map((entry: any) => [entry.kind, entry.points])).toEqual([
      ['ADJUSTED', -50],
      ['BONUS', 50],
    ]);
    expect(reversed.referrer).toMatchObject({
      balance: 0,
      walletEntries: [
        ['DEBIT', -500],
        ['CREDIT', 500],
      ],
    });

    // Replays of the cancellation, and of the use and the order, reverse and grant nothing more;
    // and the order counting again grants nothing (reversals are final).
    await replay([
      await outboxEvent('commerce-history', store, 'order.status_changed', { orderId: order.id }),
      await outboxEvent('engagement', store, 'reference_code.used', { customerId: referee }),
    ]);
    await setStatus(store, order.id, 'DELIVERED');
    await eventually(async () => expect(await graph.undelivered()).toBe(0));
    expect(await rewardsOf(store, referee, referrer)).toMatchObject({
      referee: { points: 0, pointEntries: [expect.anything(), expect.anything()] },
      referrer: { balance: 0, walletEntries: [expect.anything(), expect.anything()] },
    });
  });

  it('waits for the order to count, reverses on return, and the dashboard counts the rewards standing', async () => {
    const store = await newStore();
    const [referrer, referee] = [await newCustomer(store, 'Rita'), await newCustomer(store, 'Rob')];
    const code = await userCode(store, referrer, [
      { beneficiary: 'REFEREE', kind: 'WALLET', amount: 300, currency: 'EUR' },
      { beneficiary: 'REFERRER', kind: 'POINTS', amount: 20 },
    ]);
    // A draft is no purchase yet: used on it, the code grants nothing until it counts.
    const order = await store.recordOrder({ customerId: referee, status: 'DRAFT' });
    expect((await use(store, code.code, referee, order.id)).errors).toBeUndefined();
    await eventually(async () => expect(await graph.undelivered()).toBe(0));
    expect((await rewardsOf(store, referee, referrer)).use.rewards).toEqual([]);

    await setStatus(store, order.id, 'IN_PROGRESS');
    await eventually(async () => {
      const now = await rewardsOf(store, referee, referrer);
      expect(now).toMatchObject({ referee: { balance: 300 }, referrer: { points: 20 } });
    });
    const standing = await store.data(DASHBOARD, { id: code.id });
    const total = (field: 'uses' | 'rewards') =>
      standing.referenceCode.dashboard.days.reduce((sum: number, day: any) => sum + day[field], 0);
    expect([total('uses'), total('rewards')]).toEqual([1, 2]);

    await store.completeReturn(order.id, null);
    const returned = await eventually(async () => {
      const now = await rewardsOf(store, referee, referrer);
      expect(now.use.rewards.map((reward: any) => reward.status)).toEqual(['REVERSED', 'REVERSED']);
      return now;
    });
    expect(returned).toMatchObject({
      referee: {
        balance: 0,
        walletEntries: [
          ['DEBIT', -300],
          ['CREDIT', 300],
        ],
      },
      referrer: { points: 0 },
    });
    const after = await store.data(DASHBOARD, { id: code.id });
    expect(after.referenceCode.dashboard.days.reduce((sum: number, day: any) => sum + day.rewards, 0)).toBe(0);
  });

  it('rewards a use at registration with the customer’s next order that counts, once', async () => {
    const store = await newStore();
    const [referrer, referee] = [await newCustomer(store, 'Rita'), await newCustomer(store, 'Rob')];
    const code = await userCode(store, referrer, [
      { beneficiary: 'REFEREE', kind: 'POINTS', amount: 30 },
      { beneficiary: 'REFERRER', kind: 'POINTS', amount: 40 },
    ]);
    expect((await use(store, code.code, referee)).errors).toBeUndefined();
    await eventually(async () => expect(await graph.undelivered()).toBe(0));
    expect((await rewardsOf(store, referee, referrer)).use.rewards).toEqual([]);

    const first = await store.recordOrder({ customerId: referee });
    const granted = await eventually(async () => {
      const now = await rewardsOf(store, referee, referrer);
      expect(now).toMatchObject({ referee: { points: 30 }, referrer: { points: 40 } });
      return now;
    });
    expect(granted.use.rewards.map((reward: any) => [reward.beneficiary, reward.orderId, reward.status])).toEqual([
      ['REFEREE', first.id, 'GRANTED'],
      ['REFERRER', first.id, 'GRANTED'],
    ]);
    // A later order is not rewarded again; the first one's cancellation takes them back.
    await store.recordOrder({ customerId: referee });
    await setStatus(store, first.id, 'CANCELLED');
    await eventually(async () => {
      const now = await rewardsOf(store, referee, referrer);
      expect(now).toMatchObject({ referee: { points: 0 }, referrer: { points: 0 } });
      expect(now.use.rewards.map((reward: any) => reward.status)).toEqual(['REVERSED', 'REVERSED']);
    });
    await eventually(async () => expect(await graph.undelivered()).toBe(0));
    expect(await rewardsOf(store, referee, referrer)).toMatchObject({
      referee: { points: 0 },
      referrer: { points: 0 },
    });
  });

  it('records the referee’s discount on the use for order intake, on their first use only', async () => {
    const store = await newStore();
    const referee = await newCustomer(store);
    const code = await createCode(store, {
      code: uniqueCode('TENOFF'),
      rewards: [{ beneficiary: 'REFEREE', kind: 'DISCOUNT', amount: 1000, currency: 'EUR' }],
    });
    // The first use is owed the discount (at registration: for the next order); later ones are not.
    const order = await store.recordOrder({ customerId: referee });
    const used = await use(store, code.code, referee, order.id);
    expect(used.data.useReferenceCode.discount).toEqual({ kind: 'DISCOUNT', amount: 1000, currency: 'EUR' });
    const again = await store.recordOrder({ customerId: referee });
    expect((await use(store, code.code, referee, again.id)).data.useReferenceCode.discount).toBeNull();
    const other = await newCustomer(store, 'Other');
    expect((await use(store, code.code, other)).data.useReferenceCode.discount).toMatchObject({ amount: 1000 });

    // Bad rewards change nothing: a referrer on a code without one, a discount for the referrer, no currency.
    for (const [input, field] of [
      [
        { type: 'PLATFORM', rewards: [{ beneficiary: 'REFERRER', kind: 'POINTS', amount: 5 }] },
        'input.rewards.0.beneficiary',
      ],
      [
        { type: 'PLATFORM', rewards: [{ beneficiary: 'REFEREE', kind: 'WALLET', amount: 5 }] },
        'input.rewards.0.currency',
      ],
      [
        { type: 'PLATFORM', rewards: [{ beneficiary: 'REFEREE', kind: 'POINTS', amount: 0 }] },
        'input.rewards.0.amount',
      ],
      [
        {
          type: 'PLATFORM',
          rewards: [
            { beneficiary: 'REFEREE', kind: 'POINTS', amount: 5 },
            { beneficiary: 'REFEREE', kind: 'POINTS', amount: 6 },
          ],
        },
        'input.rewards.1.beneficiary',
      ],
    ] as const) {
      const bad = await store.request(CREATE, { input: { code: 'BAD-REWARD', name: 'Bad', ...input } });
      expect(refusedBy(bad), field).toMatchObject({
        code: 'BAD_USER_INPUT',
        fields: [expect.objectContaining({ field })],
      });
    }
    const updated = await store.request(UPDATE, {
      id: code.id,
      input: { rewards: [{ beneficiary: 'REFERRER', kind: 'POINTS', amount: 5 }] },
    });
    expect(refusedBy(updated)).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [expect.objectContaining({ field: 'input.rewards.0.beneficiary' })],
    });
  });
});
