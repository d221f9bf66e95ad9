import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '@cg/auth';
import { startTestGraph, type TestGraph, type TestStore } from '@cg/testing';

const CAMPAIGN_FIELDS = `id name type discountType startsAt endsAt stoppedAt status`;
const CREATE = /* GraphQL */ `
  mutation Create($input: CreateCampaignInput!) { createCampaign(input: $input) { ${CAMPAIGN_FIELDS} } }
`;
const UPDATE = /* GraphQL */ `
  mutation Update($id: ID!, $input: UpdateCampaignInput!) { updateCampaign(id: $id, input: $input) { ${CAMPAIGN_FIELDS} } }
`;
const STOP = /* GraphQL */ `
  mutation Stop($id: ID!) { stopCampaign(id: $id) { ${CAMPAIGN_FIELDS} } }
`;
const LIST = /* GraphQL */ `
  query List($filter: CampaignFilter, $first: Int, $after: String) {
    campaigns(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
          status
        }
      }
    }
  }
`;
const CUSTOMER_CAMPAIGNS = /* GraphQL */ `
  query CustomerCampaigns($id: ID!, $filter: CampaignFilter) {
    customer(id: $id) {
      campaigns(filter: $filter) {
        campaign {
          id
          name
          status
          discountType
        }
        orderCount
        discount {
          amount
          currency
        }
      }
    }
  }
`;

let graph: TestGraph;
let store: TestStore;
let other: TestStore;

const DAY = 86_400_000;
const at = (days: number) => new Date(Date.now() + days * DAY).toISOString();

beforeAll(async () => {
  // The batch of 50 customers' campaigns and orders' campaigns is measured for its statements: its
  // worst-case cost is above the default limit, which is not what these tests are about.
  graph = await startTestGraph({ limits: { maxCost: 200_000 } });
  store = await graph.createStore('Campaigns', { currency: 'EUR' });
  other = await graph.createStore('Other campaigns', { currency: 'EUR' });
});
afterAll(() => graph?.close());

let named = 0;
async function createCampaign(on: TestStore, fields: Record<string, unknown> = {}) {
  named += 1;
  const input = {
    name: `Campaign ${named}`,
    type: 'Seasonal sale',
    discountType: 'PROMOTION',
    startsAt: at(-1),
    endsAt: at(10),
    ...fields,
  };
  return (await on.data(CREATE, { input })).createCampaign;
}

const codeOf = (response: { errors?: { extensions?: Record<string, any> }[] }) =>
  response.errors?.[0]?.extensions?.code;
const fieldOf = (response: { errors?: { extensions?: Record<string, any> }[] }) =>
  response.errors?.[0]?.extensions?.fields?.[0]?.field;

describe('campaigns (O7)', () => {
  it('creates, edits and stops a campaign, its status following the dates and the stop', async () => {
    const created = await createCampaign(store, { name: ' Spring ', startsAt: at(2), endsAt: at(5) });
    expect(created).toMatchObject({ name: 'Spring', type: 'Seasonal sale', discountType: 'PROMOTION' });
    expect(created.status).toBe('SCHEDULED');
    const started = (
      await store.data(UPDATE, { id: created.id, input: { startsAt: at(-1), discountType: 'MEMBERSHIP' } })
    ).updateCampaign;
    expect(started).toMatchObject({ status: 'ACTIVE', discountType: 'MEMBERSHIP', name: 'Spring' });
    const ended = (await store.data(UPDATE, { id: created.id, input: { startsAt: at(-3), endsAt: at(-2) } }))
      .updateCampaign;
    expect(ended.status).toBe('ENDED');
    expect(codeOf(await store.request(STOP, { id: created.id }))).toBe('CONFLICT');

    const running = await createCampaign(store);
    const stopped = (await store.data(STOP, { id: running.id })).stopCampaign;
    expect(stopped.status).toBe('STOPPED');
    expect(stopped.stoppedAt).not.toBeNull();
    const again = await store.request(STOP, { id: running.id });
    expect(codeOf(again)).toBe('CONFLICT');
    expect(again.errors?.[0]?.message).toBe('Campaign is already stopped');
    // A stopped campaign stays stopped whatever its dates become.
    expect((await store.data(UPDATE, { id: running.id, input: { endsAt: at(30) } })).updateCampaign.status).toBe(
      'STOPPED',
    );
  });

  it('refuses an end that is not after the start, on create and on edit, and changes nothing', async () => {
    const bad = await store.request(CREATE, {
      input: { name: 'Backwards', type: 'x', discountType: 'PURCHASE', startsAt: at(2), endsAt: at(1) },
    });
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
    expect(fieldOf(bad)).toBe('input.endsAt');
    const campaign = await createCampaign(store, { startsAt: at(1), endsAt: at(3) });
    const edit = await store.request(UPDATE, { id: campaign.id, input: { startsAt: at(4) } });
    expect(codeOf(edit)).toBe('BAD_USER_INPUT');
    expect(fieldOf(edit)).toBe('input.startsAt');
    const { campaign: kept } = await store.data(`query($id: ID!) { campaign(id: $id) { startsAt } }`, {
      id: campaign.id,
    });
    expect(kept.startsAt).toBe(campaign.startsAt);
    const empty = await store.request(UPDATE, { id: campaign.id, input: { name: '  ' } });
    expect(fieldOf(empty)).toBe('input.name');
  });

  it('keeps each store to its own campaigns', async () => {
    const campaign = await createCampaign(store);
    expect((await other.data(`query($id: ID!) { campaign(id: $id) { id } }`, { id: campaign.id })).campaign).toBeNull();
    expect(codeOf(await other.request(STOP, { id: campaign.id }))).toBe('NOT_FOUND');
    expect(codeOf(await other.request(UPDATE, { id: campaign.id, input: { name: 'Mine' } }))).toBe('NOT_FOUND');
  });

  it('needs CAMPAIGNS_MANAGE to create, edit or stop', async () => {
    const campaign = await createCampaign(store);
    const reader = await store.staff('campaign-reader', 'VIEWER');
    const manager = await store.staff('campaign-manager', { actions: ['CUSTOMERS_READ', 'CAMPAIGNS_MANAGE'] });
    const input = { name: 'X', type: 'x', discountType: 'PURCHASE', startsAt: at(1), endsAt: at(2) };
    expect(codeOf(await graph.request(CREATE, { input }, { token: reader }))).toBe('FORBIDDEN');
    expect(codeOf(await graph.request(STOP, { id: campaign.id }, { token: reader }))).toBe('FORBIDDEN');
    expect((await graph.request(LIST, {}, { token: reader })).errors).toBeUndefined();
    const made = await graph.request(CREATE, { input }, { token: manager });
    expect(made.errors).toBeUndefined();
    expect((await graph.request(STOP, { id: campaign.id }, { token: manager })).errors).toBeUndefined();
  });

  it('lists the store’s campaigns latest start first, filtered by status and discount type in SQL', async () => {
    const mine = await graph.createStore('Campaign list', { currency: 'EUR' });
    const scheduled = await createCampaign(mine, { startsAt: at(5), endsAt: at(6), discountType: 'MEMBERSHIP' });
    const active = await createCampaign(mine, { startsAt: at(-1), endsAt: at(1), discountType: 'PROMOTION' });
    const ended = await createCampaign(mine, { startsAt: at(-5), endsAt: at(-4), discountType: 'AFTER_SALES' });
    const stopped = await createCampaign(mine, { startsAt: at(-2), endsAt: at(2), discountType: 'PROMOTION' });
    await mine.data(STOP, { id: stopped.id });

    const all = (await mine.data(LIST, {})).campaigns;
    expect(all.totalCount).toBe(4);
    expect(all.edges.map((edge: any) => edge.node.id)).toEqual([scheduled.id, active.id, stopped.id, ended.id]);
    const ids = async (filter: Record<string, unknown>) =>
      (await mine.data(LIST, { filter })).campaigns.edges.map((edge: any) => edge.node.id);
    expect(await ids({ status: ['SCHEDULED'] })).toEqual([scheduled.id]);
    expect(await ids({ status: ['ACTIVE'] })).toEqual([active.id]);
    expect(await ids({ status: ['STOPPED'] })).toEqual([stopped.id]);
    expect(await ids({ status: ['ENDED', 'ACTIVE'] })).toEqual([active.id, ended.id]);
    expect(await ids({ discountType: ['PROMOTION'] })).toEqual([active.id, stopped.id]);
    expect(await ids({ discountType: ['PROMOTION'], status: ['ACTIVE'] })).toEqual([active.id]);
    const filtered = (await mine.data(LIST, { filter: { discountType: ['PROMOTION'] } })).campaigns;
    expect(filtered.totalCount).toBe(2);

    const first = (await mine.data(LIST, { first: 3 })).campaigns;
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = (await mine.data(LIST, { first: 3, after: first.pageInfo.endCursor })).campaigns;
    expect(rest.edges.map((edge: any) => edge.node.id)).toEqual([ended.id]);
  });
});

describe('orders naming campaigns', () => {
  const ORDER = /* GraphQL */ `
    query ($id: ID!) {
      order(id: $id) {
        campaignId
        campaignName
        campaigns {
          id
          name
          status
        }
      }
    }
  `;

  it('records the campaigns an order names, each once, and keeps the legacy free text readable', async () => {
    const customerId = (await store.createCustomer({ firstName: 'Camp' })).id;
    const a = await createCampaign(store, { startsAt: at(-2) });
    const b = await createCampaign(store, { startsAt: at(-1) });
    const order = await store.recordOrder({
      customerId,
      campaignIds: [a.id, b.id, a.id.toUpperCase()],
      campaignId: 'legacy-1',
      campaignName: 'Summer sale',
    });
    const { order: read } = await store.data(ORDER, { id: order.id });
    expect(read).toEqual({
      campaignId: 'legacy-1',
      campaignName: 'Summer sale',
      campaigns: [
        { id: b.id, name: b.name, status: 'ACTIVE' },
        { id: a.id, name: a.name, status: 'ACTIVE' },
      ],
    });
    const plain = await store.recordOrder({ customerId });
    expect((await store.data(ORDER, { id: plain.id })).order).toEqual({
      campaignId: null,
      campaignName: null,
      campaigns: [],
    });
  });

  it('refuses an unknown id, or another store’s, and records nothing', async () => {
    const customerId = (await store.createCustomer({ firstName: 'Unknown' })).id;
    const known = await createCampaign(store);
    const elsewhere = await createCampaign(other);
    const input = {
      number: 'CAMPBAD001',
      customerId,
      channel: 'WEB',
      currency: 'EUR',
      items: [{ productId: 'p', name: 'Product', quantity: 1, unitPrice: 1000 }],
    };
    const RECORD = `mutation($input: RecordOrderInput!) { recordOrder(input: $input) { id } }`;
    for (const campaignIds of [[known.id, elsewhere.id], [crypto.randomUUID()], ['not-an-id']]) {
      const response = await store.request(RECORD, { input: { ...input, campaignIds } });
      expect(codeOf(response), JSON.stringify(campaignIds)).toBe('BAD_USER_INPUT');
      expect(fieldOf(response)).toBe(`input.campaignIds.${campaignIds.length - 1}`);
      expect(JSON.stringify(response.errors)).not.toMatch(/select|insert|campaigns"/i);
    }
    // The number is still free: nothing of the refused orders was written.
    const recorded = await store.data(RECORD, { input: { ...input, campaignIds: [known.id] } });
    expect(recorded.recordOrder.id).toBeTruthy();
  });
});

describe('Customer.campaigns (O7)', () => {
  it('lists each campaign once with the number of orders and the discount received through it', async () => {
    const customerId = (await store.createCustomer({ firstName: 'Benefit' })).id;
    const spring = await createCampaign(store, { name: 'Spring', startsAt: at(-3), discountType: 'PROMOTION' });
    const members = await createCampaign(store, { name: 'Members', startsAt: at(-2), discountType: 'MEMBERSHIP' });
    const unused = await createCampaign(store, { name: 'Unused' });
    const line = (discount: number) => [{ productId: 'p', name: 'P', quantity: 2, unitPrice: 1000, discount }];
    // Item discounts plus the order-level discount count, in full for each campaign named.
    await store.recordOrder({ customerId, items: line(300), discount: 100, campaignIds: [spring.id, members.id] });
    await store.recordOrder({ customerId, items: line(0), discount: 250, campaignIds: [spring.id] });
    await store.recordOrder({ customerId, items: line(0) });
    const cancelled = await store.recordOrder({ customerId, items: line(500), campaignIds: [members.id] });
    await store.data(`mutation($id: ID!) { updateOrderStatus(id: $id, status: CANCELLED) { id } }`, {
      id: cancelled.id,
    });
    // Another customer's orders are theirs.
    const someoneElse = (await store.createCustomer({ firstName: 'Else' })).id;
    await store.recordOrder({ customerId: someoneElse, items: line(900), campaignIds: [unused.id, spring.id] });

    const { customer } = await store.data(CUSTOMER_CAMPAIGNS, { id: customerId });
    expect(customer.campaigns).toEqual([
      {
        campaign: { id: members.id, name: 'Members', status: 'ACTIVE', discountType: 'MEMBERSHIP' },
        orderCount: 1,
        discount: { amount: 400, currency: 'EUR' },
      },
      {
        campaign: { id: spring.id, name: 'Spring', status: 'ACTIVE', discountType: 'PROMOTION' },
        orderCount: 2,
        discount: { amount: 650, currency: 'EUR' },
      },
    ]);
    const ids = async (filter: Record<string, unknown>) =>
      (await store.data(CUSTOMER_CAMPAIGNS, { id: customerId, filter })).customer.campaigns.map(
        (entry: any) => entry.campaign.id,
      );
    expect(await ids({ discountType: ['PROMOTION'] })).toEqual([spring.id]);
    await store.data(STOP, { id: members.id });
    expect(await ids({ status: ['STOPPED'] })).toEqual([members.id]);
    expect(await ids({ status: ['ACTIVE'] })).toEqual([spring.id]);
    expect(await ids({ status: ['ENDED', 'SCHEDULED'] })).toEqual([]);
    expect((await other.data(CUSTOMER_CAMPAIGNS, { id: customerId })).customer?.campaigns ?? []).toEqual([]);
  });

  it('shows a signed-in customer the campaigns of their own orders only', async () => {
    const buyer = (await store.createCustomer({ firstName: 'Signed' })).id;
    const stranger = (await store.createCustomer({ firstName: 'Stranger' })).id;
    const mine = await createCampaign(store, { name: 'Mine' });
    const theirs = await createCampaign(store, { name: 'Theirs' });
    const own = await store.recordOrder({ customerId: buyer, campaignIds: [mine.id], discount: 50 });
    await store.recordOrder({ customerId: stranger, campaignIds: [theirs.id, mine.id], discount: 70 });
    const token = await signToken({ kind: 'customer', userId: buyer, storeId: store.id });
    const response = await graph.request(
      `query($id: ID!) {
        order(id: $id) { campaigns { name status } }
        me { campaigns { campaign { name } orderCount discount { amount } } }
      }`,
      { id: own.id },
      { token },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({
      order: { campaigns: [{ name: 'Mine', status: 'ACTIVE' }] },
      me: { campaigns: [{ campaign: { name: 'Mine' }, orderCount: 1, discount: { amount: 50 } }] },
    });
  });

  it('costs one statement per relation for 5 customers or 50', async () => {
    const batch = await graph.createStore('Campaign batch', { currency: 'EUR' });
    const a = await createCampaign(batch, { discountType: 'PURCHASE' });
    const b = await createCampaign(batch, { discountType: 'PROMOTION' });
    const customers: string[] = [];
    for (let chunk = 0; chunk < 5; chunk += 1) {
      customers.push(
        ...(await Promise.all(
          Array.from({ length: 10 }, async (_, i) => {
            const id = (await batch.createCustomer({ firstName: `Batch${chunk * 10 + i}` })).id;
            await batch.recordOrder({ customerId: id, campaignIds: [a.id, b.id], discount: 100 });
            return id;
          }),
        )),
      );
    }
    const query = /* GraphQL */ `
      query ($first: Int!) {
        customers(first: $first) {
          edges {
            node {
              id
              campaigns {
                campaign {
                  id
                  name
                  status
                }
                orderCount
                discount {
                  amount
                }
              }
              orders(first: 5) {
                edges {
                  node {
                    id
                    campaigns {
                      id
                      status
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
        expect(node.campaigns.map((entry: any) => entry.orderCount)).toEqual([1, 1]);
        expect(node.orders.edges[0].node.campaigns).toHaveLength(2);
      }
      return counts;
    };
    const few = await measure(5);
    const many = await measure(50);
    expect(many).toEqual(few);
    // Customer.campaigns, Customer.orders and Order.campaigns.
    expect(few['commerce-history']).toBe(3);
    expect(customers).toHaveLength(50);
  });
});
