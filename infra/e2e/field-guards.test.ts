import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  type ConstDirectiveNode,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaffAction, signToken } from '@cg/auth';
import { eventually, startTestGraph, type GraphQLResponse, type TestGraph, type TestStore } from '@cg/testing';
import { SUPERGRAPH_PATH } from '@cg/gateway';

/**
 * Every field of every type that customer and guest tokens reach, read from
 * schema/supergraph.graphql: which root fields they may call is asked of the gateway, what those
 * reach is followed through the schema, so a new field or type is walked without anyone listing it.
 * Each field says who sees it with `@tag(name: "shopper" | "internal")` (`@Shopper()`,
 * `@Internal(…)` in the subgraphs); the walk checks that customers and guests get every shopper
 * field and nothing of the internal ones, which staff do see on the same records.
 */
const supergraph = buildSchema(readFileSync(SUPERGRAPH_PATH, 'utf8'), { assumeValidSDL: true });
const queryType = supergraph.getQueryType()!;

const audienceTag = (directives: readonly ConstDirectiveNode[] | undefined) =>
  (directives ?? [])
    .filter((directive) => directive.name.value === 'tag')
    .map((directive) => directive.arguments?.find((argument) => argument.name.value === 'name')?.value)
    .map((value) => (value?.kind === 'StringValue' ? value.value : undefined))
    .find((name) => name === 'shopper' || name === 'internal');
const audienceOf = (field: GraphQLField<unknown, unknown>) => audienceTag(field.astNode?.directives);
const isInternalType = (type: GraphQLNamedType) => audienceTag(type.astNode?.directives) === 'internal';

const codesOf = (response: GraphQLResponse) => (response.errors ?? []).map((error) => error.extensions?.code);

/** Values seeded into internal fields: none of them may reach a customer or guest. */
const SECRET = {
  notes: 'Secret note: asks for discounts',
  tag: 'secret-tag',
  statusNote: 'Secret status note: courier complained',
  requestReason: 'Secret reason: suspected fraud',
  requestNote: 'Secret request note: refund by hand',
  guestStatusNote: 'Secret guest status note',
  guestReason: 'Secret guest reason',
  orderIp: '203.0.113.71',
  paymentIp: '203.0.113.72',
  permissionIp: '203.0.113.73',
  guestOrderIp: '203.0.113.74',
  guestPaymentIp: '2001:db8::75',
};

let graph: TestGraph;
let store: TestStore;
let customerToken: string;
let guestToken: string;
const ids: Record<string, string> = {};

/** A literal for each required argument a root field open to customers or guests takes. */
function argumentsFor(field: GraphQLField<unknown, unknown>): string {
  const returned = getNamedType(field.type).name;
  const byId: Record<string, string | undefined> = {
    Customer: ids.customer,
    Order: ids.order,
    Payment: ids.payment,
    LegalDocument: ids.document,
  };
  const required = field.args.filter((arg) => isNonNullType(arg.type));
  const literals = required.map((arg) => {
    if (arg.name === 'id' && byId[returned]) return `id: "${byId[returned]}"`;
    if (arg.name === 'number') return `number: "${ids.orderNumber}"`;
    if (arg.name === 'numbers') return `numbers: ["${ids.guestNumber}"]`;
    throw new Error(`${field.name}(${arg.name}) is open to customers or guests: give the walk a value for it`);
  });
  return literals.length ? `(${literals.join(', ')})` : '';
}

/** Some valid value of an argument, enough for authorization to answer before any resolver runs. */
function anyValue(type: GraphQLInputType): string {
  if (isNonNullType(type)) return anyValue(type.ofType);
  if (isListType(type)) return `[${anyValue(type.ofType)}]`;
  if (isEnumType(type)) return type.getValues()[0]!.name;
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields()).filter((field) => isNonNullType(field.type));
    return `{ ${fields.map((field) => `${field.name}: ${anyValue(field.type)}`).join(', ')} }`;
  }
  if (type.name === 'Int' || type.name === 'SafeInt' || type.name === 'Float') return '1';
  if (type.name === 'Boolean') return 'false';
  return `"${type.name === 'ID' ? randomUUID() : 'x'}"`;
}

/** Root fields that answer this token without FORBIDDEN. */
async function openRoots(token: string): Promise<GraphQLField<unknown, unknown>[]> {
  const open: GraphQLField<unknown, unknown>[] = [];
  for (const field of Object.values(queryType.getFields())) {
    const required = field.args.filter((arg) => isNonNullType(arg.type));
    const args = required.length ? `(${required.map((arg) => `${arg.name}: ${anyValue(arg.type)}`).join(', ')})` : '';
    const selection = isObjectType(getNamedType(field.type)) ? '{ __typename }' : '';
    const response = await graph.request(`{ ${field.name}${args} ${selection} }`, {}, { token });
    if (!codesOf(response).includes('FORBIDDEN')) open.push(field);
  }
  return open;
}

/** A field and the path of object fields that first reaches its type from the roots. */
interface Reached {
  type: GraphQLObjectType;
  path: GraphQLField<unknown, unknown>[];
}

/** Breadth first through shopper fields, so that each type is expanded where it is reached first. */
function reachable(roots: GraphQLField<unknown, unknown>[]): Map<string, Reached> {
  const reached = new Map<string, Reached>();
  const queue: Reached[] = [];
  const visit = (type: GraphQLNamedType, path: GraphQLField<unknown, unknown>[]) => {
    const members = isUnionType(type) ? type.getTypes() : isObjectType(type) ? [type] : [];
    for (const member of members) {
      if (reached.has(member.name)) continue;
      reached.set(member.name, { type: member, path });
      queue.push({ type: member, path });
    }
  };
  for (const root of roots) visit(getNamedType(root.type), [root]);
  while (queue.length) {
    const { type, path } = queue.shift()!;
    for (const field of Object.values(type.getFields()))
      if (audienceOf(field) === 'shopper') visit(getNamedType(field.type), [...path, field]);
  }
  return reached;
}

/** Every shopper field of every reached type, each type expanded once, where it is reached first. */
function walkOperation(roots: GraphQLField<unknown, unknown>[], reached: Map<string, Reached>): string {
  const select = (type: GraphQLNamedType, path: GraphQLField<unknown, unknown>[]): string => {
    const members = isUnionType(type) ? type.getTypes() : isObjectType(type) ? [type] : [];
    if (!members.length) return '';
    const parts = ['__typename'];
    for (const member of members) {
      const here = reached.get(member.name);
      if (here?.path.length !== path.length || here.path.some((field, i) => field !== path[i])) continue;
      const fields = Object.values(member.getFields())
        .filter((field) => audienceOf(field) === 'shopper')
        .map((field) => `${field.name} ${select(getNamedType(field.type), [...path, field])}`);
      parts.push(isUnionType(type) ? `... on ${member.name} { ${fields.join(' ')} }` : fields.join(' '));
    }
    return `{ ${parts.join(' ')} }`;
  };
  return `{ ${roots.map((root) => `${root.name}${argumentsFor(root)} ${select(getNamedType(root.type), [root])}`).join(' ')} }`;
}

/** One internal field of a reached type, asked along the path that reaches the type. */
function internalOperation(reachedAt: Reached, field: GraphQLField<unknown, unknown>, rootCall?: string) {
  const target = getNamedType(field.type);
  const leaf = isObjectType(target) ? (target.getFields().totalCount ? '{ totalCount }' : '{ __typename }') : '';
  let selection = `{ __typename ${field.name} ${leaf} }`;
  for (const step of reachedAt.path.slice(1).reverse()) selection = `{ __typename ${step.name} ${selection} }`;
  const root = reachedAt.path[0]!;
  return `{ ${rootCall ?? `${root.name}${argumentsFor(root)}`} ${selection} }`;
}

/** The values of `field` on every object of `typename` in `data`. */
function valuesOf(data: unknown, typename: string, field: string): unknown[] {
  if (Array.isArray(data)) return data.flatMap((item) => valuesOf(item, typename, field));
  if (!data || typeof data !== 'object') return [];
  const record = data as Record<string, unknown>;
  const here = record.__typename === typename && field in record ? [record[field]] : [];
  return [...here, ...Object.values(record).flatMap((value) => valuesOf(value, typename, field))];
}

function typenames(data: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(data)) data.forEach((item) => typenames(item, into));
  else if (data && typeof data === 'object') {
    const record = data as Record<string, unknown>;
    if (typeof record.__typename === 'string') into.add(record.__typename);
    Object.values(record).forEach((value) => typenames(value, into));
  }
  return into;
}

const isEmpty = (value: unknown) =>
  value === null ||
  value === false ||
  (Array.isArray(value) && value.length === 0) ||
  (typeof value === 'object' && (value as { totalCount?: number }).totalCount === 0);

beforeAll(async () => {
  graph = await startTestGraph({ limits: { maxDepth: 30, maxCost: 10_000_000, maxAliases: 50 } });
  store = await graph.createStore('Guarded store');
  ids.customer = (
    await store.createCustomer({
      firstName: 'Sam',
      lastName: 'Shopper',
      email: 'sam@shopper.example',
      phone: '+31612345678',
      notes: SECRET.notes,
      tags: [SECRET.tag],
      business: { companyName: 'Sam BV', taxOffice: 'Delft', taxNumber: 'NL123' },
      vipCard: { memberNumber: 'VIP-1', verificationCode: '4711' },
    })
  ).id;
  customerToken = await signToken({ kind: 'customer', userId: ids.customer, storeId: store.id });
  guestToken = await signToken({ kind: 'guest', userId: randomUUID(), storeId: store.id });
  const { createCampaign } = await store.data(
    `mutation($starts: DateTimeISO!, $ends: DateTimeISO!) {
      createCampaign(input: { name: "Spring", type: "Seasonal sale", discountType: PROMOTION, startsAt: $starts, endsAt: $ends }) { id }
    }`,
    { starts: new Date(Date.now() - 86_400_000).toISOString(), ends: new Date(Date.now() + 86_400_000).toISOString() },
  );
  const coupon = await store.createCoupon({ code: 'SPRING', campaignId: createCampaign.id });
  // The order earns loyalty points (E4): an EARNED entry with its rule's snapshot.
  await store.data(
    `mutation { updateLoyaltyProgram(input: { enabled: true, rate: { points: 1, perMinorUnits: 100 }, pendingDays: 14 }) { version } }`,
  );
  // E3: the customer holds the lowest tier and sees the next.
  await store.data(
    `mutation { updateLoyaltyTiers(input: { basis: POINTS_EARNED, tiers: [{ name: "Bronze", threshold: 0 }, { name: "Silver", threshold: 1000 }] }) { basis } }`,
  );
  const order = await store.recordOrder({
    customerId: ids.customer,
    quantity: 2,
    unitPrice: 500,
    unitCost: 300,
    discount: 100,
    ip: SECRET.orderIp,
    couponCodes: [coupon.code],
    campaignName: 'Spring sale',
    campaignIds: [createCampaign.id],
  });
  ids.order = order.id;
  ids.orderNumber = order.number;
  const guestOrder = await store.recordOrder({
    guest: { name: 'Gus Guest', email: 'gus@guest.example', phone: '+31687654321' },
    ip: SECRET.guestOrderIp,
  });
  ids.guestNumber = guestOrder.number;
  const made = await store.data(
    `mutation($c: ID!, $o: ID!, $g: ID!) {
      addAddress(customerId: $c, input: { kind: DELIVERY, recipient: "Sam", line1: "1 A St", city: "Delft", country: "NL" }) { id }
      adjustWallet(input: { customerId: $c, amount: 700, currency: "${store.currency}", reason: "Welcome gift" }) { entry { id } }
      adjustLoyaltyPoints(input: { customerId: $c, points: 5, reason: "Welcome points" }) { entry { id } }
      publishLegalDocument(input: { key: "terms", type: MEMBERSHIP_AGREEMENT, title: "Terms", content: "..." }) { id }
      createSegment(input: { name: "Everyone", rules: [{ kind: ORDER_COUNT, min: 0 }] }) { id }
      watchCustomer(customerId: $c) { id }
      updateOrderStatus(id: $o, status: IN_PROGRESS, note: "${SECRET.statusNote}") { id }
      guestStatus: updateOrderStatus(id: $g, status: IN_PROGRESS, note: "${SECRET.guestStatusNote}") { id }
      recordPayment(input: { orderId: $o, transactionCode: "TX-GUARD-1", method: CASH, amount: 1000, currency: "${store.currency}", ip: "${SECRET.paymentIp}" }) { id }
      guestPayment: recordPayment(input: { orderId: $g, transactionCode: "TX-GUARD-2", method: CASH, amount: 1000, currency: "${store.currency}", ip: "${SECRET.guestPaymentIp}" }) { id }
      createOrderRequest(orderId: $o, type: RETURN, units: 1, reason: "${SECRET.requestReason}") { id }
      guestRequest: createOrderRequest(orderId: $g, type: CANCELLATION, reason: "${SECRET.guestReason}") { id }
    }`,
    { c: ids.customer, o: ids.order, g: guestOrder.id },
  );
  ids.payment = made.recordPayment.id;
  ids.document = made.publishLegalDocument.id;
  // E5: a card of a type, replaced by another, so that a card's type and replacement are met.
  const { createLoyaltyCardType } = await store.data(
    `mutation { createLoyaltyCardType(input: { name: "Gold", sponsorshipGroup: "Partners", customerType: "Regular" }) { id } }`,
  );
  const { issueLoyaltyCard } = await store.data(
    `mutation($c: ID!, $t: ID!) { issueLoyaltyCard(input: { customerId: $c, cardTypeId: $t, barcode: "4006381333931", vipPoints: 5 }) { id } }`,
    { c: ids.customer, t: createLoyaltyCardType.id },
  );
  await store.data(
    `mutation($id: ID!) { replaceLoyaltyCard(input: { cardId: $id, barcode: "5901234123457" }) { card { id } } }`,
    { id: issueLoyaltyCard.id },
  );
  await store.data(
    `mutation($r: ID!, $c: ID!, $d: ID!) {
      updateOrderRequestStatus(id: $r, status: APPROVED, note: "${SECRET.requestNote}") { id }
      grantPermission(input: { customerId: $c, documentId: $d, source: IMPORT, ip: "${SECRET.permissionIp}" }) { id }
    }`,
    { r: made.createOrderRequest.id, c: ids.customer, d: ids.document },
  );
  // E8: the customer owns a code to refer others with, and was referred by another customer's,
  // on their order: E9's rules and rewards (a discount for them, points for the referrer).
  const referrer = await store.createCustomer({ firstName: 'Rhea', lastName: 'Referrer' });
  await store.data(
    `mutation($c: ID!, $r: ID!) {
      own: createReferenceCode(input: { code: "SAM-REFERS", name: "Sam's friends", type: USER, customerId: $c }) { id }
      theirs: createReferenceCode(input: {
        code: "RHEA-REFERS", name: "Rhea's friends", type: USER, customerId: $r,
        rules: { customerIds: [$c] },
        rewards: [
          { beneficiary: REFEREE, kind: DISCOUNT, amount: 500, currency: "${store.currency}" },
          { beneficiary: REFERRER, kind: POINTS, amount: 100 }
        ]
      }) { id }
    }`,
    { c: ids.customer, r: referrer.id },
  );
  // The order's event must have reached engagement for its rewards to be granted.
  await eventually(async () => expect(await graph.undelivered()).toBe(0));
  await store.data(
    `mutation($c: ID!, $o: ID!) { useReferenceCode(input: { code: "RHEA-REFERS", customerId: $c, orderId: $o }) { id } }`,
    { c: ids.customer, o: ids.order },
  );
  await store.data(
    `mutation($c: ID!) { sendCustomerMessage(input: { customerId: $c, channel: EMAIL, purpose: TRANSACTIONAL, subject: "Secret subject", body: "Secret body" }) { id } }`,
    { c: ids.customer },
  );
  await store.recordFeedback(ids.order, 4, 'Quick delivery');
  await store.recordFeedback(guestOrder.id, 5, 'Fine');
  await eventually(async () => expect(await graph.undelivered()).toBe(0));
}, 60_000);

afterAll(() => graph?.close());

describe('every field customer and guest tokens reach', () => {
  let customerRoots: GraphQLField<unknown, unknown>[];
  let guestRoots: GraphQLField<unknown, unknown>[];
  let reachedByCustomers: Map<string, Reached>;
  let reachedByGuests: Map<string, Reached>;

  beforeAll(async () => {
    customerRoots = await openRoots(customerToken);
    guestRoots = await openRoots(guestToken);
    reachedByCustomers = reachable(customerRoots);
    reachedByGuests = reachable(guestRoots);
  });

  it('starts from the root fields open to them and declares who sees each field', () => {
    expect(customerRoots.map((field) => field.name)).toEqual(expect.arrayContaining(['me', 'customer', 'order']));
    expect(guestRoots.map((field) => field.name)).toContain('guestOrders');
    const undeclared: string[] = [];
    const staffTypes: string[] = [];
    for (const { type } of [...reachedByCustomers.values(), ...reachedByGuests.values()]) {
      if (isInternalType(type)) staffTypes.push(type.name);
      for (const field of Object.values(type.getFields()))
        if (!audienceOf(field)) undeclared.push(`${type.name}.${field.name}`);
    }
    expect(undeclared).toEqual([]);
    expect(staffTypes).toEqual([]);
    expect(reachedByCustomers.size).toBeGreaterThan(20);
  });

  it('serves every shopper field, on records of every reached type, and no internal value', async () => {
    const seen = new Set<string>();
    for (const [token, roots, reached] of [
      [customerToken, customerRoots, reachedByCustomers],
      [guestToken, guestRoots, reachedByGuests],
    ] as const) {
      const response = await graph.request(walkOperation(roots, reached), {}, { token });
      expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
      typenames(response.data, seen);
      const served = JSON.stringify(response.data);
      for (const secret of [...Object.values(SECRET), store.ownerId]) expect(served).not.toContain(secret);
    }
    // The walk met a record of every type it reaches: none was left out for want of data.
    const types = new Set([...reachedByCustomers.keys(), ...reachedByGuests.keys()]);
    expect([...types].filter((name) => !seen.has(name))).toEqual([]);
  });

  it('gives customers and guests nothing of an internal field that staff see filled on the same records', async () => {
    // Staff cannot call the customer and guest entry points; these give them the same records.
    const forStaff: Record<string, string> = {
      me: `customer(id: "${ids.customer}")`,
      guestOrders: `orderByNumber(number: "${ids.guestNumber}")`,
    };
    const found = new Map<string, { shopper: number; staff: number }>();
    for (const [token, reached] of [
      [customerToken, reachedByCustomers],
      [guestToken, reachedByGuests],
    ] as const) {
      for (const reachedAt of reached.values()) {
        const typename = reachedAt.type.name;
        for (const field of Object.values(reachedAt.type.getFields()).filter((f) => audienceOf(f) === 'internal')) {
          const label = `${typename}.${field.name}`;
          const counts = found.get(label) ?? { shopper: 0, staff: 0 };
          found.set(label, counts);
          const asShopper = await graph.request(internalOperation(reachedAt, field), {}, { token });
          const codes = codesOf(asShopper);
          expect(
            codes.filter((code) => code !== 'FORBIDDEN'),
            `${label}: ${JSON.stringify(asShopper.errors)}`,
          ).toEqual([]);
          const values = valuesOf(asShopper.data, typename, field.name);
          expect(
            values.filter((value) => !isEmpty(value)),
            `${label} served: ${JSON.stringify(asShopper.data)}`,
          ).toEqual([]);
          counts.shopper += values.length + codes.length;
          const asStaff = await store.request(internalOperation(reachedAt, field, forStaff[reachedAt.path[0]!.name]));
          expect(asStaff.errors, label).toBeUndefined();
          counts.staff += valuesOf(asStaff.data, typename, field.name).filter((value) => !isEmpty(value)).length;
        }
      }
    }
    // Every internal field was met on a record (or refused), and staff saw a value there to withhold.
    expect([...found].filter(([, counts]) => counts.shopper === 0).map(([label]) => label)).toEqual([]);
    expect([...found].filter(([, counts]) => counts.staff === 0).map(([label]) => label)).toEqual([]);
    expect([...found.keys()]).toEqual(
      expect.arrayContaining([
        'Customer.notes',
        'Order.ip',
        'OrderStatusChange.note',
        'OrderRequest.reason',
        'Payment.ip',
      ]),
    );
  });
});

describe('guestOrders', () => {
  const orderQuery = (root: string) => `{
    ${root} {
      number status ip guest { name }
      total { amount }
      items { name quantity }
      statusHistory { toStatus note changedBy ip }
      requests { type status reason note requestedBy }
      payments { transactionCode ip }
    }
  }`;

  it('gives a storefront the order without staff notes, staff ids, reasons or IP addresses', async () => {
    const response = await graph.request(
      orderQuery(`guestOrders(numbers: ["${ids.guestNumber}"])`),
      {},
      {
        token: guestToken,
      },
    );
    expect(response.errors).toBeUndefined();
    const [order] = response.data.guestOrders;
    expect(order).toMatchObject({
      number: ids.guestNumber,
      status: 'IN_PROGRESS',
      ip: null,
      guest: { name: 'Gus Guest' },
      items: [{ name: 'Product', quantity: 1 }],
    });
    expect(order.statusHistory.map((change: Record<string, unknown>) => change.toStatus)).toEqual([
      'NEW',
      'IN_PROGRESS',
    ]);
    for (const change of order.statusHistory) expect(change).toMatchObject({ note: null, changedBy: null, ip: null });
    expect(order.requests).toEqual([
      { type: 'CANCELLATION', status: 'REQUESTED', reason: null, note: null, requestedBy: null },
    ]);
    expect(order.payments).toEqual([{ transactionCode: 'TX-GUARD-2', ip: null }]);

    // The same order as its store's owner sees it: the values are there to be withheld.
    const { orderByNumber } = await store.data(orderQuery(`orderByNumber(number: "${ids.guestNumber}")`));
    expect(orderByNumber).toMatchObject({
      ip: SECRET.guestOrderIp,
      requests: [{ reason: SECRET.guestReason, requestedBy: store.ownerId }],
      payments: [{ ip: SECRET.guestPaymentIp }],
    });
    expect(orderByNumber.statusHistory[1]).toMatchObject({ note: SECRET.guestStatusNote, changedBy: store.ownerId });
  });
});

describe('IP addresses', () => {
  const query = `query($c: ID!, $o: ID!, $p: ID!) {
    order(id: $o) { ip statusHistory { ip } payments { ip } }
    payment(id: $p) { ip }
    customer(id: $c) {
      permissions { edges { node { ip history { ip } } } }
      permissionRecords { edges { node { ip } } }
      auditLog { edges { node { action ip } } }
    }
  }`;
  const ips = (data: unknown): string[] =>
    [...JSON.stringify(data).matchAll(/"ip":("[^"]*"|null)/g)].map((match) => JSON.parse(match[1]!)).filter(Boolean);

  it('are masked for staff without PERSONAL_DATA_READ, IPv4 and IPv6 alike', async () => {
    const variables = { c: ids.customer, o: ids.order, p: ids.payment };
    const owner = ips(await store.data(query, variables));
    expect(owner).toEqual(expect.arrayContaining([SECRET.orderIp, SECRET.paymentIp, SECRET.permissionIp]));

    const reader = await store.staff(`reader-${randomUUID().slice(0, 8)}`, {
      actions: [StaffAction.CUSTOMERS_READ, StaffAction.AUDIT_READ],
    });
    const response = await graph.request(query, variables, { token: reader });
    expect(response.errors).toBeUndefined();
    const masked = ips(response.data);
    expect(masked).toHaveLength(owner.length);
    expect(masked).toEqual(expect.arrayContaining(['203.0.***.***']));
    for (const ip of masked) expect(ip).toMatch(/^[\da-f:.]*\*\*\*(\.\*\*\*)?$/i);

    const guestPayment = await graph.request(
      `query($n: String!) { orderByNumber(number: $n) { ip payments { ip } } }`,
      { n: ids.guestNumber },
      { token: reader },
    );
    expect(guestPayment.data.orderByNumber).toEqual({ ip: '203.0.***.***', payments: [{ ip: '2001:db8:***' }] });
  });
});
