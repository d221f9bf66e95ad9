import { randomInt, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestGraph, type TestGraph, type TestStore } from '@cg/testing';
import { gs1CheckDigit } from './loyalty-card.barcode.ts';

const CARD = /* GraphQL */ `
  fragment Card on LoyaltyCard {
    id
    barcode
    vipPoints
    status
    cardType {
      id
      name
      sponsorshipGroup
      customerType
    }
    replacedBy {
      id
    }
    customer {
      id
    }
  }
`;
const CREATE_TYPE = /* GraphQL */ `
  mutation CreateType($input: LoyaltyCardTypeInput!) {
    createLoyaltyCardType(input: $input) {
      id
      name
      sponsorshipGroup
      customerType
    }
  }
`;
const ISSUE = /* GraphQL */ `
  ${CARD}
  mutation Issue($input: IssueLoyaltyCardInput!) {
    issueLoyaltyCard(input: $input) {
      ...Card
    }
  }
`;
const BLOCK = /* GraphQL */ `
  mutation Block($id: ID!) {
    blockLoyaltyCard(id: $id) {
      id
      status
    }
  }
`;
const UNBLOCK = /* GraphQL */ `
  mutation Unblock($id: ID!) {
    unblockLoyaltyCard(id: $id) {
      id
      status
    }
  }
`;
const REPLACE = /* GraphQL */ `
  ${CARD}
  mutation Replace($input: ReplaceLoyaltyCardInput!) {
    replaceLoyaltyCard(input: $input) {
      card {
        ...Card
      }
      replaced {
        ...Card
      }
    }
  }
`;
const CARDS = /* GraphQL */ `
  ${CARD}
  query Cards($id: ID!, $status: LoyaltyCardStatus) {
    customer(id: $id) {
      loyalty {
        points
        pendingPoints
        entries(first: 50) {
          totalCount
        }
        cards(first: 50, status: $status) {
          totalCount
          edges {
            node {
              ...Card
            }
          }
        }
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
const ADJUST = /* GraphQL */ `
  mutation Adjust($input: AdjustLoyaltyPointsInput!) {
    adjustLoyaltyPoints(input: $input) {
      loyalty {
        points
      }
    }
  }
`;
const REDEEM = /* GraphQL */ `
  mutation Redeem($input: RedeemLoyaltyPointsInput!) {
    redeemLoyaltyPoints(input: $input) {
      loyalty {
        points
      }
    }
  }
`;

let graph: TestGraph;

beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.close());

/** A valid EAN-13 in the in-store range (prefix 2), different on every call. */
function barcode(): string {
  const body = `2${String(randomInt(0, 1e11)).padStart(11, '0')}`;
  return `${body}${gs1CheckDigit(body)}`;
}

/** A store of its own per test, with a program that earns 1 point per 1.00, spendable at once. */
async function newStore() {
  const store = await graph.createStore(`Cards ${randomUUID().slice(0, 8)}`, { currency: 'EUR' });
  const program = await store.request(PROGRAM, {
    input: { enabled: true, rate: { points: 1, perMinorUnits: 100 }, pendingDays: 0 },
  });
  expect(program.errors).toBeUndefined();
  return store;
}

const newCustomer = async (store: TestStore) => (await store.createCustomer({ firstName: 'Carla' })).id;

async function newType(store: TestStore, name = 'Gold', extra: Record<string, unknown> = {}) {
  return (await store.data(CREATE_TYPE, { input: { name, ...extra } })).createLoyaltyCardType;
}

const issue = (store: TestStore, input: Record<string, unknown>) => store.request(ISSUE, { input });

async function issued(store: TestStore, input: Record<string, unknown>) {
  const response = await issue(store, input);
  expect(response.errors).toBeUndefined();
  return response.data.issueLoyaltyCard;
}

const loyaltyOf = async (store: TestStore, id: string, status?: string) =>
  (await store.data(CARDS, { id, status })).customer.loyalty;

describe('cards', () => {
  it('issues a card of a type to a customer, and lists the customer’s cards across types', async () => {
    const store = await newStore();
    const id = await newCustomer(store);
    const gold = await newType(store, 'Gold', { sponsorshipGroup: 'Partners', customerType: 'Employee' });
    const student = await newType(store, 'Student', { customerType: 'Student' });
    expect(gold).toMatchObject({ name: 'Gold', sponsorshipGroup: 'Partners', customerType: 'Employee' });
    const code = barcode();
    const first = await issued(store, { customerId: id, cardTypeId: gold.id, barcode: ` ${code} `, vipPoints: 40 });
    expect(first).toMatchObject({
      barcode: code,
      vipPoints: 40,
      status: 'ACTIVE',
      cardType: { id: gold.id, name: 'Gold' },
      replacedBy: null,
      customer: { id },
    });
    const second = await issued(store, { customerId: id, cardTypeId: student.id, barcode: barcode() });
    expect(second).toMatchObject({ vipPoints: 0, cardType: { name: 'Student', sponsorshipGroup: null } });

    const { cards } = await loyaltyOf(store, id);
    expect(cards.totalCount).toBe(2);
    expect(cards.edges.map((edge: any) => edge.node.cardType.name)).toEqual(['Student', 'Gold']);
    expect((await loyaltyOf(store, id, 'BLOCKED')).cards.totalCount).toBe(0);

    const { loyaltyCardTypes } = await store.data(`{ loyaltyCardTypes { totalCount edges { node { name } } } }`);
    expect(loyaltyCardTypes.edges.map((edge: any) => edge.node.name)).toEqual(['Student', 'Gold']);

    // The store's cards: a type's, or the one a scanned barcode is on.
    const STORE_CARDS = `query($type: ID, $barcode: String) { loyaltyCards(cardTypeId: $type, barcode: $barcode) { totalCount edges { node { id customer { id } } } } }`;
    const ofGold = (await store.data(STORE_CARDS, { type: gold.id })).loyaltyCards;
    expect(ofGold).toMatchObject({ totalCount: 1, edges: [{ node: { id: first.id, customer: { id } } }] });
    const scanned = (await store.data(STORE_CARDS, { barcode: second.barcode })).loyaltyCards;
    expect(scanned).toMatchObject({ totalCount: 1, edges: [{ node: { id: second.id } }] });
    expect((await store.data(STORE_CARDS, {})).loyaltyCards.totalCount).toBe(2);
    const malformed = await store.request(STORE_CARDS, { type: 'nope' });
    expect(malformed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('keeps a barcode unique in its store, and lets another store use it', async () => {
    const store = await newStore();
    const id = await newCustomer(store);
    const other = await newCustomer(store);
    const type = await newType(store);
    const code = barcode();
    await issued(store, { customerId: id, cardTypeId: type.id, barcode: code });
    const again = await issue(store, { customerId: other, cardTypeId: type.id, barcode: code });
    expect(again.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'DUPLICATE_BARCODE',
      fields: [expect.objectContaining({ field: 'input.barcode' })],
    });
    expect((await loyaltyOf(store, other)).cards.totalCount).toBe(0);

    const elsewhere = await newStore();
    const theirs = await newCustomer(elsewhere);
    const theirType = await newType(elsewhere);
    expect(await issued(elsewhere, { customerId: theirs, cardTypeId: theirType.id, barcode: code })).toMatchObject({
      barcode: code,
    });
  });

  it('answers bad input naming the field, and changes nothing', async () => {
    const store = await newStore();
    const id = await newCustomer(store);
    const type = await newType(store);
    const elsewhere = await newStore();
    const foreignType = await newType(elsewhere);
    const cases: [Record<string, unknown>, string][] = [
      [{ customerId: id, cardTypeId: type.id, barcode: '4006381333932' }, 'input.barcode'],
      [{ customerId: id, cardTypeId: type.id, barcode: '12345' }, 'input.barcode'],
      [{ customerId: id, cardTypeId: type.id, barcode: '40063813339a1' }, 'input.barcode'],
      [{ customerId: id, cardTypeId: type.id, barcode: barcode(), vipPoints: -1 }, 'input.vipPoints'],
      [{ customerId: id, cardTypeId: 'nope', barcode: barcode() }, 'input.cardTypeId'],
      [{ customerId: id, cardTypeId: randomUUID(), barcode: barcode() }, 'input.cardTypeId'],
      [{ customerId: id, cardTypeId: foreignType.id, barcode: barcode() }, 'input.cardTypeId'],
      [{ customerId: 'nope', cardTypeId: type.id, barcode: barcode() }, 'input.customerId'],
    ];
    for (const [input, field] of cases) {
      const response = await issue(store, input);
      expect(response.errors?.[0]?.extensions, JSON.stringify(input)).toMatchObject({
        code: 'BAD_USER_INPUT',
        fields: expect.arrayContaining([expect.objectContaining({ field })]),
      });
    }
    // A customer the store does not have (a well-formed id): a mistake in the field, as a malformed one.
    const unknown = await issue(store, { customerId: randomUUID(), cardTypeId: type.id, barcode: barcode() });
    expect(unknown.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [expect.objectContaining({ field: 'input.customerId' })],
    });
    const duplicateName = await store.request(CREATE_TYPE, { input: { name: ' gold ' } });
    expect(duplicateName.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT' });
    expect((await store.request(CREATE_TYPE, { input: { name: '  ' } })).errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [expect.objectContaining({ field: 'input.name' })],
    });
    expect((await loyaltyOf(store, id)).cards.totalCount).toBe(0);
    const { loyaltyCardTypes } = await store.data(`{ loyaltyCardTypes { totalCount } }`);
    expect(loyaltyCardTypes.totalCount).toBe(1);
  });

  it('refuses to delete a type with cards, and deletes one without', async () => {
    const store = await newStore();
    const id = await newCustomer(store);
    const used = await newType(store, 'Used');
    const unused = await newType(store, 'Unused');
    await issued(store, { customerId: id, cardTypeId: used.id, barcode: barcode() });
    const DELETE = `mutation($id: ID!) { deleteLoyaltyCardType(id: $id) }`;
    const refused = await store.request(DELETE, { id: used.id });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'CARD_TYPE_IN_USE' });
    expect((await store.data(DELETE, { id: unused.id })).deleteLoyaltyCardType).toBe(unused.id);
    const renamed = await store.data(
      `mutation($input: UpdateLoyaltyCardTypeInput!) { updateLoyaltyCardType(input: $input) { name customerType } }`,
      { input: { id: used.id, name: 'Platinum', customerType: 'VIP' } },
    );
    expect(renamed.updateLoyaltyCardType).toEqual({ name: 'Platinum', customerType: 'VIP' });
  });
});

describe('blocked cards', () => {
  it('neither earns nor redeems while no card is active; unblocking lets both again', async () => {
    const store = await newStore();
    const id = await newCustomer(store);
    const type = await newType(store);
    const card = await issued(store, { customerId: id, cardTypeId: type.id, barcode: barcode() });
    expect((await store.request(ADJUST, { input: { customerId: id, points: 10, reason: 'Start' } })).errors).toBe(
      undefined,
    );
    expect((await store.data(BLOCK, { id: card.id })).blockLoyaltyCard).toEqual({ id: card.id, status: 'BLOCKED' });

    await store.recordOrder({ customerId: id, unitPrice: 2500 });
    await eventually(async () => expect(await graph.undelivered()).toBe(0));
    expect(await loyaltyOf(store, id)).toMatchObject({ points: 10, entries: { totalCount: 1 } });
    const refused = await store.request(REDEEM, { input: { customerId: id, points: 5 } });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'LOYALTY_CARDS_BLOCKED' });
    expect(await loyaltyOf(store, id)).toMatchObject({ points: 10, entries: { totalCount: 1 } });

    expect((await store.data(UNBLOCK, { id: card.id })).unblockLoyaltyCard).toEqual({ id: card.id, status: 'ACTIVE' });
    await store.recordOrder({ customerId: id, unitPrice: 700 });
    await eventually(async () => expect(await loyaltyOf(store, id)).toMatchObject({ points: 17 }));
    const spent = await store.request(REDEEM, { input: { customerId: id, points: 5 } });
    expect(spent.errors).toBeUndefined();
    expect(spent.data.redeemLoyaltyPoints.loyalty.points).toBe(12);
  });

  it('lets a customer without cards, or with one active card among blocked ones, earn', async () => {
    const store = await newStore();
    const none = await newCustomer(store);
    const mixed = await newCustomer(store);
    const type = await newType(store);
    const blocked = await issued(store, { customerId: mixed, cardTypeId: type.id, barcode: barcode() });
    await issued(store, { customerId: mixed, cardTypeId: type.id, barcode: barcode() });
    await store.data(BLOCK, { id: blocked.id });
    await store.recordOrder({ customerId: none, unitPrice: 300 });
    await store.recordOrder({ customerId: mixed, unitPrice: 400 });
    await eventually(async () => {
      expect((await loyaltyOf(store, none)).points).toBe(3);
      expect((await loyaltyOf(store, mixed)).points).toBe(4);
    });
  });
});

describe('replacement', () => {
  it('moves the VIP points to the new card exactly once under concurrent replacements', async () => {
    const store = await newStore();
    const id = await newCustomer(store);
    const type = await newType(store);
    const old = await issued(store, { customerId: id, cardTypeId: type.id, barcode: barcode(), vipPoints: 250 });
    await store.data(BLOCK, { id: old.id });
    const attempts = await Promise.all(
      Array.from({ length: 8 }, () => store.request(REPLACE, { input: { cardId: old.id, barcode: barcode() } })),
    );
    const done = attempts.filter((response) => !response.errors);
    expect(done).toHaveLength(1);
    for (const response of attempts.filter((r) => r.errors)) {
      expect(response.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'CARD_REPLACED' });
    }
    const { card, replaced } = done[0]!.data.replaceLoyaltyCard;
    expect(card).toMatchObject({ vipPoints: 250, status: 'ACTIVE', cardType: { id: type.id }, customer: { id } });
    expect(replaced).toMatchObject({ id: old.id, vipPoints: 0, status: 'REPLACED', replacedBy: { id: card.id } });

    const { cards } = await loyaltyOf(store, id);
    expect(cards.totalCount).toBe(2);
    expect(cards.edges.reduce((sum: number, edge: any) => sum + edge.node.vipPoints, 0)).toBe(250);
    // A replaced card is retired: neither unblocked nor replaced again.
    expect((await store.request(UNBLOCK, { id: old.id })).errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'CARD_REPLACED',
    });
    // The old barcode stays taken (the old plastic still carries it).
    const reuse = await store.request(REPLACE, { input: { cardId: card.id, barcode: old.barcode } });
    expect(reuse.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'DUPLICATE_BARCODE' });
    expect((await loyaltyOf(store, id, 'ACTIVE')).cards.edges.map((edge: any) => edge.node.id)).toEqual([card.id]);
  });
});

describe('reads', () => {
  it('refuses customer tokens to write, and shows a customer their own cards only', async () => {
    const store = await newStore();
    const id = await newCustomer(store);
    const other = await newCustomer(store);
    const type = await newType(store, 'Silver');
    const code = barcode();
    const card = await issued(store, { customerId: id, cardTypeId: type.id, barcode: code });
    await issued(store, { customerId: other, cardTypeId: type.id, barcode: barcode() });
    const { signToken } = await import('@cg/auth');
    const token = await signToken({ kind: 'customer', userId: id, storeId: store.id });
    const refused = await graph.request(BLOCK, { id: card.id }, { token });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const own = await graph.request(
      `query { me { loyalty { cards { totalCount edges { node { barcode cardType { name } } } } } } }`,
      {},
      { token },
    );
    expect(own.errors).toBeUndefined();
    expect(own.data.me.loyalty.cards).toEqual({
      totalCount: 1,
      edges: [{ node: { barcode: code, cardType: { name: 'Silver' } } }],
    });
  });

  it('costs the same statements for 50 customers as for 5: one per relation', async () => {
    const store = await newStore();
    const type = await newType(store);
    const ids = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        store
          .createCustomer({ firstName: i < 5 ? 'Cards-Few' : 'Cards-Many', email: `cards${i}@example.com` })
          .then((customer) => customer.id),
      ),
    );
    for (const id of ids) await issued(store, { customerId: id, cardTypeId: type.id, barcode: barcode() });
    const query = `query($search: String) { customers(first: 50, filter: { search: $search }) { edges { node { id loyalty { cards(first: 10) { totalCount edges { node { barcode status cardType { name } } } } } } } } }`;
    let few: any;
    let many: any;
    const fewStatements = await graph.countStatements(async () => {
      few = await store.data(query, { search: 'cards-few' });
    });
    const manyStatements = await graph.countStatements(async () => {
      many = await store.data(query, { search: 'cards' });
    });
    expect(few.customers.edges).toHaveLength(5);
    expect(many.customers.edges).toHaveLength(50);
    for (const { node } of many.customers.edges) {
      expect(node.loyalty.cards).toMatchObject({
        totalCount: 1,
        edges: [{ node: { status: 'ACTIVE', cardType: { name: 'Gold' } } }],
      });
    }
    // The cards, and their types.
    expect(manyStatements.engagement).toBe(2);
    expect(fewStatements.engagement).toBe(2);
  });
});
