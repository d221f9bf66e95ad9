import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '@cg/auth';
import { startTestGraph, type TestGraph, type TestStore } from '@cg/testing';

const RECORD_FEEDBACK = /* GraphQL */ `
  mutation Feedback($input: RecordOrderFeedbackInput!) {
    recordOrderFeedback(input: $input) {
      id
      rating
      negative
      comment
      source
      recordedBy
      createdAt
      order {
        id
        number
      }
    }
  }
`;
const ORDER_FEEDBACK = /* GraphQL */ `
  query ($id: ID!) {
    order(id: $id) {
      feedback {
        rating
        negative
        comment
      }
    }
  }
`;

let graph: TestGraph;
let store: TestStore;
let other: TestStore;
let sequence = 0;

beforeAll(async () => {
  graph = await startTestGraph();
  store = await graph.createStore('Feedback');
  other = await graph.createStore('Other feedback');
});
afterAll(() => graph?.close());

/** A guest's order of 10.00, as the feedback's `order { id number }` shows it. */
async function newOrder(): Promise<{ id: string; number: string }> {
  sequence += 1;
  const { id, number } = await store.recordOrder({ guest: { email: `buyer${sequence}@feedback.example` } });
  return { id, number };
}

const feedbackEvents = (orderId: string) =>
  graph.graph.subgraphs['commerce-history']!.db.sql`
    select payload from commerce_history.outbox where type = 'order.feedback_recorded' and payload->>'orderId' = ${orderId}`;

describe('recordOrderFeedback (O4)', () => {
  it('records the rating and comment, shows it on the order and announces it', async () => {
    const order = await newOrder();
    const { recordOrderFeedback } = await store.data(RECORD_FEEDBACK, {
      input: { orderId: order.id, rating: 2, comment: '  Late and cold  ' },
    });
    expect(recordOrderFeedback).toMatchObject({
      rating: 2,
      negative: true,
      comment: 'Late and cold',
      source: 'STAFF',
      recordedBy: expect.any(String),
      order: order,
    });
    expect((await store.data(ORDER_FEEDBACK, { id: order.id })).order.feedback).toEqual({
      rating: 2,
      negative: true,
      comment: 'Late and cold',
    });
    const events = await feedbackEvents(order.id);
    expect(events.map((row) => row.payload)).toEqual([
      expect.objectContaining({
        number: order.number,
        rating: 2,
        negative: true,
        comment: 'Late and cold',
        source: 'staff',
      }),
    ]);
  });

  it('calls 3 and above not negative; an order without feedback shows null', async () => {
    const order = await newOrder();
    expect((await store.data(ORDER_FEEDBACK, { id: order.id })).order.feedback).toBeNull();
    const { recordOrderFeedback } = await store.data(RECORD_FEEDBACK, { input: { orderId: order.id, rating: 3 } });
    expect(recordOrderFeedback).toMatchObject({ rating: 3, negative: false, comment: null });
  });

  it('takes one feedback per order: a second is a CONFLICT and changes nothing', async () => {
    const order = await newOrder();
    await store.data(RECORD_FEEDBACK, { input: { orderId: order.id, rating: 5 } });
    const again = await store.request(RECORD_FEEDBACK, { input: { orderId: order.id, rating: 1 } });
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(again.errors?.[0]?.message).toBe('The order already has feedback');
    expect((await store.data(ORDER_FEEDBACK, { id: order.id })).order.feedback.rating).toBe(5);
    expect(await feedbackEvents(order.id)).toHaveLength(1);
  });

  it('lets one of many concurrent feedbacks on an order win', async () => {
    const order = await newOrder();
    const responses = await Promise.all(
      [1, 2, 3, 4, 5].map((rating) => store.request(RECORD_FEEDBACK, { input: { orderId: order.id, rating } })),
    );
    expect(responses.filter((response) => response.data?.recordOrderFeedback)).toHaveLength(1);
    expect(responses.filter((response) => response.errors?.[0]?.extensions?.code === 'CONFLICT')).toHaveLength(4);
    expect(await feedbackEvents(order.id)).toHaveLength(1);
  });

  it.each([
    ['input.rating', { rating: 0 }],
    ['input.rating', { rating: 6 }],
    ['input.rating', { rating: -2 }],
    ['input.comment', { rating: 4, comment: 'x'.repeat(2001) }],
    ['input.orderId', { rating: 4, orderId: 'not-an-id' }],
  ])('rejects a bad %s with BAD_USER_INPUT and records nothing', async (field, input) => {
    const order = await newOrder();
    const response = await store.request(RECORD_FEEDBACK, { input: { orderId: order.id, ...input } });
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.errors?.[0]?.extensions?.fields.map((f: { field: string }) => f.field)).toEqual([field]);
    expect((await store.data(ORDER_FEEDBACK, { id: order.id })).order.feedback).toBeNull();
    expect(await feedbackEvents(order.id)).toHaveLength(0);
  });

  it('rejects a fractional rating before it reaches the service', async () => {
    const order = await newOrder();
    const response = await store.request(RECORD_FEEDBACK, { input: { orderId: order.id, rating: 2.5 } });
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await store.data(ORDER_FEEDBACK, { id: order.id })).order.feedback).toBeNull();
  });

  it('lets a signed-in customer read their order’s lines and history and give feedback, on their own order only', async () => {
    const buyer = await store.createCustomer({ email: 'signed-in@feedback.example' });
    const stranger = await store.createCustomer({ email: 'stranger@feedback.example' });
    const own = await store.recordOrder({ customerId: buyer.id, quantity: 2, unitPrice: 900 });
    const theirs = await store.recordOrder({ customerId: stranger.id });
    const token = await signToken({ kind: 'customer', userId: buyer.id, storeId: store.id });
    const ORDER = `query($id: ID!) { order(id: $id) { items { quantity } statusHistory { toStatus } feedback { rating } } }`;
    const GIVE = `mutation($input: RecordOrderFeedbackInput!) { recordOrderFeedback(input: $input) { rating source } }`;

    const shown = await graph.request(ORDER, { id: own.id }, { token });
    expect(shown.errors).toBeUndefined();
    expect(shown.data.order).toMatchObject({ items: [{ quantity: 2 }], statusHistory: [expect.any(Object)] });
    const given = await graph.request(GIVE, { input: { orderId: own.id, rating: 5 } }, { token });
    expect(given.errors).toBeUndefined();
    expect(given.data.recordOrderFeedback).toEqual({ rating: 5, source: 'CUSTOMER' });
    expect((await graph.request(ORDER, { id: own.id }, { token })).data.order.feedback).toEqual({ rating: 5 });

    const refused = await graph.request(GIVE, { input: { orderId: theirs.id, rating: 1 } }, { token });
    expect(refused.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await store.data(ORDER_FEEDBACK, { id: theirs.id })).order.feedback).toBeNull();
  });

  it('does not find another store’s order', async () => {
    const order = await newOrder();
    const response = await other.request(RECORD_FEEDBACK, { input: { orderId: order.id, rating: 1 } });
    expect(response.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await store.data(ORDER_FEEDBACK, { id: order.id })).order.feedback).toBeNull();
  });
});
