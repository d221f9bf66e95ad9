import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daysAgo, eventually, startTestGraph, type TestGraph, type TestStore } from '@cg/testing';

const SEGMENT_FIELDS = /* GraphQL */ `id name description createdBy
  rules { kind min max withinDays beforeDays never country city status tags tiers hasVipCard }`;
const CREATE = /* GraphQL */ `mutation($input: CreateSegmentInput!) { createSegment(input: $input) { ${SEGMENT_FIELDS} } }`;
const UPDATE = /* GraphQL */ `mutation($id: ID!, $input: UpdateSegmentInput!) { updateSegment(id: $id, input: $input) { ${SEGMENT_FIELDS} } }`;
const DELETE = /* GraphQL */ `
  mutation ($id: ID!) {
    deleteSegment(id: $id) {
      id
      name
    }
  }
`;
const SEGMENTS = /* GraphQL */ `
  {
    segments(first: 50) {
      totalCount
      edges {
        node {
          id
          name
          memberCount
        }
      }
    }
  }
`;
const MEMBERS = /* GraphQL */ `
  query ($id: ID!, $sort: CustomerSort) {
    segment(id: $id) {
      name
      memberCount
      members(first: 10, sort: $sort) {
        totalCount
        edges {
          node {
            firstName
          }
        }
      }
    }
  }
`;
const CUSTOMER_SEGMENTS = /* GraphQL */ `
  query ($id: ID!) {
    customer(id: $id) {
      segments {
        name
      }
    }
  }
`;

let graph: TestGraph;
let store: TestStore;
let other: TestStore;
const customer: Record<string, string> = {};
const segment: Record<string, string> = {};

const address = (city: string, isDefault?: boolean) => ({
  kind: 'DELIVERY',
  recipient: 'R',
  line1: 'Street 1',
  city,
  country: 'TR',
  isDefault,
});

/**
 *   Alya   TR, tag vip, active, VIP card, delivers to Istanbul; 3 orders of 20.00 now
 *   Baris  TR, tag wholesale; 1 order of 5.00, 100 days ago
 *   Cemre  DE, inactive; no orders
 *   Duru   TR, tag vip, blocked; default delivery address in Ankara, another in Istanbul; no orders
 *   Emir   DE, tag vip; 1 order of 120.00 now
 */
beforeAll(async () => {
  graph = await startTestGraph();
  store = await graph.createStore('Segment store', { currency: 'EUR' });
  other = await graph.createStore('Other segment store', { currency: 'EUR' });
  const profiles: Record<string, Record<string, unknown>> = {
    Alya: { country: 'TR', tags: ['vip'], vipCard: { memberNumber: 'VIP-1' } },
    Baris: { country: 'TR', tags: ['wholesale'] },
    Cemre: { country: 'DE', status: 'INACTIVE' },
    Duru: { country: 'TR', tags: ['vip'], status: 'BLOCKED' },
    Emir: { country: 'DE', tags: ['vip'] },
  };
  for (const [name, profile] of Object.entries(profiles)) {
    customer[name] = (
      await store.createCustomer({
        firstName: name,
        lastName: 'Segment',
        email: `${name.toLowerCase()}@segments.example`,
        ...profile,
      })
    ).id;
  }
  const ADD = `mutation($id: ID!, $input: AddAddressInput!) { addAddress(customerId: $id, input: $input) { id } }`;
  await store.data(ADD, { id: customer.Alya, input: address('Istanbul') });
  await store.data(ADD, { id: customer.Duru, input: address('Ankara') });
  await store.data(ADD, { id: customer.Duru, input: address('Istanbul') });
  await Promise.all([
    ...[1, 2, 3].map(() => store.recordOrder({ customerId: customer.Alya!, unitPrice: 2000 })),
    store.recordOrder({ customerId: customer.Baris!, unitPrice: 500, placedAt: daysAgo(100) }),
    store.recordOrder({ customerId: customer.Emir!, unitPrice: 12000 }),
  ]);
  await eventually(async () => {
    const { customers } = await store.data(`{ customers(first: 10) { edges { node { metrics { orderCount } } } } }`);
    expect(customers.edges.reduce((sum: number, edge: any) => sum + edge.node.metrics.orderCount, 0)).toBe(5);
  });

  const definitions: Record<string, unknown[]> = {
    'Loyal Turks': [
      { kind: 'ORDER_COUNT', min: 2 },
      { kind: 'LOCATION', country: ['tr'] },
    ],
    'Big spenders': [{ kind: 'TOTAL_SPENT', min: 10000 }],
    Lapsed: [{ kind: 'LAST_ORDER', beforeDays: 30 }],
    'Never ordered': [{ kind: 'LAST_ORDER', never: true }],
    'Istanbul VIPs': [
      { kind: 'LOCATION', country: ['TR'], city: ['istanbul'] },
      { kind: 'VIP_CARD', hasVipCard: true },
    ],
    'Tagged active': [
      { kind: 'TAGS', tags: ['vip', 'gold'] },
      { kind: 'STATUS', status: ['ACTIVE'] },
    ],
    Recent: [{ kind: 'LAST_ORDER', withinDays: 30 }],
  };
  for (const [name, rules] of Object.entries(definitions)) {
    segment[name] = (await store.data(CREATE, { input: { name, rules } })).createSegment.id;
  }
});
afterAll(() => graph?.close());

async function membersOf(name: string, sort?: Record<string, unknown>): Promise<string[]> {
  const { segment: found } = await store.data(MEMBERS, { id: segment[name], sort });
  expect(found.members.totalCount).toBe(found.memberCount);
  expect(found.members.totalCount).toBe(found.members.edges.length);
  return found.members.edges.map((edge: any) => edge.node.firstName);
}

async function segmentsOf(name: string): Promise<string[]> {
  return (await store.data(CUSTOMER_SEGMENTS, { id: customer[name] })).customer.segments.map((s: any) => s.name);
}

describe('segments (C12)', () => {
  it('stores the rules normalised and reads them back', async () => {
    const { createSegment } = await store.data(CREATE, {
      input: {
        name: '  Round trip ',
        description: 'All kinds',
        rules: [
          { kind: 'ORDER_COUNT', min: 1, max: 5, withinDays: null },
          { kind: 'TOTAL_SPENT', max: 100000 },
          { kind: 'LAST_ORDER', withinDays: 90, beforeDays: 7 },
          { kind: 'LOCATION', country: ['tr', 'TR', 'de'], city: ['Izmir'] },
          { kind: 'STATUS', status: ['ACTIVE', 'INACTIVE'] },
          { kind: 'TAGS', tags: ['a', 'a', 'b'] },
          { kind: 'TIER', tiers: ['Gold', ' Gold', 'Silver'] },
          { kind: 'VIP_CARD', hasVipCard: false },
        ],
      },
    });
    const none = {
      min: null,
      max: null,
      withinDays: null,
      beforeDays: null,
      never: null,
      country: null,
      city: null,
      status: null,
      tags: null,
      tiers: null,
      hasVipCard: null,
    };
    expect(createSegment).toMatchObject({
      name: 'Round trip',
      description: 'All kinds',
      createdBy: expect.any(String),
      rules: [
        { ...none, kind: 'ORDER_COUNT', min: 1, max: 5 },
        { ...none, kind: 'TOTAL_SPENT', max: 100000 },
        { ...none, kind: 'LAST_ORDER', withinDays: 90, beforeDays: 7 },
        { ...none, kind: 'LOCATION', country: ['TR', 'DE'], city: ['Izmir'] },
        { ...none, kind: 'STATUS', status: ['ACTIVE', 'INACTIVE'] },
        { ...none, kind: 'TAGS', tags: ['a', 'b'] },
        { ...none, kind: 'TIER', tiers: ['Gold', 'Silver'] },
        { ...none, kind: 'VIP_CARD', hasVipCard: false },
      ],
    });
    const [row] = await graph.graph.subgraphs.customer.db
      .sql`select rules from customer.segments where id = ${createSegment.id}`;
    expect(row!.rules[3]).toEqual({ kind: 'location', country: ['TR', 'DE'], city: ['Izmir'] });
    expect(row!.rules.slice(6)).toEqual([
      { kind: 'tier', tiers: ['Gold', 'Silver'] },
      { kind: 'vipCard', hasVipCard: false },
    ]);
    await store.data(DELETE, { id: createSegment.id });
  });

  it('lists members and counts them for every kind of rule', async () => {
    expect(await membersOf('Loyal Turks')).toEqual(['Alya']);
    expect(await membersOf('Big spenders')).toEqual(['Emir']);
    expect(await membersOf('Lapsed')).toEqual(['Baris']);
    expect(await membersOf('Never ordered', { field: 'NAME', direction: 'ASC' })).toEqual(['Cemre', 'Duru']);
    expect(await membersOf('Istanbul VIPs')).toEqual(['Alya']);
    expect(await membersOf('Tagged active', { field: 'TOTAL_SPENT', direction: 'DESC' })).toEqual(['Emir', 'Alya']);
    expect(await membersOf('Recent', { field: 'TOTAL_SPENT', direction: 'ASC' })).toEqual(['Alya', 'Emir']);

    const { segments } = await store.data(SEGMENTS);
    expect(segments.totalCount).toBe(7);
    expect(segments.edges.map((edge: any) => [edge.node.name, edge.node.memberCount])).toEqual([
      ['Big spenders', 1],
      ['Istanbul VIPs', 1],
      ['Lapsed', 1],
      ['Loyal Turks', 1],
      ['Never ordered', 2],
      ['Recent', 2],
      ['Tagged active', 2],
    ]);
  });

  it("shows each customer's segments", async () => {
    expect(await segmentsOf('Alya')).toEqual(['Istanbul VIPs', 'Loyal Turks', 'Recent', 'Tagged active']);
    expect(await segmentsOf('Baris')).toEqual(['Lapsed']);
    expect(await segmentsOf('Cemre')).toEqual(['Never ordered']);
    expect(await segmentsOf('Duru')).toEqual(['Never ordered']);
    expect(await segmentsOf('Emir')).toEqual(['Big spenders', 'Recent', 'Tagged active']);
  });

  it('finds customers by the loyalty tier of their metrics projection (TIER), the VIP card aside (VIP_CARD)', async () => {
    const sql = graph.graph.subgraphs.customer.db.sql;
    // As the projection holds it after engagement's loyalty.changed (loyalty-projection.test.ts).
    await sql`update customer.customer_metrics set loyalty_tier = 'Gold' where customer_id = ${customer.Emir!}`;
    const created: Record<string, string> = {};
    for (const [name, tiers] of Object.entries({
      'Gold tier': ['Gold'],
      'Silver tier': ['Silver'],
      Tiered: ['Silver', 'Gold'],
    }))
      created[name] = (
        await store.data(CREATE, { input: { name, rules: [{ kind: 'TIER', tiers }] } })
      ).createSegment.id;
    try {
      const members = async (name: string) =>
        (await store.data(MEMBERS, { id: created[name] })).segment.members.edges.map(
          (edge: any) => edge.node.firstName,
        );
      expect(await members('Gold tier')).toEqual(['Emir']);
      expect(await members('Silver tier')).toEqual([]);
      expect(await members('Tiered')).toEqual(['Emir']);
      expect(await segmentsOf('Emir')).toEqual(expect.arrayContaining(['Gold tier', 'Tiered']));
      expect(await segmentsOf('Emir')).not.toContain('Silver tier');
      // Alya holds a VIP card but no tier.
      expect(await segmentsOf('Alya')).not.toContain('Gold tier');
      expect(await membersOf('Istanbul VIPs')).toEqual(['Alya']);
    } finally {
      for (const id of Object.values(created)) await store.data(DELETE, { id });
      await sql`update customer.customer_metrics set loyalty_tier = null where customer_id = ${customer.Emir!}`;
    }
  });

  it('turns the stored TIER rules of before loyalty tiers (hasVipCard) into VIP_CARD rules (migration 0016)', async () => {
    const sql = graph.graph.subgraphs.customer.db.sql;
    const { createSegment } = await store.data(CREATE, {
      input: {
        name: 'Stored before tiers',
        rules: [
          { kind: 'TAGS', tags: ['vip'] },
          { kind: 'VIP_CARD', hasVipCard: true },
        ],
      },
    });
    try {
      const stored = [
        { kind: 'tags', tags: ['vip'] },
        { kind: 'tier', hasVipCard: true },
      ];
      await sql`update customer.segments set rules = ${JSON.stringify(stored)}::jsonb where id = ${createSegment.id}`;
      const migration = readFileSync(new URL('../db/migrations/0016_loyalty_tier.sql', import.meta.url), 'utf8').split(
        '--> statement-breakpoint',
      );
      await sql.unsafe(migration.find((statement) => statement.includes('UPDATE "customer"."segments"'))!);
      const [row] = await sql`select rules from customer.segments where id = ${createSegment.id}`;
      expect(row!.rules).toEqual([
        { kind: 'tags', tags: ['vip'] },
        { kind: 'vipCard', hasVipCard: true },
      ]);
      expect((await store.data(MEMBERS, { id: createSegment.id })).segment.members.edges).toEqual([
        { node: { firstName: 'Alya' } },
      ]);
    } finally {
      await store.data(DELETE, { id: createSegment.id });
    }
  });

  it('an order recorded through the gateway moves the customer into and out of the matching segments', async () => {
    await store.recordOrder({ customerId: customer.Alya!, unitPrice: 5000 });
    await store.recordOrder({ customerId: customer.Cemre!, unitPrice: 100 });
    await eventually(async () => {
      expect(await membersOf('Big spenders', { field: 'NAME', direction: 'ASC' })).toEqual(['Alya', 'Emir']);
      expect(await membersOf('Never ordered')).toEqual(['Duru']);
    });
    expect(await membersOf('Recent', { field: 'NAME', direction: 'ASC' })).toEqual(['Alya', 'Cemre', 'Emir']);
    expect(await segmentsOf('Alya')).toEqual([
      'Big spenders',
      'Istanbul VIPs',
      'Loyal Turks',
      'Recent',
      'Tagged active',
    ]);
    expect(await segmentsOf('Cemre')).toEqual(['Recent']);
  });

  it('updates a segment, and its members follow the new rules at once', async () => {
    const { updateSegment } = await store.data(UPDATE, {
      id: segment.Lapsed,
      input: {
        name: 'Lapsed or inactive',
        description: 'Win-back',
        rules: [{ kind: 'STATUS', status: ['INACTIVE', 'BLOCKED'] }],
      },
    });
    expect(updateSegment).toMatchObject({
      name: 'Lapsed or inactive',
      description: 'Win-back',
      rules: [{ kind: 'STATUS', status: ['INACTIVE', 'BLOCKED'] }],
    });
    expect(await membersOf('Lapsed', { field: 'NAME', direction: 'ASC' })).toEqual(['Cemre', 'Duru']);
    const renamedOnly = await store.data(UPDATE, { id: segment.Lapsed, input: { name: 'Win-back' } });
    expect(renamedOnly.updateSegment).toMatchObject({
      name: 'Win-back',
      description: 'Win-back',
      rules: [{ kind: 'STATUS' }],
    });
    const cleared = await store.data(UPDATE, { id: segment.Lapsed, input: { description: null } });
    expect(cleared.updateSegment.description).toBeNull();
  });

  it('reads its own changes within one request', async () => {
    const { before, created, after, narrowed } = await store.data(
      `mutation($duru: ID!) {
        before: watchCustomer(customerId: $duru) { segments { name } }
        created: createSegment(input: { name: "Blocked now", rules: [{ kind: STATUS, status: [ACTIVE, BLOCKED] }] }) { id memberCount }
        after: unwatchCustomer(customerId: $duru) { segments { name } }
        narrowed: updateSegment(id: "${segment.Recent}", input: { rules: [{ kind: STATUS, status: [BLOCKED] }] }) { memberCount }
      }`,
      { duru: customer.Duru },
    );
    expect(before.segments.map((s: any) => s.name)).not.toContain('Blocked now');
    expect(created.memberCount).toBe(4); // Alya, Baris, Duru, Emir
    expect(after.segments.map((s: any) => s.name)).toContain('Blocked now');
    expect(narrowed.memberCount).toBe(1);
    await store.data(UPDATE, { id: segment.Recent, input: { rules: [{ kind: 'LAST_ORDER', withinDays: 30 }] } });
    await store.data(DELETE, { id: created.id });
  });

  it('deletes a segment', async () => {
    const { createSegment } = await store.data(CREATE, {
      input: { name: 'Short-lived', rules: [{ kind: 'VIP_CARD', hasVipCard: true }] },
    });
    expect((await store.data(DELETE, { id: createSegment.id })).deleteSegment).toEqual({
      id: createSegment.id,
      name: 'Short-lived',
    });
    expect(
      (await store.data(`query($id: ID!) { segment(id: $id) { id } }`, { id: createSegment.id })).segment,
    ).toBeNull();
    expect((await store.request(DELETE, { id: createSegment.id })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(await segmentsOf('Alya')).not.toContain('Short-lived');
  });

  it('answers a taken name, in any case, with CONFLICT', async () => {
    const created = await store.request(CREATE, {
      input: { name: 'loyal TURKS', rules: [{ kind: 'VIP_CARD', hasVipCard: true }] },
    });
    expect(created.errors?.[0]).toMatchObject({
      message: 'A segment named "loyal TURKS" already exists',
      extensions: { code: 'CONFLICT' },
    });
    const renamed = await store.request(UPDATE, { id: segment['Big spenders'], input: { name: 'Recent' } });
    expect(renamed.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it.each([
    ['input.rules.0.min', [{ kind: 'ORDER_COUNT', min: -1 }]],
    ['input.rules.0.min', [{ kind: 'ORDER_COUNT' }]],
    ['input.rules.0.max', [{ kind: 'TOTAL_SPENT', min: 500, max: 100 }]],
    ['input.rules.0.tags', [{ kind: 'TOTAL_SPENT', min: 1, tags: ['x'] }]],
    ['input.rules.0.withinDays', [{ kind: 'LAST_ORDER' }]],
    ['input.rules.0.withinDays', [{ kind: 'LAST_ORDER', withinDays: 0 }]],
    ['input.rules.0.never', [{ kind: 'LAST_ORDER', never: true, withinDays: 3 }]],
    ['input.rules.0.beforeDays', [{ kind: 'LAST_ORDER', withinDays: 10, beforeDays: 20 }]],
    ['input.rules.0.country', [{ kind: 'LOCATION', city: ['Izmir'] }]],
    ['input.rules.0.country.0', [{ kind: 'LOCATION', country: ['XX'] }]],
    ['input.rules.0.status', [{ kind: 'STATUS', status: [] }]],
    ['input.rules.0.tags.0', [{ kind: 'TAGS', tags: [' '] }]],
    ['input.rules.0.tiers', [{ kind: 'TIER' }]],
    ['input.rules.0.tiers', [{ kind: 'TIER', tiers: [] }]],
    ['input.rules.0.tiers.0', [{ kind: 'TIER', tiers: [' '] }]],
    ['input.rules.0.hasVipCard', [{ kind: 'TIER', tiers: ['Gold'], hasVipCard: true }]],
    ['input.rules.0.hasVipCard', [{ kind: 'VIP_CARD' }]],
    [
      'input.rules.1.min',
      [
        { kind: 'TAGS', tags: ['ok'] },
        { kind: 'ORDER_COUNT', min: -1 },
      ],
    ],
    ['input.rules', []],
  ])('rejects a bad %s with BAD_USER_INPUT and writes nothing', async (field, rules) => {
    const before = (await store.data(SEGMENTS)).segments.totalCount;
    const response = await store.request(CREATE, { input: { name: `Bad ${field}`, rules } });
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.errors?.[0]?.extensions?.fields.map((f: { field: string }) => f.field)).toContain(field);
    expect((await store.data(SEGMENTS)).segments.totalCount).toBe(before);
  });

  it('rejects a bad name, and bad rules on update, changing nothing', async () => {
    const blank = await store.request(CREATE, {
      input: { name: '  ', rules: [{ kind: 'VIP_CARD', hasVipCard: true }] },
    });
    expect(blank.errors?.[0]?.extensions?.fields).toEqual([{ field: 'input.name', message: expect.any(String) }]);
    const update = await store.request(UPDATE, {
      id: segment.Recent,
      input: { name: 'Changed', rules: [{ kind: 'VIP_CARD' }] },
    });
    expect(update.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'input.rules.0.hasVipCard' }],
    });
    expect(
      (await store.data(`query($id: ID!) { segment(id: $id) { name } }`, { id: segment.Recent })).segment.name,
    ).toBe('Recent');
    const badPage = await store.request(`query($id: ID!) { segment(id: $id) { members(first: 0) { totalCount } } }`, {
      id: segment.Recent,
    });
    expect(badPage.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'first' }] });
  });

  it('keeps segments to their store', async () => {
    const outsider = (
      await other.createCustomer({
        firstName: 'Outsider',
        lastName: 'Segment',
        email: 'alya@segments.example',
        country: 'TR',
        tags: ['vip'],
      })
    ).id;
    expect((await other.data(SEGMENTS)).segments.totalCount).toBe(0);
    expect(
      (await other.data(`query($id: ID!) { segment(id: $id) { id } }`, { id: segment.Recent })).segment,
    ).toBeNull();
    expect(
      (await other.request(UPDATE, { id: segment.Recent, input: { name: 'Taken over' } })).errors?.[0]?.extensions
        ?.code,
    ).toBe('NOT_FOUND');
    expect((await other.request(DELETE, { id: segment.Recent })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await other.data(CUSTOMER_SEGMENTS, { id: outsider })).customer.segments).toEqual([]);
    // The same name is free in another store, and its members are that store's customers only.
    const { createSegment } = await other.data(CREATE, {
      input: { name: 'Tagged active', rules: [{ kind: 'TAGS', tags: ['vip'] }] },
    });
    const { segment: theirs } = await other.data(MEMBERS, { id: createSegment.id });
    expect(theirs.members.edges.map((edge: any) => edge.node.firstName)).toEqual(['Outsider']);
    expect(await membersOf('Tagged active', { field: 'NAME', direction: 'ASC' })).toEqual(['Alya', 'Emir']);
    const mine = await store.data(`query($id: ID!) { customer(id: $id) { segments { id } } }`, { id: customer.Alya });
    expect(mine.customer.segments.map((s: { id: string }) => s.id)).toContain(segment['Tagged active']);
    expect(mine.customer.segments.map((s: { id: string }) => s.id)).not.toContain(createSegment.id);
  });
});
