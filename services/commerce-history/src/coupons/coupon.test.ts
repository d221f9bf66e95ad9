import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '@cg/auth';
import { eventually, startTestGraph, type TestGraph, type TestStore } from '@cg/testing';

const COUPON_FIELDS = `id code name type discountType amount currency usageLimit perCustomerLimit timesUsed
  startsAt expiresAt stoppedAt status campaign { id }`;
const CREATE = /* GraphQL */ `
  mutation Create($input: CreateCouponInput!) { createCoupon(input: $input) { ${COUPON_FIELDS} } }
`;
const UPDATE = /* GraphQL */ `
  mutation Update($id: ID!, $input: UpdateCouponInput!) { updateCoupon(id: $id, input: $input) { ${COUPON_FIELDS} } }
`;
const STOP = /* GraphQL */ `
  mutation Stop($id: ID!) { stopCoupon(id: $id) { ${COUPON_FIELDS} } }
`;
const GET = /* GraphQL */ `
  query Get($id: ID!) { coupon(id: $id) { ${COUPON_FIELDS} } }
`;
const LIST = /* GraphQL */ `
  query List($filter: CouponFilter, $first: Int, $after: String) {
    coupons(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          code
          status
        }
      }
    }
  }
`;
const CUSTOMER_COUPONS = /* GraphQL */ `
  query CustomerCoupons($id: ID!) {
    customer(id: $id) {
      coupons(first: 10) {
        totalCount
        edges {
          node {
            coupon {
              id
              code
              name
              type
              discountType
              amount
              currency
              usageLimit
              perCustomerLimit
              expiresAt
            }
            timesUsed
            discountReceived {
              amount
              currency
            }
            lastUsedAt
          }
        }
      }
    }
  }
`;
/** Rows of commerce-history's database, read directly: what intake wrote. */
const chSql = () => graph.graph.subgraphs['commerce-history']!.db.sql;

const ORDER_COUNT = /* GraphQL */ `
  query ($id: ID!) {
    customer(id: $id) {
      orders(first: 1) {
        totalCount
      }
    }
  }
`;

let graph: TestGraph;
let store: TestStore;
let other: TestStore;

const DAY = 86_400_000;
const at = (days: number) => new Date(Date.now() + days * DAY).toISOString();

type Response = { errors?: { message: string; extensions?: Record<string, any> }[] };
const codeOf = (response: Response) => response.errors?.[0]?.extensions?.code;
const reasonOf = (response: Response) => response.errors?.[0]?.extensions?.reason;
const fieldOf = (response: Response) => response.errors?.[0]?.extensions?.fields?.[0]?.field;

beforeAll(async () => {
  // The batch of 50 customers' coupons is measured for its statements: its worst-case cost is
  // above the default limit, which is not what these tests are about.
  graph = await startTestGraph({ limits: { maxCost: 200_000 } });
  store = await graph.createStore('Coupons', { currency: 'EUR' });
  other = await graph.createStore('Other coupons', { currency: 'EUR' });
});
afterAll(() => graph?.close());

let named = 0;
async function createCoupon(on: TestStore, fields: Record<string, unknown> = {}) {
  named += 1;
  const input = {
    code: `CODE${named}`,
    name: `Coupon ${named}`,
    type: 'Welcome',
    discountType: 'PERCENTAGE',
    amount: 1000,
    startsAt: at(-1),
    ...fields,
  };
  return (await on.data(CREATE, { input })).createCoupon;
}

let numbered = 0;
const orderNumber = () => `CPN${String((numbered += 1)).padStart(7, '0')}`;

/** One item of 10.00; `discount` is the order-level discount. */
function orderInput(customerId: string | null, fields: Record<string, unknown> = {}) {
  return {
    number: orderNumber(),
    ...(customerId ? { customerId } : { guest: { email: 'guest@coupons.example' } }),
    channel: 'WEB',
    currency: 'EUR',
    items: [{ productId: 'p', name: 'P', quantity: 1, unitPrice: 1000 }],
    ...fields,
  };
}
const RECORD = /* GraphQL */ `
  mutation ($input: RecordOrderInput!) {
    recordOrder(input: $input) {
      id
      couponCodes
      couponDiscount {
        amount
      }
    }
  }
`;
const recordOrder = (on: TestStore, input: Record<string, unknown>) => on.request(RECORD, { input });
const SET_STATUS = /* GraphQL */ `
  mutation ($id: ID!, $status: OrderStatus!) {
    updateOrderStatus(id: $id, status: $status) {
      id
      status
    }
  }
`;

async function orderCount(customerId: string): Promise<number> {
  return (await store.data(ORDER_COUNT, { id: customerId })).customer.orders.totalCount;
}

describe('coupons (O8)', () => {
  it('creates, edits, stops and reads a coupon, its status following dates, stop and uses', async () => {
    const campaign = (
      await store.data(
        `mutation($s: DateTimeISO!, $e: DateTimeISO!) { createCampaign(input: { name: "C", type: "t", discountType: PROMOTION, startsAt: $s, endsAt: $e }) { id } }`,
        { s: at(-1), e: at(10) },
      )
    ).createCampaign;
    const created = await createCoupon(store, {
      code: 'Spring-10',
      name: ' Spring ',
      usageLimit: 5,
      perCustomerLimit: 2,
      expiresAt: at(30),
      campaignId: campaign.id,
    });
    expect(created).toMatchObject({
      code: 'Spring-10',
      name: 'Spring',
      type: 'Welcome',
      discountType: 'PERCENTAGE',
      amount: 1000,
      currency: null,
      usageLimit: 5,
      perCustomerLimit: 2,
      timesUsed: 0,
      status: 'ACTIVE',
      campaign: { id: campaign.id },
    });
    const scheduled = (await store.data(UPDATE, { id: created.id, input: { startsAt: at(2), name: 'Later' } }))
      .updateCoupon;
    expect(scheduled).toMatchObject({ status: 'SCHEDULED', name: 'Later' });
    const cleared = (
      await store.data(UPDATE, { id: created.id, input: { startsAt: at(-1), clear: ['expiresAt', 'campaignId'] } })
    ).updateCoupon;
    expect(cleared).toMatchObject({ status: 'ACTIVE', expiresAt: null, campaign: null });
    const expired = (await store.data(UPDATE, { id: created.id, input: { startsAt: at(-3), expiresAt: at(-2) } }))
      .updateCoupon;
    expect(expired.status).toBe('EXPIRED');
    const stopped = (await store.data(STOP, { id: created.id })).stopCoupon;
    expect(stopped.status).toBe('STOPPED');
    expect(stopped.stoppedAt).not.toBeNull();
    const again = await store.request(STOP, { id: created.id });
    expect(codeOf(again)).toBe('CONFLICT');
    expect((await store.data(GET, { id: created.id })).coupon).toMatchObject({ id: created.id, status: 'STOPPED' });

    const fixed = await createCoupon(store, { discountType: 'FIXED_AMOUNT', amount: 250, currency: 'eur' });
    expect(fixed).toMatchObject({ amount: 250, currency: 'EUR' });
    const shipping = await createCoupon(store, { discountType: 'FREE_SHIPPING', amount: null });
    expect(shipping).toMatchObject({ amount: 0, currency: null });
  });

  it('refuses a code the store has in any case, bad amounts and bad dates, and changes nothing', async () => {
    await createCoupon(store, { code: 'Summer' });
    const duplicate = await store.request(CREATE, {
      input: { code: 'SUMMER', name: 'Dup', type: 't', discountType: 'PERCENTAGE', amount: 500 },
    });
    expect(codeOf(duplicate)).toBe('BAD_USER_INPUT');
    expect(fieldOf(duplicate)).toBe('input.code');
    // Another store may use it.
    expect((await createCoupon(other, { code: 'summer' })).code).toBe('summer');

    const base = { code: 'BADONE', name: 'Bad', type: 't' };
    const cases: [Record<string, unknown>, string][] = [
      [{ discountType: 'PERCENTAGE', amount: 0 }, 'input.amount'],
      [{ discountType: 'PERCENTAGE', amount: 10_001 }, 'input.amount'],
      [{ discountType: 'PERCENTAGE' }, 'input.amount'],
      [{ discountType: 'PERCENTAGE', amount: 100, currency: 'EUR' }, 'input.currency'],
      [{ discountType: 'FIXED_AMOUNT', amount: -5, currency: 'EUR' }, 'input.amount'],
      [{ discountType: 'FIXED_AMOUNT', amount: 100 }, 'input.currency'],
      [{ discountType: 'FREE_SHIPPING', amount: 100 }, 'input.amount'],
      [{ discountType: 'PERCENTAGE', amount: 100, usageLimit: 0 }, 'input.usageLimit'],
      [{ discountType: 'PERCENTAGE', amount: 100, usageLimit: 1, perCustomerLimit: 2 }, 'input.perCustomerLimit'],
      [{ discountType: 'PERCENTAGE', amount: 100, startsAt: at(2), expiresAt: at(1) }, 'input.expiresAt'],
      [{ discountType: 'PERCENTAGE', amount: 100, code: 'has space' }, 'input.code'],
      [{ discountType: 'PERCENTAGE', amount: 100, campaignId: crypto.randomUUID() }, 'input.campaignId'],
    ];
    for (const [fields, field] of cases) {
      const response = await store.request(CREATE, { input: { ...base, ...fields } });
      expect(codeOf(response), JSON.stringify(fields)).toBe('BAD_USER_INPUT');
      expect(fieldOf(response), JSON.stringify(fields)).toBe(field);
    }
    const { coupons } = await store.data(LIST, { filter: { code: 'badone' } });
    expect(coupons.totalCount).toBe(0);

    const coupon = await createCoupon(store, { usageLimit: 3 });
    const edit = await store.request(UPDATE, { id: coupon.id, input: { expiresAt: at(-5) } });
    expect(fieldOf(edit)).toBe('input.expiresAt');
    const both = await store.request(UPDATE, { id: coupon.id, input: { usageLimit: 2, clear: ['usageLimit'] } });
    expect(fieldOf(both)).toBe('input.clear.0');
    expect((await store.data(GET, { id: coupon.id })).coupon).toMatchObject({ usageLimit: 3, expiresAt: null });
  });

  it('keeps each store to its own coupons and needs CAMPAIGNS_MANAGE to change them', async () => {
    const coupon = await createCoupon(store);
    expect((await other.data(GET, { id: coupon.id })).coupon).toBeNull();
    expect(codeOf(await other.request(STOP, { id: coupon.id }))).toBe('NOT_FOUND');
    expect(codeOf(await other.request(UPDATE, { id: coupon.id, input: { name: 'Mine' } }))).toBe('NOT_FOUND');
    const reader = await store.staff('coupon-reader', 'VIEWER');
    expect(codeOf(await graph.request(STOP, { id: coupon.id }, { token: reader }))).toBe('FORBIDDEN');
    expect((await graph.request(LIST, {}, { token: reader })).errors).toBeUndefined();
    const manager = await store.staff('coupon-manager', { actions: ['CUSTOMERS_READ', 'CAMPAIGNS_MANAGE'] });
    expect((await graph.request(STOP, { id: coupon.id }, { token: manager })).errors).toBeUndefined();
  });

  it('lists the store’s coupons newest first, filtered by status, campaign and code', async () => {
    const mine = await graph.createStore('Coupon list', { currency: 'EUR' });
    const campaign = (
      await mine.data(
        `mutation($s: DateTimeISO!, $e: DateTimeISO!) { createCampaign(input: { name: "C", type: "t", discountType: PROMOTION, startsAt: $s, endsAt: $e }) { id } }`,
        { s: at(-1), e: at(10) },
      )
    ).createCampaign;
    const active = await createCoupon(mine, { code: 'ALPHA1', campaignId: campaign.id });
    const scheduled = await createCoupon(mine, { code: 'ALPHA2', startsAt: at(3) });
    const expired = await createCoupon(mine, { code: 'BETA1', startsAt: at(-3), expiresAt: at(-1) });
    const stopped = await createCoupon(mine, { code: 'BETA2' });
    await mine.data(STOP, { id: stopped.id });
    const usedUp = await createCoupon(mine, { code: 'GAMMA', usageLimit: 1 });
    const customer = (await mine.createCustomer({ firstName: 'Lister' })).id;
    expect((await recordOrder(mine, orderInput(customer, { couponCodes: ['gamma'], discount: 100 }))).errors).toBe(
      undefined,
    );

    const all = (await mine.data(LIST, {})).coupons;
    expect(all.totalCount).toBe(5);
    expect(all.edges.map((edge: any) => edge.node.id)).toEqual([
      usedUp.id,
      stopped.id,
      expired.id,
      scheduled.id,
      active.id,
    ]);
    const ids = async (filter: Record<string, unknown>) =>
      (await mine.data(LIST, { filter })).coupons.edges.map((edge: any) => edge.node.id);
    expect(await ids({ status: ['ACTIVE'] })).toEqual([active.id]);
    expect(await ids({ status: ['SCHEDULED'] })).toEqual([scheduled.id]);
    expect(await ids({ status: ['EXPIRED'] })).toEqual([expired.id]);
    expect(await ids({ status: ['STOPPED'] })).toEqual([stopped.id]);
    expect(await ids({ status: ['USED_UP'] })).toEqual([usedUp.id]);
    expect(await ids({ status: ['USED_UP', 'ACTIVE'] })).toEqual([usedUp.id, active.id]);
    expect(await ids({ campaignId: [campaign.id] })).toEqual([active.id]);
    expect(await ids({ code: 'alpha' })).toEqual([scheduled.id, active.id]);
    expect(await ids({ code: 'BETA', status: ['STOPPED'] })).toEqual([stopped.id]);
    const first = (await mine.data(LIST, { first: 3 })).coupons;
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = (await mine.data(LIST, { first: 3, after: first.pageInfo.endCursor })).coupons;
    expect(rest.edges.map((edge: any) => edge.node.id)).toEqual([scheduled.id, active.id]);
  });
});

describe('order intake redeeming coupons (O8)', () => {
  it('redeems codes case-insensitively and records what each took off', async () => {
    const customer = (await store.createCustomer({ firstName: 'Redeemer' })).id;
    const percent = await createCoupon(store, { code: 'TENOFF', amount: 1000 });
    const fixed = await createCoupon(store, {
      code: 'TWOFIFTY',
      discountType: 'FIXED_AMOUNT',
      amount: 250,
      currency: 'EUR',
    });
    const free = await createCoupon(store, { code: 'SHIPFREE', discountType: 'FREE_SHIPPING', amount: null });
    // 10 % of the items after their own discount (1000 − 200 = 800): 80; 250; the shipping: 300.
    const response = await recordOrder(
      store,
      orderInput(customer, {
        items: [{ productId: 'p', name: 'P', quantity: 1, unitPrice: 1000, discount: 200 }],
        shipping: 300,
        discount: 630,
        couponCodes: ['tenoff', 'TwoFifty', 'shipfree', 'TENOFF'],
      }),
    );
    expect(response.errors).toBeUndefined();
    expect((response as any).data.recordOrder).toMatchObject({
      couponCodes: ['tenoff', 'TwoFifty', 'shipfree'],
      couponDiscount: { amount: 630 },
    });
    for (const coupon of [percent, fixed, free])
      expect((await store.data(GET, { id: coupon.id })).coupon.timesUsed).toBe(1);
    const rows = await chSql()`
      select c.code, r.discount::text from commerce_history.coupon_redemptions r
      join commerce_history.coupons c on c.store_id = r.store_id and c.id = r.coupon_id
      where r.order_id = ${(response as any).data.recordOrder.id} order by c.code`;
    expect(rows).toEqual([
      { code: 'SHIPFREE', discount: '300' },
      { code: 'TENOFF', discount: '80' },
      { code: 'TWOFIFTY', discount: '250' },
    ]);
  });

  it('refuses unknown, not started, expired, stopped and used-up codes with a clear code, recording nothing', async () => {
    const customer = (await store.createCustomer({ firstName: 'Refused' })).id;
    const good = await createCoupon(store, {
      code: 'GOODONE',
      discountType: 'FIXED_AMOUNT',
      amount: 100,
      currency: 'EUR',
    });
    const later = await createCoupon(store, { code: 'LATERONE', startsAt: at(2) });
    const gone = await createCoupon(store, { code: 'GONEONE', startsAt: at(-3), expiresAt: at(-1) });
    const halted = await createCoupon(store, { code: 'HALTED' });
    await store.data(STOP, { id: halted.id });
    const once = await createCoupon(store, { code: 'ONCEONLY', usageLimit: 1 });
    expect((await recordOrder(store, orderInput(null, { couponCodes: ['onceonly'], discount: 100 }))).errors).toBe(
      undefined,
    );
    const dollars = await createCoupon(store, {
      code: 'DOLLARS',
      discountType: 'FIXED_AMOUNT',
      amount: 100,
      currency: 'USD',
    });
    const before = await orderCount(customer);

    const unknown = await recordOrder(store, orderInput(customer, { couponCodes: ['GOODONE', 'NOPE'], discount: 200 }));
    expect(codeOf(unknown)).toBe('BAD_USER_INPUT');
    expect(fieldOf(unknown)).toBe('input.couponCodes.1');
    const cases: [string, string][] = [
      [later.code, 'COUPON_NOT_STARTED'],
      [gone.code, 'COUPON_EXPIRED'],
      [halted.code, 'COUPON_STOPPED'],
      [once.code, 'COUPON_USED_UP'],
    ];
    for (const [code, reason] of cases) {
      const response = await recordOrder(
        store,
        orderInput(customer, { couponCodes: ['GOODONE', code], discount: 300 }),
      );
      expect(codeOf(response), code).toBe('CONFLICT');
      expect(reasonOf(response), code).toBe(reason);
      expect(fieldOf(response), code).toBe('input.couponCodes.1');
    }
    const currency = await recordOrder(store, orderInput(customer, { couponCodes: [dollars.code], discount: 100 }));
    expect(fieldOf(currency)).toBe('input.couponCodes.0');
    // The order's discount must cover what the coupon takes off (100 here).
    const short = await recordOrder(store, orderInput(customer, { couponCodes: ['GOODONE'], discount: 99 }));
    expect(codeOf(short)).toBe('BAD_USER_INPUT');
    expect(fieldOf(short)).toBe('input.discount');

    expect(await orderCount(customer)).toBe(before);
    expect((await store.data(GET, { id: good.id })).coupon.timesUsed).toBe(0);
    expect((await store.data(GET, { id: once.id })).coupon.timesUsed).toBe(1);
  });

  it('lets exactly one of 20 racing orders have a single-use coupon', async () => {
    const coupon = await createCoupon(store, { code: 'RACE1', usageLimit: 1 });
    const customers = await Promise.all(
      Array.from({ length: 4 }, (_, i) => store.createCustomer({ firstName: `Racer${i}` })),
    );
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        recordOrder(store, orderInput(customers[i % 4]!.id, { couponCodes: ['race1'], discount: 100 })),
      ),
    );
    const won = responses.filter((response) => !response.errors);
    const lost = responses.filter((response) => response.errors);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(19);
    for (const response of lost) {
      expect(codeOf(response)).toBe('CONFLICT');
      expect(reasonOf(response)).toBe('COUPON_USED_UP');
    }
    expect((await store.data(GET, { id: coupon.id })).coupon).toMatchObject({ timesUsed: 1, status: 'USED_UP' });
    const rows = await chSql()`
      select count(*)::int as n from commerce_history.coupon_redemptions where coupon_id = ${coupon.id}`;
    expect(rows[0]!.n).toBe(1);
  });

  it('holds the per-customer limit, and a cancelled order gives its use back', async () => {
    const customer = (await store.createCustomer({ firstName: 'Limited' })).id;
    const otherCustomer = (await store.createCustomer({ firstName: 'Unlimited' })).id;
    const coupon = await createCoupon(store, { code: 'TWICE', perCustomerLimit: 2, usageLimit: 3 });
    const input = (id: string) => orderInput(id, { couponCodes: ['TWICE'], discount: 100 });
    const first = await recordOrder(store, input(customer));
    expect((await recordOrder(store, input(customer))).errors).toBeUndefined();
    const third = await recordOrder(store, input(customer));
    expect(reasonOf(third)).toBe('COUPON_LIMIT_PER_CUSTOMER');
    expect((await recordOrder(store, input(otherCustomer))).errors).toBeUndefined();
    expect(reasonOf(await recordOrder(store, input(otherCustomer)))).toBe('COUPON_USED_UP');

    const firstId = (first as any).data.recordOrder.id;
    await store.data(SET_STATUS, { id: firstId, status: 'CANCELLED' });
    expect((await store.data(GET, { id: coupon.id })).coupon).toMatchObject({ timesUsed: 2, status: 'ACTIVE' });
    // The use came back, for the coupon and for the customer.
    const again = await recordOrder(store, input(customer));
    expect(again.errors).toBeUndefined();
    expect((await store.data(GET, { id: coupon.id })).coupon.timesUsed).toBe(3);
    // Leaving CANCELLED takes the use again, which is not to be had now: refused, nothing changes.
    const reopen = await store.request(SET_STATUS, { id: firstId, status: 'NEW' });
    expect(codeOf(reopen)).toBe('CONFLICT');
    expect(reasonOf(reopen)).toBe('COUPON_USED_UP');
    const { order } = await store.data(`query($id: ID!) { order(id: $id) { status } }`, { id: firstId });
    expect(order.status).toBe('CANCELLED');

    // With a use free again, reopening takes it back.
    const spare = await createCoupon(store, { code: 'SPARE', usageLimit: 1 });
    const spared = (await recordOrder(store, orderInput(customer, { couponCodes: ['SPARE'], discount: 100 }))) as any;
    await store.data(SET_STATUS, { id: spared.data.recordOrder.id, status: 'CANCELLED' });
    expect((await store.data(GET, { id: spare.id })).coupon.timesUsed).toBe(0);
    await store.data(SET_STATUS, { id: spared.data.recordOrder.id, status: 'COMPLETED' });
    expect((await store.data(GET, { id: spare.id })).coupon).toMatchObject({ timesUsed: 1, status: 'USED_UP' });
  });
});

describe('redemptions of cancelled and guest orders (O8)', () => {
  it('records an order placed as CANCELLED with its redemption released, using nothing up', async () => {
    const coupon = await createCoupon(store, { code: 'CANCELLEDONE', usageLimit: 1 });
    const response = (await recordOrder(
      store,
      orderInput(null, { status: 'CANCELLED', couponCodes: ['CANCELLEDONE'], discount: 100 }),
    )) as any;
    expect(response.errors).toBeUndefined();
    expect((await store.data(GET, { id: coupon.id })).coupon).toMatchObject({ timesUsed: 0, status: 'ACTIVE' });
    const rows = await chSql()`
      select released_at is not null as released from commerce_history.coupon_redemptions
      where order_id = ${response.data.recordOrder.id}`;
    expect(rows.map((row) => row.released)).toEqual([true]);
  });

  it('brings a guest’s redemptions to the profile they register (C1)', async () => {
    const email = 'coupon-guest@coupons.example';
    await createCoupon(store, { code: 'GUESTONE' });
    const guestOrder = orderInput(null, { guest: { email }, couponCodes: ['GUESTONE'], discount: 100 });
    expect((await recordOrder(store, guestOrder)).errors).toBeUndefined();
    const customer = (await store.createCustomer({ firstName: 'Registered', email })).id;
    await eventually(async () => {
      const { coupons } = (await store.data(CUSTOMER_COUPONS, { id: customer })).customer;
      expect(coupons.edges.map((edge: any) => [edge.node.coupon.code, edge.node.timesUsed])).toEqual([['GUESTONE', 1]]);
    });
  });
});

describe('Customer.coupons (O8)', () => {
  it('lists each coupon the customer used once, with their uses and discount, cancelled orders left out', async () => {
    const customer = (await store.createCustomer({ firstName: 'Collector' })).id;
    const percent = await createCoupon(store, {
      code: 'LISTPCT',
      name: 'Ten percent',
      type: 'Loyalty',
      amount: 1000,
      usageLimit: 100,
      expiresAt: at(20),
    });
    const fixed = await createCoupon(store, {
      code: 'LISTFIX',
      discountType: 'FIXED_AMOUNT',
      amount: 300,
      currency: 'EUR',
    });
    for (let i = 0; i < 2; i += 1)
      await recordOrder(store, orderInput(customer, { couponCodes: ['LISTPCT'], discount: 100 }));
    const cancelled = (await recordOrder(
      store,
      orderInput(customer, { couponCodes: ['LISTFIX'], discount: 300 }),
    )) as any;
    await recordOrder(store, orderInput(customer, { couponCodes: ['LISTFIX', 'LISTPCT'], discount: 400 }));
    await store.data(SET_STATUS, { id: cancelled.data.recordOrder.id, status: 'CANCELLED' });

    const { coupons } = (await store.data(CUSTOMER_COUPONS, { id: customer })).customer;
    expect(coupons.totalCount).toBe(2);
    const nodes = coupons.edges.map((edge: any) => edge.node);
    const byCode = Object.fromEntries(nodes.map((node: any) => [node.coupon.code, node]));
    expect(byCode.LISTPCT).toMatchObject({
      coupon: {
        id: percent.id,
        name: 'Ten percent',
        type: 'Loyalty',
        discountType: 'PERCENTAGE',
        amount: 1000,
        usageLimit: 100,
        expiresAt: percent.expiresAt,
      },
      timesUsed: 3,
      discountReceived: { amount: 300, currency: 'EUR' },
    });
    expect(byCode.LISTFIX).toMatchObject({
      coupon: { id: fixed.id, discountType: 'FIXED_AMOUNT', amount: 300, currency: 'EUR', usageLimit: null },
      timesUsed: 1,
      discountReceived: { amount: 300, currency: 'EUR' },
    });
    // The signed-in customer sees the same list (row-level security lets them read those coupons).
    const token = await signToken({ kind: 'customer', userId: customer, storeId: store.id });
    const own = await graph.request(CUSTOMER_COUPONS, { id: customer }, { token });
    expect(own.errors).toBeUndefined();
    expect(
      own.data.customer.coupons.edges.map((edge: any) => [edge.node.coupon.code, edge.node.timesUsed]).sort(),
    ).toEqual([
      ['LISTFIX', 1],
      ['LISTPCT', 3],
    ]);
    // Another store's staff sees nothing of it.
    expect((await other.request(CUSTOMER_COUPONS, { id: customer })).data?.customer ?? null).toBeNull();
  });

  it('reads the coupons of 5 or 50 customers in the same statements', async () => {
    const batch = await graph.createStore('Coupon batch', { currency: 'EUR' });
    await createCoupon(batch, { code: 'BATCHA' });
    await createCoupon(batch, { code: 'BATCHB', discountType: 'FIXED_AMOUNT', amount: 100, currency: 'EUR' });
    for (let chunk = 0; chunk < 5; chunk += 1) {
      await Promise.all(
        Array.from({ length: 10 }, async (_, i) => {
          const id = (await batch.createCustomer({ firstName: `Batch${chunk * 10 + i}` })).id;
          const response = await recordOrder(
            batch,
            orderInput(id, { couponCodes: ['BATCHA', 'BATCHB'], discount: 200 }),
          );
          expect(response.errors).toBeUndefined();
        }),
      );
    }
    const query = /* GraphQL */ `
      query ($first: Int!) {
        customers(first: $first) {
          edges {
            node {
              id
              coupons(first: 5) {
                totalCount
                edges {
                  node {
                    coupon {
                      id
                      code
                      status
                    }
                    timesUsed
                    discountReceived {
                      amount
                    }
                  }
                }
              }
            }
          }
        }
      }
    `;
    await batch.data(query, { first: 5 }); // warm the pools: a new connection costs one extra type query
    const measure = async (first: number) => {
      let data: any;
      const counts = await graph.countStatements(async () => {
        data = await batch.data(query, { first });
      });
      expect(data.customers.edges).toHaveLength(first);
      for (const { node } of data.customers.edges) {
        expect(node.coupons.totalCount).toBe(2);
        expect(node.coupons.edges.map((edge: any) => edge.node.discountReceived.amount).sort()).toEqual([100, 100]);
      }
      return counts;
    };
    const few = await measure(5);
    const many = await measure(50);
    expect(many).toEqual(few);
    expect(few['commerce-history']).toBe(1);
  });
});
