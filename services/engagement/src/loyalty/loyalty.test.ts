import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daysAgo, eventually, outboxEvents, startTestGraph, type TestGraph, type TestStore } from '@cg/testing';
import { applyEvent, type DomainEvent, type EventType } from '@cg/events';
import { engagementSubgraph, settleLoyaltyAccounts, type EngagementDb } from '../index.ts';
import { loyaltyHandlers } from './loyalty.handlers.ts';

const PROGRAM = /* GraphQL */ `
  mutation Program($input: UpdateLoyaltyProgramInput!) {
    updateLoyaltyProgram(input: $input) {
      enabled
      rate {
        points
        perMinorUnits
      }
      rounding
      pendingDays
      signUpBonus
      version
    }
  }
`;
const LOYALTY = /* GraphQL */ `
  query Loyalty($id: ID!) {
    customer(id: $id) {
      loyalty {
        points
        pendingPoints
        entries(first: 100) {
          totalCount
          edges {
            node {
              kind
              points
              pending
              availableAt
              orderId
              reason
              bonus
              remaining
              expiresAt
              shortfall
              rule {
                programVersion
                rate {
                  points
                  perMinorUnits
                }
                rounding
                amount
                units
                cancelledUnits
              }
            }
          }
        }
      }
    }
  }
`;
const REDEEM = /* GraphQL */ `
  mutation Redeem($input: RedeemLoyaltyPointsInput!) {
    redeemLoyaltyPoints(input: $input) {
      entry {
        kind
        points
      }
      loyalty {
        points
        pendingPoints
      }
      customer {
        id
      }
    }
  }
`;
const ADJUST = /* GraphQL */ `
  mutation Adjust($input: AdjustLoyaltyPointsInput!) {
    adjustLoyaltyPoints(input: $input) {
      entry {
        kind
        points
        reason
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

/** A store of its own per test: the program is the store's. */
async function storeWith(
  program: {
    points?: number;
    perMinorUnits?: number;
    pendingDays?: number;
    signUpBonus?: number;
    expiryMonths?: number | null;
  } = {},
) {
  const store = await graph.createStore(`Loyalty ${randomUUID().slice(0, 8)}`, { currency: 'EUR' });
  const response = await setProgram(store, program);
  expect(response.errors).toBeUndefined();
  return store;
}

const setProgram = (
  store: TestStore,
  {
    points = 1,
    perMinorUnits = 100,
    pendingDays = 14,
    signUpBonus = 0,
    expiryMonths = null,
    enabled = true,
  }: Record<string, number | boolean | null> = {},
) =>
  store.request(PROGRAM, {
    input: { enabled, rate: { points, perMinorUnits }, pendingDays, signUpBonus, expiryMonths },
  });

const newCustomer = async (store: TestStore) => (await store.createCustomer({ firstName: 'Lola' })).id;

async function loyalty(store: TestStore, id: string) {
  return (await store.data(LOYALTY, { id })).customer.loyalty;
}

const entriesOf = (l: any) => l.entries.edges.map((edge: any) => edge.node);
const ledgerSum = (l: any) => entriesOf(l).reduce((sum: number, entry: any) => sum + entry.points, 0);

/** Waits until the loyalty section matches (orders reach engagement through events). */
const settled = (store: TestStore, id: string, expected: Record<string, unknown>) =>
  eventually(async () => {
    const l = await loyalty(store, id);
    expect(l).toMatchObject(expected);
    // The ledger always sums to what the customer holds, and so do the lots' remaining points.
    expect(ledgerSum(l)).toBe(l.points + l.pendingPoints);
    const lots = entriesOf(l).filter((entry: any) => entry.remaining !== null);
    expect(lots.reduce((sum: number, entry: any) => sum + entry.remaining, 0)).toBe(l.points + l.pendingPoints);
    return l;
  });

const setStatus = (store: TestStore, id: string, status: string) =>
  store.data(`mutation($id: ID!, $status: OrderStatus!) { updateOrderStatus(id: $id, status: $status) { id } }`, {
    id,
    status,
  });

/** The latest event `producer` recorded of `type` for the store, as delivery hands it to consumers. */
async function outboxEvent(
  producer: 'commerce-history' | 'customer',
  store: TestStore,
  type: EventType,
  where: { orderId?: string; customerId?: string },
): Promise<DomainEvent> {
  return (await outboxEvents(graph, producer, { type, storeId: store.id, ...where })).at(-1)!;
}

const engagementDb = () => graph.graph.subgraphs.engagement!.db.orm as unknown as EngagementDb;

const redeem = (store: TestStore, customerId: string, points: number, extra: Record<string, unknown> = {}) =>
  store.request(REDEEM, { input: { customerId, points, ...extra } });

describe('earning', () => {
  it('earns floor(total × rate) per order, pending until placedAt + pending days, then spendable', async () => {
    const store = await storeWith({ points: 1, perMinorUnits: 100, pendingDays: 14 });
    const id = await newCustomer(store);
    // Placed 20 days ago: its return window has closed. Placed now: 14 days to go.
    const old = await store.recordOrder({ customerId: id, unitPrice: 1999, placedAt: daysAgo(20) });
    const fresh = await store.recordOrder({ customerId: id, unitPrice: 2550, quantity: 2, discount: 50 });
    const l = await settled(store, id, { points: 19, pendingPoints: 50 });
    const earned = entriesOf(l).filter((entry: any) => entry.kind === 'EARNED');
    expect(earned).toHaveLength(2);
    const byOrder = Object.fromEntries(earned.map((entry: any) => [entry.orderId, entry]));
    expect(byOrder[old.id]).toMatchObject({
      points: 19,
      pending: 0,
      rule: { programVersion: 1, rate: { points: 1, perMinorUnits: 100 }, rounding: 'FLOOR_PER_ORDER', amount: 1999 },
    });
    expect(byOrder[fresh.id]).toMatchObject({ points: 50, pending: 50, rule: { amount: 5050, units: 2 } });
    expect(new Date(byOrder[fresh.id].availableAt).getTime()).toBeGreaterThan(Date.now() + 13 * 86_400_000);

    // Pending points cannot be spent; spendable ones can.
    const refused = await redeem(store, id, 20);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'INSUFFICIENT_POINTS' });
    const spent = await redeem(store, id, 19, { orderId: fresh.id });
    expect(spent.errors).toBeUndefined();
    expect(spent.data.redeemLoyaltyPoints).toMatchObject({
      entry: { kind: 'REDEEMED', points: -19 },
      loyalty: { points: 0, pendingPoints: 50 },
      customer: { id },
    });
    await settled(store, id, { points: 0, pendingPoints: 50 });
  });

  it('earns nothing for a draft or a cancelled order, or while the program is off', async () => {
    const store = await storeWith({ pendingDays: 0 });
    const id = await newCustomer(store);
    await store.recordOrder({ customerId: id, unitPrice: 1000, status: 'DRAFT' });
    await store.recordOrder({ customerId: id, unitPrice: 1000, status: 'CANCELLED' });
    expect((await setProgram(store, { enabled: false, pendingDays: 0 })).errors).toBeUndefined();
    await store.recordOrder({ customerId: id, unitPrice: 1000 });
    // The program is read when the event arrives: let it arrive while the program is still off.
    await eventually(async () => expect(await graph.undelivered()).toBe(0));
    expect((await setProgram(store, { pendingDays: 0 })).errors).toBeUndefined();
    // Events arrive in order for a customer: once this one earned, the earlier ones were handled.
    await store.recordOrder({ customerId: id, unitPrice: 700 });
    const l = await settled(store, id, { points: 7, pendingPoints: 0 });
    expect(l.entries.totalCount).toBe(1);
  });

  it('earns once when the same order event is applied again', async () => {
    const store = await storeWith({ pendingDays: 0 });
    const id = await newCustomer(store);
    const order = await store.recordOrder({ customerId: id, unitPrice: 1200 });
    await settled(store, id, { points: 12 });
    const event = await outboxEvent('commerce-history', store, 'order.recorded', { orderId: order.id });
    const db = engagementDb();
    // Straight into the handler, past the applied-events table: the ledger's own key refuses it.
    await db.transaction((tx) => loyaltyHandlers['order.recorded']!(tx, event as any));
    const l = await loyalty(store, id);
    expect(l).toMatchObject({ points: 12, entries: { totalCount: 1 } });
  });
});

describe('reversal', () => {
  it('cancelling reverses exactly what the order earned, pending points first, and records a shortfall', async () => {
    const store = await storeWith({ pendingDays: 30 });
    const id = await newCustomer(store);
    const pending = await store.recordOrder({ customerId: id, unitPrice: 5000 });
    const spendable = await store.recordOrder({ customerId: id, unitPrice: 3000, placedAt: daysAgo(40) });
    await settled(store, id, { points: 30, pendingPoints: 50 });

    await setStatus(store, pending.id, 'CANCELLED');
    await settled(store, id, { points: 30, pendingPoints: 0 });

    // 25 of the order's 30 points are spent: its cancellation takes the 5 left and records 25 owed.
    expect((await redeem(store, id, 25)).errors).toBeUndefined();
    await setStatus(store, spendable.id, 'CANCELLED');
    const l = await settled(store, id, { points: 0, pendingPoints: 0 });
    const reversed = entriesOf(l).filter((entry: any) => entry.kind === 'REVERSED');
    expect(reversed.map((entry: any) => [entry.orderId, entry.points, entry.shortfall])).toEqual([
      [spendable.id, -5, 25],
      [pending.id, -50, 0],
    ]);
    // A replayed or repeated cancellation (or an un-cancelling) earns and reverses nothing more.
    await setStatus(store, spendable.id, 'DELIVERED');
    await setStatus(store, spendable.id, 'CANCELLED');
    await store.recordOrder({ customerId: id, unitPrice: 100, placedAt: daysAgo(40) });
    const after = await settled(store, id, { points: 1, pendingPoints: 0 });
    expect(after.entries.totalCount).toBe(l.entries.totalCount + 1);
  });

  it('a partial return reverses its share, and the shares add up to exactly what was earned', async () => {
    const store = await storeWith({ pendingDays: 0 });
    const id = await newCustomer(store);
    // 3 × 3.34 = 10.02: 10 points.
    const order = await store.recordOrder({ customerId: id, unitPrice: 334, quantity: 3 });
    await settled(store, id, { points: 10 });
    await store.completeReturn(order.id, 1);
    await settled(store, id, { points: 7 });
    await store.completeReturn(order.id, 1);
    await settled(store, id, { points: 4 });
    await store.completeReturn(order.id, null);
    const l = await settled(store, id, { points: 0, pendingPoints: 0 });
    // The last return takes the remainder; the RETURNED status that follows takes nothing more.
    expect(entriesOf(l).map((entry: any) => [entry.kind, entry.points])).toEqual([
      ['REVERSED', -4],
      ['REVERSED', -3],
      ['REVERSED', -3],
      ['EARNED', 10],
    ]);
  });

  it('a partial cancellation reverses its share, adding up with returns to exactly what was earned', async () => {
    const store = await storeWith({ pendingDays: 0 });
    const id = await newCustomer(store);
    // 4 × 2.50: 10 points.
    const order = await store.recordOrder({ customerId: id, unitPrice: 250, quantity: 4 });
    await settled(store, id, { points: 10 });
    await store.completeCancellation(order.id, 1);
    await settled(store, id, { points: 8 });
    // Returns and cancellations share the same units: 2 of 4 gone, floor(10 × 2 / 4) reversed in all.
    await store.completeReturn(order.id, 1);
    await settled(store, id, { points: 5 });

    // The cancellation applied again, past the applied-events table, reverses nothing more.
    const cancellation = await outboxEvent('commerce-history', store, 'order.cancellation_recorded', {
      orderId: order.id,
    });
    await engagementDb().transaction((tx) => loyaltyHandlers['order.cancellation_recorded']!(tx, cancellation as any));
    expect(await loyalty(store, id)).toMatchObject({ points: 5 });

    // 3 of 4 gone: floor(10 × 3 / 4) = 7 reversed in all.
    await store.completeCancellation(order.id, 1);
    const l = await settled(store, id, { points: 3, pendingPoints: 0 });
    expect(entriesOf(l).map((entry: any) => [entry.kind, entry.points, entry.reason])).toEqual([
      ['REVERSED', -2, expect.stringContaining('1 of 4 units cancelled')],
      ['REVERSED', -3, expect.stringContaining('1 of 4 units returned')],
      ['REVERSED', -2, expect.stringContaining('1 of 4 units cancelled')],
      ['EARNED', 10, null],
    ]);
  });

  it('an edited earning rate does not change what an earlier order reverses', async () => {
    const store = await storeWith({ points: 1, perMinorUnits: 100, pendingDays: 0 });
    const id = await newCustomer(store);
    const before = await store.recordOrder({ customerId: id, unitPrice: 5000 });
    await settled(store, id, { points: 50 });
    const edited = await setProgram(store, { points: 5, perMinorUnits: 100, pendingDays: 0 });
    expect(edited.data.updateLoyaltyProgram).toMatchObject({ version: 2, rate: { points: 5, perMinorUnits: 100 } });
    await store.recordOrder({ customerId: id, unitPrice: 1000 });
    await settled(store, id, { points: 100 });
    await setStatus(store, before.id, 'CANCELLED');
    const l = await settled(store, id, { points: 50 });
    const reversed = entriesOf(l).find((entry: any) => entry.kind === 'REVERSED');
    expect(reversed).toMatchObject({ orderId: before.id, points: -50, shortfall: 0 });
    const rules = entriesOf(l)
      .filter((entry: any) => entry.kind === 'EARNED')
      .map((entry: any) => [entry.rule.programVersion, entry.rule.rate.points, entry.points]);
    expect(rules).toEqual([
      [2, 5, 50],
      [1, 1, 50],
    ]);
  });
});

describe('bonuses', () => {
  it('grants the sign-up bonus once, under 20 concurrent deliveries and replays of the registration', async () => {
    const store = await storeWith({ signUpBonus: 25 });
    const id = await newCustomer(store);
    const l = await settled(store, id, { points: 25, pendingPoints: 0 });
    expect(entriesOf(l)).toEqual([expect.objectContaining({ kind: 'BONUS', bonus: 'SIGN_UP', points: 25 })]);

    const registration = await outboxEvent('customer', store, 'customer.registered', { customerId: id });
    const consumer = engagementSubgraph.events!.consumer!;
    const engagement = graph.graph.subgraphs.engagement!.db;
    await Promise.all([
      // Redeliveries of the same event, and the same registration replayed as events of their own.
      ...Array.from({ length: 10 }, () => applyEvent(engagement, consumer, registration)),
      ...Array.from({ length: 10 }, () =>
        engagementDb().transaction((tx) =>
          loyaltyHandlers['customer.registered']!(tx, { ...registration, id: randomUUID() } as any),
        ),
      ),
    ]);
    const after = await loyalty(store, id);
    expect(after).toMatchObject({ points: 25, entries: { totalCount: 1 } });
  });

  it('grants no sign-up bonus while the program is off or has none', async () => {
    const store = await storeWith({ signUpBonus: 0 });
    const without = await newCustomer(store);
    expect((await setProgram(store, { enabled: false, signUpBonus: 40 })).errors).toBeUndefined();
    const whileOff = await newCustomer(store);
    await eventually(async () => expect(await graph.undelivered()).toBe(0));
    for (const id of [without, whileOff]) {
      expect(await loyalty(store, id)).toMatchObject({ points: 0, entries: { totalCount: 0 } });
    }
    const bad = await setProgram(store, { signUpBonus: -1 });
    expect(bad.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [expect.objectContaining({ field: 'input.signUpBonus' })],
    });
  });
});

describe('expiry', () => {
  const inDays = (days: number) => new Date(Date.now() + days * 86_400_000);

  it('spends the soonest-expiring points first, and expires exactly what is left of the due ones', async () => {
    const store = await storeWith({ pendingDays: 0, expiryMonths: 1 });
    const id = await newCustomer(store);
    // Spendable since 20, 5 and 0 days: they expire in about 10, 25 and 30 days.
    const soonest = await store.recordOrder({ customerId: id, unitPrice: 1000, placedAt: daysAgo(20) });
    const next = await store.recordOrder({ customerId: id, unitPrice: 2000, placedAt: daysAgo(5) });
    const latest = await store.recordOrder({ customerId: id, unitPrice: 3000 });
    await settled(store, id, { points: 60 });
    // 15 points spent: the 10 of the soonest lot, then 5 of the next.
    expect((await redeem(store, id, 15)).errors).toBeUndefined();
    const before = await settled(store, id, { points: 45 });
    const lots = Object.fromEntries(
      entriesOf(before)
        .filter((entry: any) => entry.kind === 'EARNED')
        .map((entry: any) => [entry.orderId, entry.remaining]),
    );
    expect(lots).toEqual({ [soonest.id]: 0, [next.id]: 15, [latest.id]: 30 });

    // The hourly task, run as of 27 days from now: the next lot's 15 are due, the latest's not yet.
    const db = engagementDb();
    expect(await settleLoyaltyAccounts(db, inDays(27))).toBeGreaterThanOrEqual(1);
    const after = await settled(store, id, { points: 30 });
    const expired = entriesOf(after).filter((entry: any) => entry.kind === 'EXPIRED');
    expect(expired.map((entry: any) => [entry.points, entry.reason])).toEqual([[-15, 'Points expired']]);
    // Run again (a replica, a made-up run): nothing more expires.
    await settleLoyaltyAccounts(db, inDays(27));
    expect((await loyalty(store, id)).entries.totalCount).toBe(after.entries.totalCount);
  });

  it('keeps the expiry a point was given when the program changes, and refuses a zero expiry', async () => {
    const store = await storeWith({ pendingDays: 0, expiryMonths: 1 });
    const id = await newCustomer(store);
    await store.recordOrder({ customerId: id, unitPrice: 1000 });
    await settled(store, id, { points: 10 });
    const bad = await setProgram(store, { pendingDays: 0, expiryMonths: 0 });
    expect(bad.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [expect.objectContaining({ field: 'input.expiryMonths' })],
    });
    expect((await setProgram(store, { pendingDays: 0, expiryMonths: null })).errors).toBeUndefined();
    await store.recordOrder({ customerId: id, unitPrice: 500 });
    const l = await settled(store, id, { points: 15 });
    const [never, monthly] = entriesOf(l).map((entry: any) => entry.expiresAt);
    expect(never).toBeNull();
    expect(new Date(monthly).getTime()).toBeGreaterThan(inDays(27).getTime());
    await settleLoyaltyAccounts(engagementDb(), inDays(40));
    await settled(store, id, { points: 5 });
  });
});

describe('timeline (C11)', () => {
  it("shows bonuses, adjustments, redemptions, reversals and expiries on the customer's timeline", async () => {
    const store = await storeWith({ pendingDays: 0, signUpBonus: 20, expiryMonths: 1 });
    const id = await newCustomer(store);
    const order = await store.recordOrder({ customerId: id, unitPrice: 5000 });
    await settled(store, id, { points: 70 });
    expect((await store.request(ADJUST, { input: { customerId: id, points: 5, reason: 'Goodwill' } })).errors).toBe(
      undefined,
    );
    expect((await redeem(store, id, 60)).errors).toBeUndefined();
    await setStatus(store, order.id, 'CANCELLED');
    await settled(store, id, { points: 0 });
    // Nothing left to expire: the lots were spent and reversed. A fresh adjustment expires later.
    expect((await store.request(ADJUST, { input: { customerId: id, points: 3, reason: 'Sorry' } })).errors).toBe(
      undefined,
    );
    await settleLoyaltyAccounts(engagementDb(), new Date(Date.now() + 40 * 86_400_000));
    await eventually(async () => {
      const { customer } = await store.data(
        `query($id: ID!) { customer(id: $id) { timeline(kinds: [LOYALTY], first: 20) { edges { node { kind summary } } } } }`,
        { id },
      );
      expect(customer.timeline.edges.map((edge: any) => edge.node.summary)).toEqual([
        '3 points expired',
        'Points adjusted +3 points (Sorry)',
        expect.stringMatching(/^Reversed 15 points \(Order .* cancelled, 35 points owed\)$/),
        'Redeemed 60 points',
        'Points adjusted +5 points (Goodwill)',
        'Sign-up bonus: +20 points',
      ]);
    });
  });
});

describe('redeeming and adjusting', () => {
  it('lets 50 concurrent redemptions never take the balance below zero, and the ledger sums to it', async () => {
    const store = await storeWith();
    const id = await newCustomer(store);
    const credit = await store.request(ADJUST, { input: { customerId: id, points: 30, reason: 'Welcome' } });
    expect(credit.data.adjustLoyaltyPoints).toMatchObject({
      entry: { kind: 'ADJUSTED', points: 30, reason: 'Welcome' },
      loyalty: { points: 30, pendingPoints: 0 },
    });
    const results = await Promise.all(Array.from({ length: 50 }, () => redeem(store, id, 1)));
    const refused = results.filter((result) => result.errors);
    expect(results.filter((result) => result.data?.redeemLoyaltyPoints)).toHaveLength(30);
    expect(refused).toHaveLength(20);
    for (const result of refused) {
      expect(result.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'INSUFFICIENT_POINTS' });
    }
    const l = await loyalty(store, id);
    expect(l).toMatchObject({ points: 0, pendingPoints: 0, entries: { totalCount: 31 } });
    expect(ledgerSum(l)).toBe(0);
  });

  it('answers bad input with BAD_USER_INPUT naming the field, and changes nothing', async () => {
    const store = await storeWith();
    const id = await newCustomer(store);
    expect((await store.request(ADJUST, { input: { customerId: id, points: 10, reason: 'Start' } })).errors).toBe(
      undefined,
    );
    const cases: [string, Record<string, unknown>, string][] = [
      [REDEEM, { customerId: id, points: -5 }, 'input.points'],
      [REDEEM, { customerId: id, points: 0 }, 'input.points'],
      [REDEEM, { customerId: 'not-a-customer', points: 1 }, 'input.customerId'],
      [REDEEM, { customerId: id, points: 1, orderId: 'nope' }, 'input.orderId'],
      [ADJUST, { customerId: id, points: 0, reason: 'x' }, 'input.points'],
      [ADJUST, { customerId: id, points: 5, reason: '   ' }, 'input.reason'],
      [ADJUST, { customerId: 'nope', points: 5, reason: 'x' }, 'input.customerId'],
      [PROGRAM, { enabled: true, rate: { points: 0, perMinorUnits: 100 }, pendingDays: 1 }, 'input.rate.points'],
      [PROGRAM, { enabled: true, rate: { points: 1, perMinorUnits: 0 }, pendingDays: 1 }, 'input.rate.perMinorUnits'],
      [PROGRAM, { enabled: true, rate: { points: 1, perMinorUnits: 100 }, pendingDays: -1 }, 'input.pendingDays'],
    ];
    for (const [mutation, input, field] of cases) {
      const response = await store.request(mutation, { input });
      expect(response.errors?.[0]?.extensions, JSON.stringify(input)).toMatchObject({
        code: 'BAD_USER_INPUT',
        fields: expect.arrayContaining([expect.objectContaining({ field })]),
      });
    }
    // A customer the store does not have (a well-formed id, or another store's customer): a mistake in
    // the input's field, named like the malformed ids above.
    const unknownCustomer = {
      code: 'BAD_USER_INPUT',
      fields: [expect.objectContaining({ field: 'input.customerId' })],
    };
    expect((await redeem(store, randomUUID(), 1)).errors?.[0]?.extensions).toMatchObject(unknownCustomer);
    const adjustUnknown = await store.request(ADJUST, { input: { customerId: randomUUID(), points: 5, reason: 'x' } });
    expect(adjustUnknown.errors?.[0]?.extensions).toMatchObject(unknownCustomer);
    const elsewhere = await graph.createStore('Elsewhere');
    expect((await redeem(elsewhere, id, 1)).errors?.[0]?.extensions).toMatchObject(unknownCustomer);
    // A deduction beyond the spendable points.
    const over = await store.request(ADJUST, { input: { customerId: id, points: -11, reason: 'Too much' } });
    expect(over.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'INSUFFICIENT_POINTS' });

    const { loyaltyProgram } = await store.data(
      `{ loyaltyProgram { version rate { points perMinorUnits } pendingDays } }`,
    );
    expect(loyaltyProgram).toEqual({ version: 1, rate: { points: 1, perMinorUnits: 100 }, pendingDays: 14 });
    expect(await loyalty(store, id)).toMatchObject({ points: 10, entries: { totalCount: 1 } });
  });

  it('refuses customer tokens, and shows a customer their own points only', async () => {
    const store = await storeWith();
    const id = await newCustomer(store);
    const other = await newCustomer(store);
    const { signToken } = await import('@cg/auth');
    const token = await signToken({ kind: 'customer', userId: id, storeId: store.id });
    const refused = await graph.request(REDEEM, { input: { customerId: id, points: 1 } }, { token });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const own = await graph.request(`query { me { loyalty { points } } }`, {}, { token });
    expect(own.errors).toBeUndefined();
    expect(own.data.me.loyalty).toEqual({ points: 0 });
    const theirs = await graph.request(LOYALTY, { id: other }, { token });
    // Another customer's profile is not theirs to see: no points of it reach them.
    expect(theirs.data?.customer?.loyalty ?? null).toBeNull();
  });
});

describe('reads', () => {
  it('costs the same statements for 50 customers as for 5: one per relation', async () => {
    const store = await storeWith();
    const ids = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        store
          .createCustomer({ firstName: i < 5 ? 'Points-Few' : 'Points-Many', email: `points${i}@example.com` })
          .then((customer) => customer.id),
      ),
    );
    for (const id of ids) {
      expect((await store.request(ADJUST, { input: { customerId: id, points: 5, reason: 'Hello' } })).errors).toBe(
        undefined,
      );
    }
    const query = `query($search: String) { customers(first: 50, filter: { search: $search }) { edges { node { id loyalty { points pendingPoints entries(first: 10) { totalCount edges { node { kind points } } } } } } } }`;
    let few: any;
    let many: any;
    const fewStatements = await graph.countStatements(async () => {
      few = await store.data(query, { search: 'points-few' });
    });
    const manyStatements = await graph.countStatements(async () => {
      many = await store.data(query, { search: 'points' });
    });
    expect(few.customers.edges).toHaveLength(5);
    expect(many.customers.edges).toHaveLength(50);
    for (const { node } of many.customers.edges) {
      expect(node.loyalty).toEqual({
        points: 5,
        pendingPoints: 0,
        entries: { totalCount: 1, edges: [{ node: { kind: 'ADJUSTED', points: 5 } }] },
      });
    }
    expect(manyStatements.engagement).toBe(2);
    expect(fewStatements.engagement).toBe(2);
  });
});
