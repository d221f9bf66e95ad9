import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestGraph, type TestGraph, type TestStore, operationNamed } from '@cg/testing';
import { EXAMPLE_OPERATIONS } from '@cg/gateway';

/** The README's "customer detail" query is the explorer's first example; both are checked here. */
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

let graph: TestGraph;
let store: TestStore;
let customerId: string;
/** What the orders earn under the program below: floor(total ÷ 100) each. */
let expectedPoints = 0;

beforeAll(async () => {
  graph = await startTestGraph();
  store = await graph.createStore('Detail store', { currency: 'EUR' });
  const hedy = { firstName: 'Hedy', lastName: 'Lamarr', email: 'hedy@example.com', phone: '+43 664 1234567' };
  customerId = (await store.createCustomer({ ...hedy, country: 'AT' })).id;
  await store.data(
    `mutation($id: ID!) {
      home: addAddress(customerId: $id, input: { kind: DELIVERY, recipient: "Hedy Lamarr", line1: "Ringstraße 1", city: "Wien", country: "AT" }) { id }
      invoice: addAddress(customerId: $id, input: { kind: INDIVIDUAL_INVOICE, recipient: "Hedy Lamarr", line1: "Ringstraße 1", city: "Wien", country: "AT" }) { id }
    }`,
    { id: customerId },
  );
  const { createCampaign } = await store.data(
    `mutation { createCampaign(input: { name: "New year", type: "Seasonal sale", discountType: PROMOTION, startsAt: "2025-12-20T00:00:00Z", endsAt: "2026-01-10T00:00:00Z" }) { id } }`,
  );
  // E3: one point per 1.00, spendable once the order is 7 days old (all of these are).
  await store.data(
    `mutation { updateLoyaltyProgram(input: { enabled: true, rate: { points: 1, perMinorUnits: 100 }, pendingDays: 7 }) { version } }`,
  );
  const coupon = await store.createCoupon({ code: 'HOPPER1', name: 'One euro off', startsAt: '2025-12-20T00:00:00Z' });
  for (let i = 0; i < 12; i += 1) {
    const recordOrder = await store.recordOrder({
      number: `HL${String(i).padStart(8, '0')}`,
      customerId,
      ...(i < 3 ? { campaignIds: [createCampaign.id], couponCodes: [coupon.code], discount: 100 } : {}),
      items: [{ productId: 'radio', name: 'Frequency hopper', quantity: 1 + (i % 3), unitPrice: 2500, unitCost: 1000 }],
      placedAt: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
    });
    expectedPoints += Math.floor(recordOrder.total.amount / 100);
    await store.data(`mutation($input: RecordPaymentInput!) { recordPayment(input: $input) { id } }`, {
      input: {
        orderId: recordOrder.id,
        transactionCode: `TX-HL-${i}`,
        method: 'CREDIT_CARD',
        amount: recordOrder.total.amount,
        currency: 'EUR',
      },
    });
  }
  await store.data(
    `mutation($id: ID!) {
      credit: adjustWallet(input: { customerId: $id, amount: 5000, currency: "EUR", reason: "Welcome credit" }) { entry { id } }
      debit: adjustWallet(input: { customerId: $id, amount: -1200, currency: "EUR", reason: "Spent" }) { entry { id } }
    }`,
    { id: customerId },
  );
  const { publishLegalDocument } = await store.data(
    `mutation { publishLegalDocument(input: { key: "privacy-notice", type: PRIVACY_NOTICE, title: "Privacy notice", content: "We keep your data safe." }) { id } }`,
  );
  await store.data(
    `mutation($id: ID!, $doc: ID!) {
      doc: grantPermission(input: { customerId: $id, documentId: $doc, source: IMPORT, ip: "203.0.113.7" }) { id }
      email: grantPermission(input: { customerId: $id, channel: EMAIL, source: CHECKOUT }) { id }
    }`,
    { id: customerId, doc: publishLegalDocument.id },
  );
});
afterAll(() => graph?.close());

describe('the customer detail query', () => {
  const query = operationNamed('CustomerDetail', EXAMPLE_OPERATIONS);

  it('is the one the README shows', () => {
    expect(operationNamed('CustomerDetail', README)).toBe(query);
  });

  it('returns data from all four subgraphs through the gateway', async () => {
    // The metrics and the order entries of the timeline follow the orders through events.
    const { customer } = await eventually(async () => {
      const data = await store.data(query, { id: customerId });
      expect(data.customer.metrics.orderCount).toBe(12);
      return data;
    });
    expect(customer.fullName).toBe('Hedy Lamarr');
    expect(customer.addresses.edges).toHaveLength(2);
    expect(customer.orders.totalCount).toBe(12);
    expect(customer.orders.edges).toHaveLength(10);
    expect(customer.orders.edges[0].node.number).toBe('HL00000011');
    expect(customer.orders.edges[0].node.items).toEqual([
      { id: expect.any(String), name: 'Frequency hopper', quantity: 3 },
    ]);
    expect(customer.payments.edges).toHaveLength(10);
    expect(customer.payments.edges[0].node.order.number).toMatch(/^HL/);
    expect(customer.campaigns).toEqual([
      {
        campaign: { id: expect.any(String), name: 'New year', discountType: 'PROMOTION', status: 'ENDED' },
        orderCount: 3,
        discount: { amount: 300, currency: 'EUR' },
      },
    ]);
    expect(customer.coupons.edges.map((edge: any) => edge.node)).toEqual([
      {
        coupon: expect.objectContaining({
          code: 'HOPPER1',
          name: 'One euro off',
          discountType: 'FIXED_AMOUNT',
          amount: 100,
        }),
        timesUsed: 3,
        discountReceived: { amount: 300, currency: 'EUR' },
      },
    ]);
    // The newest order: 3 radios of 25.00 bought at 10.00 each, no discount, fee or returns.
    expect(customer.orders.edges[0].node.profitAndLoss).toEqual({
      revenue: { amount: 7500, currency: 'EUR' },
      itemCost: { amount: 3000, currency: 'EUR' },
      profit: { amount: 4500, currency: 'EUR' },
      margin: 0.6,
    });
    expect(
      customer.purchasedProducts.edges.map((edge: any) => [edge.node.productId, edge.node.orders, edge.node.units]),
    ).toEqual([['radio', 12, 24]]);
    expect(customer.logs.edges).toHaveLength(10);
    expect(customer.wallet.balance).toEqual({ amount: 3800, currency: 'EUR' });
    expect(customer.wallet.entries.edges.map((edge: any) => edge.node.amount.amount)).toEqual([-1200, 5000]);
    expect(customer.metrics).toMatchObject({ orderCount: 12, totalSpent: { currency: 'EUR' } });
    const { loyalty } = await eventually(async () => {
      const data = await store.data(query, { id: customerId });
      expect(data.customer.loyalty).toMatchObject({ points: expectedPoints, pendingPoints: 0 });
      return data.customer;
    });
    expect(loyalty.entries.edges).toHaveLength(10);
    expect(loyalty.entries.edges[0].node).toMatchObject({ kind: 'EARNED', points: 75, pending: 0 });
    expect(customer.timeline.edges).toHaveLength(10);
    expect(customer.permissions.edges.map((edge: any) => [edge.node.type, edge.node.status]).sort()).toEqual([
      ['EMAIL', 'GRANTED'],
      ['PRIVACY_NOTICE', 'GRANTED'],
    ]);
  });

  it('costs at most one SQL statement per relation in each subgraph', async () => {
    const relations: Record<string, string[]> = {
      customer: [
        'customer',
        'metrics',
        'segments (list, then membership)',
        'segments.membership',
        'addresses',
        'timeline',
        'referredBy.referrer',
      ],
      'commerce-history': [
        'orders',
        'orders.items (and the lines of the P&L)',
        'orders.outcome (returned and cancelled units, P&L)',
        'payments',
        'payments.order',
        'campaigns',
        'coupons',
        'purchasedProducts',
        'logs',
      ],
      engagement: [
        'wallet.balance',
        'wallet.entries',
        'loyalty.points',
        'loyalty.entries',
        "loyalty.tier (the store's tiers)",
        "loyalty.tier (the customer's 12 months)",
        'loyalty.cards',
        'loyalty.cards.cardType',
        'referenceCodes',
        'referredBy',
        'referredBy.code',
      ],
      consent: ['permissions', 'permissions.document'],
    };
    const statements = await graph.countStatements(() => store.data(query, { id: customerId }));
    for (const [subgraph, list] of Object.entries(relations)) {
      expect({ subgraph, statements: statements[subgraph] }).toEqual({ subgraph, statements: expect.any(Number) });
      expect(statements[subgraph], `${subgraph}: ${list.join(', ')}`).toBeLessThanOrEqual(list.length);
      expect(statements[subgraph]).toBeGreaterThan(0);
    }
  });
});
