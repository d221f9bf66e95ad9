/**
 * Demo data for `pnpm start`: three stores and about 200 customers with addresses, orders,
 * payments, wallet entries, legal documents and permissions. Everything but the stores (which
 * have no public mutation yet) goes through the gateway's public API, batched as aliased
 * mutations, so the demo exercises the same rules as any client. A fixed seed makes every run
 * produce the same data.
 */
import { signToken } from '@cg/auth';
import { addOwner, createStore, findStoreByName, type CustomerDb } from '@cg/customer';
import { gs1CheckDigit } from '@cg/engagement';

/** The staff user who owns the demo stores; `pnpm start` prints a token for them. */
export const DEMO_STAFF = 'demo-staff';

interface DemoStorePlan {
  name: string;
  currency: string;
  country: string;
  /** The i-th customer's phone, valid in the store's country. */
  phone: (i: number) => string;
  customers: number;
}

const DEMO_STORES: DemoStorePlan[] = [
  {
    name: 'Anatolia Market',
    currency: 'TRY',
    country: 'TR',
    phone: (i) => `+90532${String(1_000_000 + i)}`,
    customers: 120,
  },
  {
    name: 'Nordic Outfitters',
    currency: 'EUR',
    country: 'DE',
    phone: (i) => `+49151${String(20_000_000 + i)}`,
    customers: 50,
  },
  // 555-0100…0199 are the numbers set aside for fiction.
  {
    name: 'Corner Bistro',
    currency: 'USD',
    country: 'US',
    phone: (i) => `+120255501${String(i).padStart(2, '0')}`,
    customers: 30,
  },
];

const FIRST_NAMES = [
  'Ayşe',
  'Mehmet',
  'Elif',
  'Can',
  'Zeynep',
  'Emre',
  'Anna',
  'Lukas',
  'Sofia',
  'Noah',
  'Mia',
  'Leon',
  'Grace',
  'Alan',
  'Ada',
  'Linus',
  'Hedy',
  'Tim',
  'Marie',
  'Nikola',
];
const LAST_NAMES = [
  'Yılmaz',
  'Kaya',
  'Demir',
  'Şahin',
  'Çelik',
  'Müller',
  'Schmidt',
  'Schneider',
  'Fischer',
  'Hopper',
  'Turing',
  'Lovelace',
  'Torvalds',
  'Lamarr',
  'Berners-Lee',
  'Curie',
  'Tesla',
  'Johnson',
  'Nakamura',
  'Rossi',
];
const CITIES: Record<string, string[]> = {
  TR: ['İstanbul', 'Ankara', 'İzmir'],
  DE: ['Berlin', 'Hamburg', 'München'],
  US: ['Washington', 'Arlington', 'Baltimore'],
};
const PRODUCTS = [
  { productId: 'P-100', sku: 'TEA-500', name: 'Black tea 500 g', price: 1290 },
  { productId: 'P-101', sku: 'COF-250', name: 'Coffee beans 250 g', price: 1890 },
  { productId: 'P-102', sku: 'MUG-01', name: 'Ceramic mug', price: 990 },
  { productId: 'P-103', sku: 'JKT-M', name: 'Rain jacket M', price: 8900 },
  { productId: 'P-104', sku: 'SCK-3', name: 'Wool socks, 3 pairs', price: 1590 },
  { productId: 'P-105', sku: 'BRG-01', name: 'Bistro burger', price: 1450 },
];
const ORDER_STATUSES = [
  'COMPLETED',
  'COMPLETED',
  'COMPLETED',
  'DELIVERED',
  'IN_DELIVERY',
  'NEW',
  'CANCELLED',
  'RETURNED',
];
const CHANNELS = ['WEB', 'WEB', 'MOBILE_APP', 'POS', 'MARKETPLACE'];

/** mulberry32: small, fast and repeatable. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!,
    chance: (p: number) => next() < p,
  };
}

class GatewayClient {
  constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: unknown[] };
    if (body.errors?.length) throw new Error(`Demo data request failed: ${JSON.stringify(body.errors).slice(0, 2000)}`);
    return body.data!;
  }

  /** Runs one mutation per input, 25 to a request as aliased fields; returns results in order. */
  async batch<T>(
    mutation: string,
    inputType: string,
    selection: string,
    inputs: Record<string, unknown>[],
  ): Promise<T[]> {
    const results: T[] = [];
    for (let start = 0; start < inputs.length; start += 25) {
      const chunk = inputs.slice(start, start + 25);
      const variables = Object.fromEntries(chunk.map((input, i) => [`v${i}`, input]));
      const definitions = chunk.map((_, i) => `$v${i}: ${inputType}!`).join(', ');
      const fields = chunk.map((_, i) => `m${i}: ${mutation}(input: $v${i}) ${selection}`).join('\n');
      const data = await this.request<Record<string, T>>(`mutation Demo(${definitions}) {\n${fields}\n}`, variables);
      chunk.forEach((_, i) => results.push(data[`m${i}`]!));
    }
    return results;
  }

  /** Mutations whose arguments are not one `input` object. */
  async batchArgs<T>(
    mutation: string,
    args: Record<string, string>,
    selection: string,
    values: Record<string, unknown>[],
  ): Promise<T[]> {
    const results: T[] = [];
    for (let start = 0; start < values.length; start += 25) {
      const chunk = values.slice(start, start + 25);
      const variables: Record<string, unknown> = {};
      const definitions: string[] = [];
      const fields = chunk.map((value, i) => {
        const passed = Object.keys(args).map((name) => {
          variables[`${name}${i}`] = value[name];
          definitions.push(`$${name}${i}: ${args[name]}`);
          return `${name}: $${name}${i}`;
        });
        return `m${i}: ${mutation}(${passed.join(', ')}) ${selection}`;
      });
      const data = await this.request<Record<string, T>>(
        `mutation Demo(${definitions.join(', ')}) {\n${fields.join('\n')}\n}`,
        variables,
      );
      chunk.forEach((_, i) => results.push(data[`m${i}`]!));
    }
    return results;
  }
}

export interface DemoStore {
  store: { id: string; name: string };
  exampleCustomerId: string;
}

/**
 * The Variables pane the explorer opens with: the id of the demo customer with the fullest history.
 * Every example operation of gateway/src/explorer/examples.graphql runs with these alone.
 */
export function explorerVariables(store: DemoStore): Record<string, unknown> {
  return { id: store.exampleCustomerId };
}

/** The first demo store and its first customer, when demo data has been loaded before. */
export async function demoStore(gatewayUrl: string, db: CustomerDb): Promise<DemoStore | undefined> {
  const store = await findStoreByName(db, DEMO_STORES[0]!.name);
  if (!store) return undefined;
  // Demo databases made before staff roles existed have no members yet.
  await addOwner(db, store.id, DEMO_STAFF);
  const token = await signToken({ kind: 'staff', userId: DEMO_STAFF, storeId: store.id }, { expiresIn: '5m' });
  // The example customer is the store's first profile, found by its phone: the 25 profiles of a
  // request share one creation time, so "the oldest" names any of them.
  const { customers } = await new GatewayClient(gatewayUrl, token).request<{
    customers: { edges: { node: { id: string } }[] };
  }>('query($phone: String!) { customers(first: 1, filter: { search: $phone }) { edges { node { id } } } }', {
    phone: DEMO_STORES[0]!.phone(0),
  });
  const first = customers.edges[0]?.node.id;
  return first ? { store: { id: store.id, name: store.name }, exampleCustomerId: first } : undefined;
}

/**
 * `customersPerStore` caps each store's customers (a quick demo, as the launcher's test loads);
 * `onStore` hears each store once it is loaded (the launcher prints how long each took).
 */
export async function loadDemoData(
  gatewayUrl: string,
  db: CustomerDb,
  options: { customersPerStore?: number; onStore?: (name: string, customers: number, ms: number) => void } = {},
): Promise<DemoStore> {
  const cap = options.customersPerStore;
  const plans = DEMO_STORES.map((plan) => (cap ? { ...plan, customers: Math.min(plan.customers, cap) } : plan));
  let first: DemoStore | undefined;
  for (const [index, plan] of plans.entries()) {
    const start = performance.now();
    const loaded = await loadStore(gatewayUrl, db, plan, index + 1);
    options.onStore?.(plan.name, plan.customers, performance.now() - start);
    first ??= loaded;
  }
  return first!;
}

async function loadStore(gatewayUrl: string, db: CustomerDb, plan: DemoStorePlan, seed: number): Promise<DemoStore> {
  const rng = random(seed * 7919);
  const store = await createStore(db, { name: plan.name, currency: plan.currency, ownerUserId: DEMO_STAFF });
  const token = await signToken({ kind: 'staff', userId: DEMO_STAFF, storeId: store.id }, { expiresIn: '1h' });
  const api = new GatewayClient(gatewayUrl, token);
  const cities = CITIES[plan.country]!;
  const now = Date.now();
  const day = 86_400_000;

  const profiles = Array.from({ length: plan.customers }, (_, i) => {
    const firstName = rng.pick(FIRST_NAMES);
    const lastName = rng.pick(LAST_NAMES);
    const slug = `${firstName}.${lastName}`
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z.]/g, '');
    return {
      firstName,
      lastName,
      email: `${slug}.${seed}${String(i).padStart(3, '0')}@example.com`,
      phone: plan.phone(i),
      country: plan.country,
      language: { TR: 'tr', DE: 'de', US: 'en' }[plan.country],
      gender: rng.pick(['FEMALE', 'MALE', 'OTHER', 'UNDISCLOSED']),
      birthDate: `19${rng.int(55, 99)}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`,
      status: rng.chance(0.05) ? 'BLOCKED' : rng.chance(0.1) ? 'INACTIVE' : 'ACTIVE',
      tags: rng.chance(0.3) ? [rng.pick(['vip', 'wholesale', 'newsletter', 'returns-risk'])] : [],
      notes: rng.chance(0.2) ? 'Prefers delivery after 6 pm.' : null,
      ...(rng.chance(0.1)
        ? {
            business: {
              companyName: `${lastName} Trading`,
              taxOffice: cities[0],
              taxNumber: String(rng.int(1e9, 9e9)),
            },
          }
        : {}),
      ...(rng.chance(0.15)
        ? {
            vipCard: {
              memberNumber: `VIP-${seed}${String(i).padStart(4, '0')}`,
              verificationCode: String(rng.int(1000, 9999)),
            },
          }
        : {}),
    };
  });
  // Blocked customers cannot place orders (C14): they are created active, given their history,
  // and blocked at the end, as a store would block a customer after their orders.
  const created = await api.batch<{ id: string }>(
    'createCustomer',
    'CreateCustomerInput',
    '{ id }',
    profiles.map((profile) => (profile.status === 'BLOCKED' ? { ...profile, status: 'ACTIVE' } : profile)),
  );

  const addressInputs = created.flatMap((customer, i) => {
    const profile = profiles[i]!;
    const list = [
      {
        customerId: customer.id,
        input: {
          kind: 'DELIVERY',
          label: 'Home',
          recipient: `${profile.firstName} ${profile.lastName}`,
          line1: `${rng.int(1, 200)} ${rng.pick(['Main', 'Oak', 'Station', 'Harbour'])} Street`,
          city: rng.pick(cities),
          postalCode: String(rng.int(10000, 99999)),
          country: plan.country,
        },
      },
    ];
    if (rng.chance(0.4)) {
      list.push({
        customerId: customer.id,
        input: {
          ...list[0]!.input,
          kind: profile.business ? 'CORPORATE_INVOICE' : 'INDIVIDUAL_INVOICE',
          label: 'Invoice',
        },
      });
    }
    return list;
  });
  await api.batchArgs('addAddress', { customerId: 'ID!', input: 'AddAddressInput!' }, '{ id }', addressInputs);

  let orderSerial = 0;
  const orderNumber = () =>
    `${plan.country}${String(seed)}${String((orderSerial += 1)).padStart(7, '0')}`.slice(0, 10).padEnd(10, '0');
  // The first customer is the explorer's example: give it a full history.
  const orders = created.flatMap((customer, i) =>
    Array.from({ length: i === 0 ? 12 : rng.int(0, 8) }, () => ({
      customerId: customer.id as string | undefined,
      guest: undefined as unknown,
    })),
  );
  for (let g = 0; g < Math.ceil(plan.customers / 10); g += 1) {
    orders.push({ customerId: undefined, guest: { name: `Guest ${g + 1}`, email: `guest${seed}${g}@example.net` } });
  }
  // E3: the store's loyalty program, on before the orders, so they earn points (a point per 1.00).
  await api.batch('updateLoyaltyProgram', 'UpdateLoyaltyProgramInput', '{ enabled }', [
    { enabled: true, rate: { points: 1, perMinorUnits: 100 }, pendingDays: 14, birthdayBonus: 100, expiryMonths: 24 },
  ]);
  await api.batch('updateLoyaltyTiers', 'UpdateLoyaltyTiersInput', '{ basis }', [
    {
      basis: 'POINTS_EARNED',
      tiers: [
        { name: 'Bronze', threshold: 0 },
        { name: 'Silver', threshold: 200 },
        { name: 'Gold', threshold: 1000 },
      ],
    },
  ]);
  // O8: the coupon the demo orders redeem, valid since before the oldest of them.
  await api.batch('createCoupon', 'CreateCouponInput', '{ id }', [
    {
      code: 'WELCOME10',
      name: 'Welcome 10 %',
      type: 'Welcome',
      discountType: 'PERCENTAGE',
      amount: 1000,
      startsAt: new Date(now - 800 * day).toISOString(),
    },
  ]);
  const orderInputs = orders.map((order) =>
    withPaymentFee({
      number: orderNumber(),
      ...(order.customerId ? { customerId: order.customerId } : { guest: order.guest }),
      channel: rng.pick(CHANNELS),
      platform: rng.pick(['web-shop', 'ios-app', 'android-app', 'pos-1']),
      receiptNumber: `R-${rng.int(100000, 999999)}`,
      status: rng.pick(ORDER_STATUSES),
      currency: plan.currency,
      items: Array.from({ length: rng.int(1, 4) }, () => {
        const product = rng.pick(PRODUCTS);
        return {
          productId: product.productId,
          sku: product.sku,
          name: product.name,
          quantity: rng.int(1, 3),
          unitPrice: product.price,
          discount: 0,
          // O3 P&L: a cost of 55 % of the price, as intake captures it.
          unitCost: Math.round(product.price * 0.55),
        };
      }),
      shipping: rng.pick([0, 0, 490]),
      paymentMethod: rng.pick(['CREDIT_CARD', 'CREDIT_CARD', 'DEBIT_CARD', 'CASH', 'WALLET']),
      couponCodes: rng.chance(0.15) ? ['WELCOME10'] : [],
      placedAt: new Date(now - rng.int(1, 700) * day - rng.int(0, day)).toISOString(),
      ip: `203.0.113.${rng.int(1, 254)}`,
    }),
  );
  // WELCOME10 takes 10 % of the items (rounded down), which the order's discount records.
  for (const input of orderInputs) {
    if (input.couponCodes.length === 0) continue;
    const items = input.items.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
    Object.assign(input, { discount: Math.floor(items / 10) });
  }
  const recorded = await api.batch<{
    id: string;
    total: { amount: number };
    status: string;
    createdAt: string;
    units: number;
  }>('recordOrder', 'RecordOrderInput', '{ id total { amount } status createdAt units }', orderInputs);

  const payments = recorded
    .filter((order) => order.status !== 'CANCELLED')
    .map((order, i) => ({
      orderId: order.id,
      transactionCode: `TX${seed}${String(i).padStart(8, '0')}`,
      method: 'CREDIT_CARD',
      instrumentGroup: rng.pick(['Visa', 'Mastercard', 'Troy']),
      provider: rng.pick(['iyzico', 'Stripe', 'Adyen']),
      institution: rng.pick(['Garanti BBVA', 'Deutsche Bank', 'Chase']),
      amount: order.total.amount,
      currency: plan.currency,
      status: order.status === 'RETURNED' ? 'REFUNDED' : 'COMPLETED',
      paidAt: order.createdAt,
    }));
  await api.batch('recordPayment', 'RecordPaymentInput', '{ id }', payments);

  const walletAdjustments = created.flatMap((customer, i) => {
    if (i > 0 && !rng.chance(0.6)) return [];
    const credit = rng.int(5, 100) * 100;
    const list = [
      {
        customerId: customer.id,
        amount: credit,
        currency: plan.currency,
        reason: rng.pick(['Goodwill credit', 'Refund to balance', 'Loyalty reward']),
        ...(rng.chance(0.3) ? { expiresAt: new Date(now + rng.int(30, 365) * day).toISOString() } : {}),
        notifyCustomer: rng.chance(0.5),
      },
    ];
    if (i === 0 || rng.chance(0.5)) {
      list.push({
        customerId: customer.id,
        amount: -rng.int(1, credit / 100) * 100,
        currency: plan.currency,
        reason: 'Spent at checkout',
        notifyCustomer: false,
      });
    }
    return list;
  });
  await api.batch('adjustWallet', 'AdjustWalletInput', '{ entry { id } }', walletAdjustments);
  // E4: points carried over from the store's earlier program, for every third customer (the first
  // among them); the orders' points follow through events.
  const carriedOver = created
    .filter((_, i) => i % 3 === 0)
    .map((customer, i) => ({
      customerId: customer.id,
      points: 100 + ((i * 37) % 900),
      reason: 'Carried over from the previous loyalty program',
    }));
  await api.batch('adjustLoyaltyPoints', 'AdjustLoyaltyPointsInput', '{ entry { id } }', carriedOver);
  // E5: a member card for every fifth customer (the first among them), EAN-13 barcodes of the store.
  const [cardType] = await api.batch<{ id: string }>('createLoyaltyCardType', 'LoyaltyCardTypeInput', '{ id }', [
    { name: 'Member card', sponsorshipGroup: 'Retail', customerType: 'Individual' },
  ]);
  const cards = created
    .filter((_, i) => i % 5 === 0)
    .map((customer, i) => {
      const body = `20${String(seed).padStart(4, '0').slice(-4)}${String(i + 1).padStart(6, '0')}`;
      return {
        customerId: customer.id,
        cardTypeId: cardType!.id,
        barcode: `${body}${gs1CheckDigit(body)}`,
        vipPoints: 10 * (i % 7),
      };
    });
  await api.batch('issueLoyaltyCard', 'IssueLoyaltyCardInput', '{ id }', cards);
  // E8: a platform code and the referral codes of every tenth customer; every fourth other
  // customer was referred by one of them, and shoppers visited through each code's link.
  // Odd positions: never one of the referrers (every tenth), so nobody refers themself.
  const referees = created.filter((_, i) => i % 4 === 1);
  const codeCount = 1 + created.filter((_, i) => i % 10 === 0).length;
  // E9: the platform code is for the customers invited to it (a rule by user) and gives them
  // 100 points; a referral code gives its referee 200 points and its referrer 5.00 in the wallet,
  // granted once the referee's order counts (reversed if it is cancelled or returned).
  const [welcome] = await api.batch<{ code: string }>('createReferenceCode', 'CreateReferenceCodeInput', '{ code }', [
    {
      code: 'WELCOME',
      name: 'Welcome campaign',
      type: 'PLATFORM',
      usageLimit: 500,
      rules: { customerIds: referees.filter((_, i) => i % codeCount === 0).map((customer) => customer.id) },
      rewards: [{ beneficiary: 'REFEREE', kind: 'POINTS', amount: 100 }],
    },
  ]);
  const referralCodes = await api.batch<{ code: string }>(
    'createReferenceCode',
    'CreateReferenceCodeInput',
    '{ code }',
    created
      .filter((_, i) => i % 10 === 0)
      .map((customer, i) => ({
        name: `Referral ${i + 1}`,
        type: 'USER',
        customerId: customer.id,
        perCustomerLimit: 1,
        rewards: [
          { beneficiary: 'REFEREE', kind: 'POINTS', amount: 200 },
          { beneficiary: 'REFERRER', kind: 'WALLET', amount: 500, currency: plan.currency },
        ],
      })),
  );
  const codes = [welcome!.code, ...referralCodes.map((row) => row.code)];
  // Each referee used their code on their first order, if they have one (at registration otherwise).
  const firstOrder = new Map<string, string>();
  orders.forEach((order, i) => {
    if (order.customerId && !firstOrder.has(order.customerId)) firstOrder.set(order.customerId, recorded[i]!.id);
  });
  await api.batch(
    'useReferenceCode',
    'UseReferenceCodeInput',
    '{ id }',
    referees.map((customer, i) => ({
      code: codes[i % codes.length],
      customerId: customer.id,
      orderId: firstOrder.get(customer.id) ?? null,
    })),
  );
  const storefront = new GatewayClient(
    gatewayUrl,
    await signToken({ kind: 'guest', userId: `demo-session-${seed}`, storeId: store.id }, { expiresIn: '5m' }),
  );
  await storefront.batchArgs(
    'recordReferenceCodeAccess',
    { code: 'String!' },
    '{ id }',
    referees.flatMap((_, i) => [{ code: codes[i % codes.length] }, { code: codes[(i + 1) % codes.length] }]),
  );

  const documents = await api.batch<{ id: string; key: string; version: number }>(
    'publishLegalDocument',
    'PublishLegalDocumentInput',
    '{ id key version }',
    [
      {
        key: 'membership-agreement',
        type: 'MEMBERSHIP_AGREEMENT',
        category: 'LEGAL',
        title: 'Membership agreement',
        content: 'Version 1 of the membership terms.',
        mandatory: true,
      },
      {
        key: 'membership-agreement',
        type: 'MEMBERSHIP_AGREEMENT',
        category: 'LEGAL',
        title: 'Membership agreement',
        content: 'Version 2 of the membership terms.',
        mandatory: true,
      },
      {
        key: 'privacy-notice',
        type: 'PRIVACY_NOTICE',
        category: 'LEGAL',
        title: 'Privacy notice',
        url: 'https://example.com/privacy',
        mandatory: true,
      },
      {
        key: 'commercial-communication',
        type: 'COMMERCIAL_COMMUNICATION',
        category: 'NOTIFICATION',
        title: 'Commercial electronic messages',
        content: 'I agree to receive campaigns.',
        mandatory: false,
      },
    ],
  );
  const latestMembership = documents[1]!;
  const grants: {
    customerId: string;
    documentId?: string;
    channel?: string;
    source: string;
    revoke?: boolean;
  }[] = [];
  // Given through the API now, they record the launcher's address: only imports bring their own.
  for (const customer of created) {
    grants.push({
      customerId: customer.id,
      documentId: (rng.chance(0.3) ? documents[0]! : latestMembership).id,
      source: 'REGISTRATION',
    });
    grants.push({ customerId: customer.id, documentId: documents[2]!.id, source: 'REGISTRATION' });
    if (rng.chance(0.5)) grants.push({ customerId: customer.id, documentId: documents[3]!.id, source: 'CHECKOUT' });
    if (rng.chance(0.6)) grants.push({ customerId: customer.id, channel: 'EMAIL', source: 'REGISTRATION' });
    if (rng.chance(0.3)) grants.push({ customerId: customer.id, channel: 'SMS', source: 'CHECKOUT' });
    if (rng.chance(0.1)) grants.push({ customerId: customer.id, channel: 'EMAIL', source: 'ADMIN', revoke: true });
  }
  const toInput = ({ revoke: _revoke, ...input }: (typeof grants)[number]) => input;
  await api.batch('grantPermission', 'PermissionChangeInput', '{ id }', grants.filter((g) => !g.revoke).map(toInput));
  await api.batch('revokePermission', 'PermissionChangeInput', '{ id }', grants.filter((g) => g.revoke).map(toInput));

  // O4, drawn last so that the data above stays as it was: feedback on some received orders (one
  // in four of it negative) and partial returns of some orders of several units.
  const received = recorded.filter((order) => order.status === 'COMPLETED' || order.status === 'DELIVERED');
  const feedback = received
    .filter((_, i) => i < 3 || rng.chance(0.3))
    .map((order) => ({
      orderId: order.id,
      rating: rng.pick([1, 2, 3, 4, 4, 5, 5, 5]),
      ...(rng.chance(0.5)
        ? { comment: rng.pick(['Arrived late', 'Great quality', 'Wrong size', 'Fast delivery', 'Damaged box']) }
        : {}),
    }));
  await api.batch('recordOrderFeedback', 'RecordOrderFeedbackInput', '{ id }', feedback);
  const partialReturns = received.filter((order, i) => order.units > 1 && (i < 2 || rng.chance(0.1)));
  const requests = await api.batchArgs<{ id: string }>(
    'createOrderRequest',
    { orderId: 'ID!', type: 'OrderRequestType!', units: 'Int', reason: 'String' },
    '{ id }',
    partialReturns.map((order) => ({
      orderId: order.id,
      type: 'RETURN',
      units: rng.int(1, order.units - 1),
      reason: 'Did not fit',
    })),
  );
  for (const status of ['APPROVED', 'COMPLETED']) {
    await api.batchArgs(
      'updateOrderRequestStatus',
      { id: 'ID!', status: 'OrderRequestStatus!' },
      '{ id }',
      requests.map((request) => ({ id: request.id, status })),
    );
  }

  await api.batchArgs(
    'updateCustomer',
    { id: 'ID!', input: 'UpdateCustomerInput!' },
    '{ id }',
    created.filter((_, i) => profiles[i]!.status === 'BLOCKED').map(({ id }) => ({ id, input: { status: 'BLOCKED' } })),
  );

  return { store: { id: store.id, name: store.name }, exampleCustomerId: created[0]!.id };
}

/** O3 P&L: a card payment's fee of 2.9 % of the items' value plus 0.25, computed (no draw of the seeded generator). */
function withPaymentFee<T extends { items: { quantity: number; unitPrice: number }[]; paymentMethod: string }>(
  order: T,
): T & { paymentFee: number } {
  const value = order.items.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
  const card = order.paymentMethod === 'CREDIT_CARD' || order.paymentMethod === 'DEBIT_CARD';
  return { ...order, paymentFee: card ? Math.round(value * 0.029) + 25 : 0 };
}
