/**
 * Bulk data for `pnpm bench`: fills a freshly migrated database with a large store (and a small
 * second one that shares people with it) in SQL, `insert … select … from generate_series(…)`,
 * each subgraph's tables through that subgraph's own connection.
 *
 * Every value is a function of a row number and a salt (`hashint8extended`), and every id is an
 * md5 of the store, a kind and a row number shaped as a v4 UUID. So the subgraphs can be filled
 * independently (orders name customers by the id the customer subgraph will give them), nothing
 * is sent between Node and PostgreSQL but statements, memory stays flat, and every run produces
 * the same rows (times are relative to the moment it runs). The rules the database enforces (CHECKs, unique indexes, foreign keys inside a
 * subgraph) all hold; consent records go through the trigger that derives permission states.
 */
import type { Database } from '@cg/db';
import type { RunningGraph } from '@cg/graph';
import { createStore } from '@cg/customer';

type Sql = Database['sql'];

export interface DataOptions {
  customers: number;
  orders: number;
  /** Progress lines; silent when omitted. */
  log?: (line: string) => void;
}

interface StorePlan {
  name: string;
  currency: string;
  customers: number;
  orders: number;
}

interface GeneratedStore extends StorePlan {
  id: string;
}

export interface GeneratedData {
  main: GeneratedStore;
  /** Small second store: its customers are the main store's first people again (same emails and phones). */
  second: GeneratedStore;
  /** The instant the data is generated around; every timestamp is before it, except future credit expiries. */
  now: string;
  seconds: number;
  /** Seconds per step. */
  steps: { step: string; seconds: number }[];
  /** Rows per table after generation (all stores). */
  rows: Record<string, number>;
}

// ---------------------------------------------------------------------------------------------
// Reference lists. Earlier entries are picked more often (skewed picks), so name prefixes range
// from very common to rare.

const FIRST_NAMES = [
  'Mehmet',
  'Ayşe',
  'Mustafa',
  'Fatma',
  'Ahmet',
  'Emine',
  'Ali',
  'Zeynep',
  'Hüseyin',
  'Elif',
  'Hasan',
  'Merve',
  'Emre',
  'Anna',
  'Lukas',
  'Leon',
  'İbrahim',
  'Murat',
  'Hatice',
  'Can',
  'Burak',
  'Özlem',
  'Derya',
  'Selin',
  'Ebru',
  'Gül',
  'Şule',
  'Cem',
  'Kerem',
  'Deniz',
  'Yusuf',
  'Ömer',
  'Berk',
  'Finn',
  'Jonas',
  'Paul',
  'Lena',
  'Mia',
  'Emma',
  'Sophie',
  'Jürgen',
  'Björn',
  'James',
  'Oliver',
  'Noah',
  'Grace',
  'Emily',
  'Olivia',
  'Alan',
  'Ada',
  'Linus',
  'Hedy',
  'Marie',
  'Nikola',
  'Tim',
  'Xaver',
];
const LAST_NAMES = [
  'Yılmaz',
  'Kaya',
  'Demir',
  'Şahin',
  'Çelik',
  'Yıldız',
  'Yıldırım',
  'Öztürk',
  'Aydın',
  'Özdemir',
  'Arslan',
  'Doğan',
  'Müller',
  'Schmidt',
  'Kılıç',
  'Aslan',
  'Çetin',
  'Kara',
  'Koç',
  'Kurt',
  'Özkan',
  'Şimşek',
  'Schneider',
  'Fischer',
  'Weber',
  'Meyer',
  'Wagner',
  'Becker',
  'Schulz',
  'Hoffmann',
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Garcia',
  'Miller',
  'Davis',
  'Hopper',
  'Turing',
  'Lovelace',
  'Torvalds',
  'Lamarr',
  'Curie',
  'Tesla',
  'Nakamura',
  'Rossi',
  'Novak',
  'Kowalski',
  'Silva',
];
const EMAIL_DOMAINS = [
  'gmail.com',
  'gmail.com',
  'gmail.com',
  'hotmail.com',
  'outlook.com',
  'yahoo.com',
  'icloud.com',
  'example.com',
  'example.org',
  'mail.de',
];
const CITIES = [
  'İstanbul',
  'İstanbul',
  'İstanbul',
  'Ankara',
  'İzmir',
  'Bursa',
  'Antalya',
  'Berlin',
  'Hamburg',
  'München',
  'Köln',
  'London',
  'Washington',
];
const STREETS = [
  'Atatürk Caddesi',
  'Cumhuriyet Caddesi',
  'İstiklal Caddesi',
  'Bağdat Caddesi',
  'Hauptstraße',
  'Bahnhofstraße',
  'Main Street',
  'Oak Street',
  'Station Road',
];
const TAGS = ['vip', 'wholesale', 'newsletter', 'returns-risk', 'b2b', 'influencer'];
const PRODUCTS: { id: string; sku: string; name: string; price: number }[] = [
  { id: 'P-100', sku: 'TEA-500', name: 'Black tea 500 g', price: 12_90 },
  { id: 'P-101', sku: 'COF-250', name: 'Coffee beans 250 g', price: 18_90 },
  { id: 'P-102', sku: 'MUG-01', name: 'Ceramic mug', price: 9_90 },
  { id: 'P-103', sku: 'JKT-M', name: 'Rain jacket M', price: 89_00 },
  { id: 'P-104', sku: 'SCK-3', name: 'Wool socks, 3 pairs', price: 15_90 },
  { id: 'P-105', sku: 'TSH-L', name: 'Cotton T-shirt L', price: 24_90 },
  { id: 'P-106', sku: 'JNS-32', name: 'Jeans 32/32', price: 79_90 },
  { id: 'P-107', sku: 'SNK-42', name: 'Sneakers 42', price: 119_00 },
  { id: 'P-108', sku: 'BAG-01', name: 'Canvas tote bag', price: 14_50 },
  { id: 'P-109', sku: 'HNY-450', name: 'Pine honey 450 g', price: 21_00 },
  { id: 'P-110', sku: 'OLV-1L', name: 'Olive oil 1 l', price: 16_75 },
  { id: 'P-111', sku: 'TWL-02', name: 'Bath towel', price: 29_90 },
  { id: 'P-112', sku: 'LMP-01', name: 'Desk lamp', price: 49_00 },
  { id: 'P-113', sku: 'HDP-BT', name: 'Bluetooth headphones', price: 199_00 },
  { id: 'P-114', sku: 'CBL-C2', name: 'USB-C cable 2 m', price: 11_90 },
  { id: 'P-115', sku: 'BOK-01', name: 'Cookbook', price: 34_00 },
  { id: 'P-116', sku: 'PLN-S', name: 'Potted plant S', price: 19_50 },
  { id: 'P-117', sku: 'GFT-50', name: 'Gift card 50', price: 50_00 },
];
/** Weighted by repetition. */
const ORDER_STATUSES = [
  ...Array(11).fill('completed'),
  ...Array(3).fill('delivered'),
  'in_delivery',
  'new',
  'in_progress',
  ...Array(2).fill('cancelled'),
  'returned',
] as string[];
const CHANNELS = ['web', 'web', 'web', 'mobile_app', 'mobile_app', 'pos', 'marketplace'];
const PLATFORMS = ['web-shop', 'ios-app', 'android-app', 'pos-1', 'pos-2', 'marketplace-a'];
const PAYMENT_METHODS = [
  'credit_card',
  'credit_card',
  'credit_card',
  'credit_card',
  'debit_card',
  'debit_card',
  'bank_transfer',
  'cash',
  'wallet',
];
const CARD_GROUPS = ['Visa', 'Mastercard', 'Troy', 'Amex'];
const PROVIDERS = ['iyzico', 'Stripe', 'Adyen', 'PayTR'];
const INSTITUTIONS = ['Garanti BBVA', 'İş Bankası', 'Akbank', 'Deutsche Bank', 'Chase'];
const WALLET_REASONS = ['Goodwill credit', 'Refund to balance', 'Loyalty reward', 'Birthday gift', 'Campaign credit'];

/** First people of the main store appear in the second store too. */
const SECOND_STORE = { customers: 500, orders: 5_000 };
/** Customers and orders (of the main store's size) per statement. */
const CUSTOMER_CHUNK = 50_000;
const ORDER_CHUNK = 50_000;
/** Order chunks written at once, each through its own connection: orders are most of the load. */
const ORDER_STREAMS = 2;
const CONSENT_CHUNK = 25_000;
const HISTORY_YEARS = 5;

// ---------------------------------------------------------------------------------------------
// SQL building blocks. All values are ours (numbers, uuids from the database, constant lists), so
// they are written into the statement as literals.

const lit = (value: string) => `'${value.replace(/'/g, "''")}'`;
const textArray = (list: readonly string[]) => `array[${list.map(lit).join(', ')}]::text[]`;
const intArray = (list: readonly number[]) => `array[${list.join(', ')}]::int8[]`;

/** Uniform in [0, 1), the same for the same row number and salt on every run. */
const u = (row: string, salt: number) =>
  `((hashint8extended((${row})::int8, ${salt}) & 2147483647)::float8 / 2147483648.0)`;
/** 1-based index into a list of `n`; `skew` > 1 favours the first entries. */
const pickIndex = (row: string, salt: number, n: number, skew = 1) =>
  `(1 + floor(${skew === 1 ? u(row, salt) : `power(${u(row, salt)}, ${skew})`} * ${n})::int)`;
const pick = (list: readonly string[], row: string, salt: number, skew = 1) =>
  `(${textArray(list)})[${pickIndex(row, salt, list.length, skew)}]`;
/** A v4-shaped UUID from md5(seed:kind:row): zod's strict UUID check accepts it. */
const uuidOf = (seed: string, kind: string, row: string) =>
  `overlay(overlay(md5(${lit(seed)} || ':${kind}:' || (${row})::text) placing '4' from 13) placing '8' from 17)::uuid`;
const ts = (iso: string) => `${lit(iso)}::timestamptz`;

/** ASCII slug of a name for email addresses. */
function slug(name: string): string {
  return name
    .replace(/ı/g, 'i')
    .replace(/İ/g, 'I')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z]/g, '');
}

/** Everything about person `i` that does not depend on the store: name, contact, birth date. */
function personColumns(i: string, phoneDigits: number) {
  const fi = pickIndex(i, 1, FIRST_NAMES.length, 1.6);
  const li = pickIndex(i, 2, LAST_NAMES.length, 1.6);
  const hasPhone = `${u(i, 5)} >= 0.08`;
  // Everyone has an email or a phone (the service requires one).
  const hasEmail = `(not (${hasPhone}) or ${u(i, 6)} >= 0.05)`;
  return {
    firstName: `(${textArray(FIRST_NAMES)})[${fi}]`,
    lastName: `(${textArray(LAST_NAMES)})[${li}]`,
    email: `case when ${hasEmail} then (${textArray(FIRST_NAMES.map(slug))})[${fi}] || '.' || (${textArray(LAST_NAMES.map(slug))})[${li}] || '.' || (${i})::text || '@' || ${pick(EMAIL_DOMAINS, i, 3)} end`,
    // E.164: +90 532 and the person's number.
    phone: `case when ${hasPhone} then '+90532' || lpad((${i})::text, ${phoneDigits}, '0') end`,
    gender: `(case when ${u(i, 7)} < 0.1 then null else (array['female', 'male', 'female', 'male', 'other', 'undisclosed'])[${pickIndex(i, 8, 6)}] end)::customer.gender`,
    birthDate: `case when ${u(i, 9)} < 0.3 then null else date '1950-01-01' + floor(${u(i, 10)} * 365 * 55)::int end`,
    language: `case when ${u(i, 11)} < 0.8 then 'tr' when ${u(i, 11)} < 0.93 then 'de' else 'en' end`,
  };
}

interface StoreContext {
  plan: GeneratedStore;
  now: string;
  phoneDigits: number;
  /** A prime that does not divide the number of customers: spreads heavy buyers over the list. */
  spread: number;
}

/** SQL of customer `i`'s id in the store (the same in every subgraph). */
const customerId = (store: StoreContext, i: string) => uuidOf(store.plan.id, 'c', i);
/** Customer `i` joined the store at a time that grows with `i` over the last five years. */
const customerCreatedAt = (store: StoreContext, i: string) =>
  `(${ts(store.now)} - interval '1 day' * ${HISTORY_YEARS * 365} * (1 - ((${i}) - 1 + ${u(i, 4)}) / ${store.plan.customers}::float8))`;

// ---------------------------------------------------------------------------------------------

async function timed<T>(
  steps: GeneratedData['steps'],
  step: string,
  log: (line: string) => void,
  work: () => Promise<T>,
): Promise<T> {
  const started = performance.now();
  const result = await work();
  const seconds = (performance.now() - started) / 1000;
  steps.push({ step, seconds });
  log(`  ${step}: ${seconds.toFixed(1)} s`);
  return result;
}

async function inChunks(
  total: number,
  size: number,
  work: (from: number, to: number) => Promise<unknown>,
  streams = 1,
) {
  let next = 1;
  const stream = async () => {
    while (next <= total) {
      const from = next;
      next += size;
      await work(from, Math.min(total, from + size - 1));
    }
  };
  await Promise.all(Array.from({ length: streams }, stream));
}

function spreadPrime(n: number): number {
  for (const prime of [1_000_003, 999_983, 1_000_033]) if (n % prime !== 0) return prime;
  return 1;
}

// ---- customer subgraph ------------------------------------------------------------------------

async function fillCustomers(sql: Sql, store: StoreContext) {
  const { plan } = store;
  await inChunks(plan.customers, CUSTOMER_CHUNK, async (from, to) => {
    const person = personColumns('i', store.phoneDigits);
    // The person behind the profile (T2); the second store's customers are the same people.
    await sql.unsafe(`
      insert into customer.identities (id, email, phone, first_name, last_name, gender, birth_date, language, created_at, updated_at)
      select ${uuidOf('bench-person', 'i', 'i')}, p.email, p.phone, p.first_name, p.last_name, p.gender, p.birth_date, p.language, c.at, c.at
      from generate_series(${from}, ${to}) i
      cross join lateral (select ${person.firstName} as first_name, ${person.lastName} as last_name, ${person.email} as email,
        ${person.phone} as phone, ${person.gender} as gender, ${person.birthDate} as birth_date, ${person.language} as language) p
      cross join lateral (select ${customerCreatedAt(store, 'i')} as at) c
      on conflict do nothing`);
    await sql.unsafe(`
      insert into customer.customers (id, store_id, identity_id, first_name, last_name, email, phone, gender, birth_date, country,
        language, status, notes, tags, is_business, company_name, tax_office, tax_number, vip_member_number, vip_verification_code,
        created_at, updated_at)
      select ${customerId(store, 'i')}, ${lit(plan.id)}::uuid, ${uuidOf('bench-person', 'i', 'i')},
        p.first_name, p.last_name, p.email, p.phone, p.gender, p.birth_date,
        case when ${u('i', 12)} < 0.85 then 'TR' when ${u('i', 12)} < 0.95 then 'DE' else 'US' end,
        p.language,
        (case when ${u('i', 13)} < 0.9 then 'active' when ${u('i', 13)} < 0.97 then 'inactive' else 'blocked' end)::customer.customer_status,
        case when ${u('i', 14)} < 0.1 then 'Prefers delivery after 6 pm.' end,
        case when ${u('i', 15)} < 0.25 then array[${pick(TAGS, 'i', 16, 1.5)}] else '{}'::text[] end,
        b.business,
        case when b.business then p.last_name || ' Ticaret A.Ş.' end,
        case when b.business then ${pick(CITIES, 'i', 18)} end,
        case when b.business then lpad((1000000000 + i)::text, 10, '0') end,
        case when ${u('i', 19)} < 0.05 then 'VIP-' || lpad(i::text, 8, '0') end,
        case when ${u('i', 19)} < 0.05 then (1000 + floor(${u('i', 20)} * 9000)::int)::text end,
        c.at, c.at
      from generate_series(${from}, ${to}) i
      cross join lateral (select ${person.firstName} as first_name, ${person.lastName} as last_name, ${person.email} as email,
        ${person.phone} as phone, ${person.gender} as gender, ${person.birthDate} as birth_date, ${person.language} as language) p
      cross join lateral (select ${u('i', 17)} < 0.08 as business) b
      cross join lateral (select ${customerCreatedAt(store, 'i')} as at) c`);
  });
}

async function fillAddresses(sql: Sql, store: StoreContext) {
  const h = (salt: number) => `((hashtextextended(c.id::text, ${salt}) & 2147483647)::float8 / 2147483648.0)`;
  const common = (label: string, salt: number) => `
    ${lit(label)}, c.first_name || ' ' || c.last_name,
    ${pick(STREETS, `hashtext(c.id::text)::int8 + ${salt}`, 61)} || ' No: ' || (1 + floor(${h(salt + 1)} * 200)::int),
    ${pick(CITIES, `hashtext(c.id::text)::int8 + ${salt}`, 62, 1.5)},
    lpad((10000 + floor(${h(salt + 2)} * 89999)::int)::text, 5, '0'),
    coalesce(c.country, 'TR'), c.phone`;
  // 60 % have a default delivery address, a sixth of those a second one; 25 % an invoice address.
  await sql.unsafe(`
    insert into customer.addresses (store_id, customer_id, kind, label, recipient, line1, city, postal_code, country, phone, is_default, created_at, updated_at)
    select c.store_id, c.id, 'delivery'::customer.address_kind, ${common('Home', 0)}, true, c.created_at, c.created_at
    from customer.customers c where c.store_id = ${lit(store.plan.id)} and ${h(70)} < 0.6
    union all
    select c.store_id, c.id, 'delivery'::customer.address_kind, ${common('Work', 10)}, false, c.created_at + interval '30 days', c.created_at + interval '30 days'
    from customer.customers c where c.store_id = ${lit(store.plan.id)} and ${h(70)} < 0.1
    union all
    select c.store_id, c.id, (case when c.is_business then 'corporate_invoice' else 'individual_invoice' end)::customer.address_kind,
      ${common('Invoice', 20)}, true, c.created_at, c.created_at
    from customer.customers c where c.store_id = ${lit(store.plan.id)} and ${h(71)} < 0.25`);
}

// ---- commerce-history subgraph ----------------------------------------------------------------

/**
 * Orders of `[from, to]` with their items, intake status entry and payment, in one statement:
 * CTEs insert the parents and the children (foreign keys are checked at the end of the statement).
 * A customer's share of orders follows a power law over a shuffled customer list: a few customers
 * have thousands of orders, most have a handful, 15 % of the customers never ordered, 3 % of the
 * orders are guests'.
 */
function ordersStatement(store: StoreContext, from: number, to: number): string {
  const { plan } = store;
  const buyers = Math.max(1, Math.round(plan.customers * 0.85));
  const storeId = `${lit(plan.id)}::uuid`;
  const item = 'o.j * 8 + k';
  return `
    with o as materialized (
      select x.*,
        case when x.ci is null then ${ts(store.now)} - interval '1 day' * 1095 * ${u('x.j', 34)}
             else c.at + (${ts(store.now)} - c.at) * ${u('x.j', 33)} end as created_at
      from (
        select j,
          ${uuidOf(plan.id, 'o', 'j')} as id,
          case when ${u('j', 30)} < 0.03 then null
               else 1 + (floor(${buyers} * power(${u('j', 31)}, 2.5))::int8 * ${store.spread}) % ${plan.customers} end as ci,
          1 + floor(power(${u('j', 32)}, 1.6) * 4)::int as n_items,
          ${pick(ORDER_STATUSES, 'j', 35)} as status,
          ${pick(PAYMENT_METHODS, 'j', 36)} as payment_method,
          ${u('j', 37)} < 0.12 as coupon,
          (array[0, 0, 0, 490, 990])[${pickIndex('j', 38, 5)}]::int8 as shipping
        from generate_series(${from}, ${to}) j
      ) x
      left join lateral (select ${customerCreatedAt(store, 'x.ci')} as at) c on x.ci is not null
    ),
    it as materialized (
      select o.j, o.id as order_id, k as position, p.p,
        1 + floor(power(${u(item, 41)}, 2) * 3)::int as quantity,
        (${intArray(PRODUCTS.map((product) => product.price))})[p.p] as unit_price,
        ${u(item, 42)} < 0.05 as discounted
      from o cross join lateral generate_series(0, o.n_items - 1) k
      cross join lateral (select ${pickIndex(item, 40, PRODUCTS.length, 1.3)} as p) p
    ),
    lines as materialized (
      select it.*, quantity * unit_price as gross, case when discounted then (quantity * unit_price) / 10 else 0 end as discount from it
    ),
    sums as (
      select j, sum(gross)::int8 as subtotal, sum(discount)::int8 as item_discount, sum(quantity)::int as units from lines group by j
    ),
    ot as materialized (
      select o.*, s.subtotal, s.units, d.discount, d.coupon_discount, ((s.subtotal - d.discount) * 18) / 100 as tax
      from o join sums s using (j)
      cross join lateral (select case when o.coupon then (s.subtotal - s.item_discount) / 10 else 0 end as coupon_discount) cd
      cross join lateral (select s.item_discount + cd.coupon_discount as discount, cd.coupon_discount) d
    ),
    inserted_orders as (
      insert into commerce_history.orders (id, store_id, number, customer_id, guest_name, guest_email, guest_phone, channel, platform,
        receipt_number, status, currency, subtotal, discount, shipping, tax, total, units, payment_method, coupon_codes, coupon_discount, campaign_id,
        campaign_name, ip, created_at, recorded_at, updated_at)
      select id, ${storeId}, 'BN' || lpad(j::text, 8, '0'),
        case when ci is not null then ${customerId(store, 'ci')} end,
        case when ci is null then 'Guest ' || j end,
        case when ci is null then 'guest' || j || '@example.net' end,
        null,
        ${pick(CHANNELS, 'j', 43)}::commerce_history.order_channel,
        ${pick(PLATFORMS, 'j', 44)},
        'R-' || lpad(j::text, 9, '0'),
        status::commerce_history.order_status,
        ${lit(plan.currency)}, subtotal, discount, shipping, tax, subtotal - discount + shipping + tax, units,
        payment_method::commerce_history.payment_method,
        case when coupon then array['WELCOME10'] else '{}'::text[] end,
        coupon_discount,
        case when coupon then 'CMP-10' end,
        case when coupon then 'Welcome 10 %' end,
        ('203.0.113.' || (1 + j % 254))::inet,
        created_at, created_at, created_at
      from ot
    ),
    inserted_items as (
      insert into commerce_history.order_items (store_id, order_id, position, product_id, sku, name, quantity, unit_price, discount, total)
      select ${storeId}, order_id, position, (${textArray(PRODUCTS.map((product) => product.id))})[p],
        (${textArray(PRODUCTS.map((product) => product.sku))})[p], (${textArray(PRODUCTS.map((product) => product.name))})[p],
        quantity, unit_price, discount, gross - discount
      from lines
    ),
    -- O8: WELCOME10 (fillOrders makes it) redeemed by each coupon order, released when cancelled.
    inserted_redemptions as (
      insert into commerce_history.coupon_redemptions (store_id, coupon_id, order_id, customer_id, discount, currency, released_at, created_at)
      select ${storeId}, ${welcomeCouponId(store)}, id, case when ci is not null then ${customerId(store, 'ci')} end,
        coupon_discount, ${lit(plan.currency)}, case when status = 'cancelled' then created_at end, created_at
      from ot where coupon
    ),
    inserted_history as (
      insert into commerce_history.order_status_changes (store_id, order_id, from_status, to_status, changed_by, ip, created_at)
      select ${storeId}, id, null, status::commerce_history.order_status, 'bench-loader', ('203.0.113.' || (1 + j % 254))::inet, created_at
      from ot
    )
    insert into commerce_history.payments (store_id, order_id, customer_id, transaction_code, method, instrument_group, provider,
      institution, amount, currency, status, ip, created_at, recorded_at, updated_at)
    select ${storeId}, id, case when ci is not null then ${customerId(store, 'ci')} end, 'TX' || lpad(j::text, 10, '0'),
      payment_method::commerce_history.payment_method,
      case when payment_method in ('credit_card', 'debit_card') then ${pick(CARD_GROUPS, 'j', 45, 1.5)} end,
      ${pick(PROVIDERS, 'j', 46)},
      case when payment_method in ('credit_card', 'debit_card', 'bank_transfer') then ${pick(INSTITUTIONS, 'j', 47)} end,
      subtotal - discount + shipping + tax, ${lit(plan.currency)},
      (case when status = 'returned' then 'refunded' else 'completed' end)::commerce_history.payment_status,
      ('203.0.113.' || (1 + j % 254))::inet,
      created_at + interval '1 minute', created_at + interval '1 minute', created_at + interval '1 minute'
    from ot
    where status not in ('cancelled', 'new') and ${u('j', 48)} < 0.97`;
}

/** O8: the coupon the bench's coupon orders redeem, one per store. */
const welcomeCouponId = (store: StoreContext) => uuidOf(store.plan.id, 'k', '1');

async function fillOrders(sql: Sql, store: StoreContext, log: (line: string) => void) {
  await sql.unsafe(`
    insert into commerce_history.coupons (id, store_id, code, name, type, discount_type, amount, starts_at, created_by, created_at, updated_at)
    values (${welcomeCouponId(store)}, ${lit(store.plan.id)}, 'WELCOME10', 'Welcome 10 %', 'Welcome', 'percentage', 1000,
      ${ts(store.now)} - interval '1 day' * ${HISTORY_YEARS * 366}, 'bench-loader', ${ts(store.now)}, ${ts(store.now)})`);
  let done = 0;
  await inChunks(
    store.plan.orders,
    ORDER_CHUNK,
    async (from, to) => {
      await sql.unsafe(ordersStatement(store, from, to));
      done += to - from + 1;
      if (store.plan.orders > ORDER_CHUNK)
        log(`    orders ${done.toLocaleString('en')} / ${store.plan.orders.toLocaleString('en')}`);
    },
    ORDER_STREAMS,
  );
  await sql.unsafe(`
    update commerce_history.coupons k set times_used = (
      select count(*) from commerce_history.coupon_redemptions r
      where r.store_id = k.store_id and r.coupon_id = k.id and r.released_at is null)
    where k.store_id = ${lit(store.plan.id)} and k.id = ${welcomeCouponId(store)}`);
}

// ---- engagement subgraph ----------------------------------------------------------------------

/**
 * 40 % of the customers have a wallet: one to three credits (some expiring later), for half of
 * them a debit spent from the first credit, and for some an old credit that lapsed with its expiry
 * entry. Balance = sum of the entries = sum of the credits' `remaining`.
 */
async function fillWallets(sql: Sql, store: StoreContext) {
  const { plan, now } = store;
  const amount = (m: string) => `(100 * (5 + floor(${u(`w.i * 4 + ${m}`, 52)} * 96))::int8)`;
  const debit = `(case when ${u('w.i', 54)} < 0.5 then least(${amount('1')}, 100 * (1 + floor(${u('w.i', 55)} * ${amount('1')} / 100))::int8) else 0 end)`;
  const lapsed = `(${u('w.i', 56)} < 0.1 and w.t0 < ${ts(now)} - interval '100 days')`;
  const lapsedAmount = `(100 * (5 + floor(${u('w.i', 57)} * 46))::int8)`;
  const wallets = `(
    select i, ${customerId(store, 'i')} as customer_id, 1 + floor(${u('i', 51)} * 3)::int as credits,
      c.at + (${ts(now)} - c.at) * 0.3 * ${u('i', 53)} as t0
    from generate_series(1, ${plan.customers}) i
    cross join lateral (select ${customerCreatedAt(store, 'i')} as at) c
    where ${u('i', 50)} < 0.4
  ) w`;
  const storeId = `${lit(plan.id)}::uuid`;
  const currency = lit(plan.currency);
  await sql.unsafe(`
    insert into engagement.wallets (store_id, customer_id, currency, balance, created_at, updated_at)
    select ${storeId}, w.customer_id, ${currency},
      (select sum(${amount('m')}) from generate_series(1, w.credits) m) - ${debit}, w.t0, ${ts(now)} - interval '1 day'
    from ${wallets}`);
  await sql.unsafe(`
    insert into engagement.wallet_entries (id, store_id, customer_id, kind, amount, currency, reason, expires_at, remaining, created_by,
      notify_customer, created_at)
    select ${uuidOf(plan.id, 'wc', 'w.i * 4 + m')}, ${storeId}, w.customer_id, 'credit'::engagement.wallet_entry_kind, ${amount('m')}, ${currency},
      ${pick(WALLET_REASONS, 'w.i * 4 + m', 58)},
      case when ${u('w.i * 4 + m', 59)} < 0.3 then ${ts(now)} + interval '1 day' * (30 + floor(${u('w.i * 4 + m', 60)} * 335)) end,
      ${amount('m')} - case when m = 1 then ${debit} else 0 end,
      'bench-staff', ${u('w.i * 4 + m', 61)} < 0.5,
      w.t0 + (${ts(now)} - w.t0) * ((m - 1) / 3.0)
    from ${wallets} cross join lateral generate_series(1, w.credits) m
    union all
    select ${uuidOf(plan.id, 'wx', 'w.i')}, ${storeId}, w.customer_id, 'credit', ${lapsedAmount}, ${currency}, 'Campaign credit',
      w.t0 - interval '10 days' + interval '90 days', 0, 'bench-staff', false, w.t0 - interval '10 days'
    from ${wallets} where ${lapsed}`);
  await sql.unsafe(`
    insert into engagement.wallet_entries (store_id, customer_id, kind, amount, currency, reason, expired_credit_id, created_by, created_at)
    select ${storeId}, w.customer_id, 'debit'::engagement.wallet_entry_kind, -${debit}, ${currency}, 'Spent at checkout', null, 'bench-staff',
      w.t0 + (${ts(now)} - w.t0) * 0.2
    from ${wallets} where ${debit} > 0
    union all
    select ${storeId}, w.customer_id, 'expiry', -${lapsedAmount}, ${currency}, 'Credit expired', ${uuidOf(plan.id, 'wx', 'w.i')}, null,
      w.t0 - interval '10 days' + interval '90 days'
    from ${wallets} where ${lapsed}`);
}

/**
 * E3/E4: the store's loyalty program (a point per 1.00, 14 pending days, points expiring 24
 * months after they became spendable) and its tiers (Bronze 0, Silver 200, Gold 1,000 points in
 * 12 months). 60 % of the customers have an account: one to four EARNED lots over the last 700
 * days (their orders are not the order rows: bulk rows carry no events to earn from), and for a
 * third of them a redemption spent from the oldest lot. The account's figures, its tier and the
 * lots' remaining points agree as the ledger keeps them; no lot has expired yet.
 */
async function fillLoyalty(sql: Sql, store: StoreContext) {
  const { plan, now } = store;
  const storeId = `${lit(plan.id)}::uuid`;
  const tier = (n: number) => uuidOf(plan.id, 'lt', String(n));
  await sql.unsafe(`
    insert into engagement.loyalty_programs (store_id, enabled, rate_points, rate_per_minor_units, pending_days, expiry_months)
    values (${storeId}, true, 1, 100, 14, 24)`);
  await sql.unsafe(`
    insert into engagement.loyalty_tiers (store_id, id, name, threshold)
    values (${storeId}, ${tier(1)}, 'Bronze', 0), (${storeId}, ${tier(2)}, 'Silver', 200), (${storeId}, ${tier(3)}, 'Gold', 1000)`);
  await sql.begin(async (tx) => {
    await tx.unsafe(`
      create temporary table bench_lots on commit drop as
      select a.i, a.customer_id, m, pts, placed, placed + interval '14 days' as available,
        case when m = 1 and a.redeems and placed + interval '14 days' <= ${ts(now)} then pts / 2 else 0 end as spent
      from (
        select i, ${customerId(store, 'i')} as customer_id, 1 + floor(${u('i', 71)} * 4)::int as lots,
          ${ts(now)} - interval '700 days' * ${u('i', 72)} as t0, ${u('i', 74)} < 0.33 as redeems
        from generate_series(1, ${plan.customers}) i
        where ${u('i', 70)} < 0.6
      ) a
      cross join lateral generate_series(1, a.lots) m
      cross join lateral (
        select (10 + floor(${u('a.i * 4 + m', 73)} * 390))::int as pts,
          a.t0 + (${ts(now)} - a.t0) * ((m - 1) / 4.0) as placed
      ) l`);
    await tx.unsafe(`
      insert into engagement.loyalty_accounts (store_id, customer_id, points, pending_points, tier_id, tier_since, tier_until,
        created_at, updated_at)
      select ${storeId}, customer_id, sum(pts - spent - pending)::int, sum(pending)::int,
        case when q >= 1000 then ${tier(3)} when q >= 200 then ${tier(2)} else ${tier(1)} end,
        ${ts(now)} - interval '30 days', ${ts(now)} - interval '30 days' + interval '12 months', min(placed), ${ts(now)}
      from (
        select *, case when available > ${ts(now)} then pts else 0 end as pending,
          sum(case when placed > ${ts(now)} - interval '12 months' then pts else 0 end) over (partition by customer_id) as q
        from bench_lots
      ) l
      group by customer_id, q`);
    await tx.unsafe(`
      insert into engagement.loyalty_entries (store_id, customer_id, kind, points, pending, remaining, available_at, expires_at,
        order_id, rule, created_at)
      select ${storeId}, customer_id, 'earned'::engagement.loyalty_entry_kind, pts, case when available > ${ts(now)} then pts else 0 end, pts - spent,
        available, available + interval '24 months', ${uuidOf(plan.id, 'lo', 'i * 4 + m')},
        jsonb_build_object('programVersion', 1, 'points', 1, 'perMinorUnits', 100, 'rounding', 'floor_per_order',
          'pendingDays', 14, 'expiryMonths', 24, 'amount', pts * 100, 'currency', ${lit(plan.currency)}, 'units', 1,
          'cancelledUnits', 0, 'skus', '[]'::jsonb, 'placedAt', to_jsonb(placed)),
        placed
      from bench_lots
      union all
      select ${storeId}, customer_id, 'redeemed'::engagement.loyalty_entry_kind, -spent, 0, null, null, null, null, null,
        available + (${ts(now)} - available) * 0.5
      from bench_lots where spent > 0`);
  });
}

/** E10: the main store's platform code the dashboard scenario reads. */
export const BENCH_REFERENCE_CODE = 'BENCH-REF';
const REFERENCE_CODE_USES = 100_000;
const REFERENCE_CODE_ACCESSES = 250_000;
const REFERENCE_CODE_DAYS = 180;

/**
 * E8/E10: one platform code with 100,000 uses and 250,000 storefront visits over the last 180 days
 * (the dashboard scenario reads 90 of them). A customer's first use is their referral; a store with
 * fewer customers than uses sees them use it again.
 */
async function fillReferenceCodes(sql: Sql, store: StoreContext) {
  const { plan, now } = store;
  const storeId = `${lit(plan.id)}::uuid`;
  const codeId = uuidOf(plan.id, 'rc', '1');
  const since = `${ts(now)} - interval '${REFERENCE_CODE_DAYS} days'`;
  await sql.unsafe(`
    insert into engagement.reference_codes (store_id, id, code, name, type, usage_limit, uses, starts_at, created_by, created_at)
    values (${storeId}, ${codeId}, ${lit(BENCH_REFERENCE_CODE)}, 'Bench referral campaign', 'platform', 200000,
      ${REFERENCE_CODE_USES}, ${since}, 'bench-staff', ${since})`);
  await sql.unsafe(`
    insert into engagement.reference_code_status_changes (store_id, code_id, action, to_status, changed_by, changed_at)
    values (${storeId}, ${codeId}, 'create', 'ACTIVE', 'bench-staff', ${since})`);
  await sql.unsafe(`
    insert into engagement.reference_code_uses (store_id, code_id, customer_id, referral, used_by, used_at)
    select ${storeId}, ${codeId}, ${customerId(store, `1 + (i - 1) % ${plan.customers}`)}, i <= ${plan.customers},
      'bench-staff', ${ts(now)} - interval '${REFERENCE_CODE_DAYS} days' * ${u('i', 81)}
    from generate_series(1, ${REFERENCE_CODE_USES}) i`);
  await sql.unsafe(`
    insert into engagement.reference_code_accesses (store_id, code_id, session_id, accessed_at)
    select ${storeId}, ${codeId}, 'bench-session-' || i, ${ts(now)} - interval '${REFERENCE_CODE_DAYS} days' * ${u('i', 82)}
    from generate_series(1, ${REFERENCE_CODE_ACCESSES}) i`);
}

// ---- consent subgraph -------------------------------------------------------------------------

const DOCUMENTS = [
  {
    n: 1,
    key: 'membership-agreement',
    type: 'membership_agreement',
    category: 'legal',
    title: 'Membership agreement',
    version: 1,
    daysAgo: 6 * 365,
    mandatory: true,
    content: 'Version 1 of the membership terms.',
  },
  {
    n: 2,
    key: 'membership-agreement',
    type: 'membership_agreement',
    category: 'legal',
    title: 'Membership agreement',
    version: 2,
    daysAgo: 365,
    mandatory: true,
    content: 'Version 2 of the membership terms.',
  },
  {
    n: 3,
    key: 'privacy-notice',
    type: 'privacy_notice',
    category: 'legal',
    title: 'Privacy notice',
    version: 1,
    daysAgo: 6 * 365,
    mandatory: true,
    url: 'https://example.com/privacy',
  },
  {
    n: 4,
    key: 'commercial-communication',
    type: 'commercial_communication',
    category: 'notification',
    title: 'Commercial electronic messages',
    version: 1,
    daysAgo: 6 * 365,
    mandatory: false,
    content: 'I agree to receive campaigns.',
  },
  {
    n: 5,
    key: 'cookie-policy',
    type: 'cookie_policy',
    category: 'legal',
    title: 'Cookie policy',
    version: 1,
    daysAgo: 2 * 365,
    mandatory: false,
    url: 'https://example.com/cookies',
  },
] as const;

async function fillConsent(sql: Sql, store: StoreContext) {
  const { plan, now } = store;
  const storeId = `${lit(plan.id)}::uuid`;
  const documentId = (n: number) => uuidOf(plan.id, 'd', String(n));
  await sql.unsafe(`
    insert into consent.legal_documents (id, store_id, key, type, category, title, version, content, url, effective_at, mandatory, published_by, created_at)
    values ${DOCUMENTS.map(
      (
        d,
      ) => `(${documentId(d.n)}, ${storeId}, ${lit(d.key)}, ${lit(d.type)}, ${lit(d.category)}, ${lit(d.title)}, ${d.version},
        ${'content' in d ? lit(d.content) : 'null'}, ${'url' in d ? lit(d.url) : 'null'}, ${ts(now)} - interval '${d.daysAgo} days',
        ${d.mandatory}, 'bench-staff', ${ts(now)} - interval '${d.daysAgo} days')`,
    ).join(',\n')}`);

  const v2At = `(${ts(now)} - interval '365 days')`;
  const columns = `store_id, customer_id, document_id, document_key, channel, action, source, ip, recorded_by, recorded_by_kind, recorded_at`;
  const who = (source: 'registration' | 'checkout' | 'admin') =>
    source === 'admin' ? `'admin', ip, 'bench-staff', 'staff'` : `'${source}', ip, c.customer_id::text, 'customer'`;
  const doc = (n: number, key: string) => `${documentId(n)}, ${lit(key)}, null`;
  const channel = (name: string) => `null, null, '${name}'`;
  await inChunks(plan.customers, CONSENT_CHUNK, async (from, to) => {
    // Inserting records fires the trigger that maintains permission_states, as the service's inserts do.
    await sql.unsafe(`
      insert into consent.permission_records (${columns})
      select ${storeId}, c.customer_id, r.document_id, r.document_key, r.channel::consent.notification_channel,
        r.action::consent.permission_action, r.source::consent.permission_source, r.ip, r.recorded_by,
        r.recorded_by_kind::consent.principal_kind, r.recorded_at
      from (
        select i, ${customerId(store, 'i')} as customer_id, ${customerCreatedAt(store, 'i')} as at,
          ('198.51.100.' || (1 + i % 254))::inet as ip
        from generate_series(${from}, ${to}) i
      ) c
      cross join lateral (
        select ${doc(1, 'membership-agreement')}, 'granted', ${who('registration')}, c.at where c.at < ${v2At}
        union all
        select ${doc(2, 'membership-agreement')}, 'granted', ${who('registration')},
          case when c.at < ${v2At} then ${v2At} + (${ts(now)} - ${v2At}) * 0.9 * ${u('c.i', 80)} else c.at end
        where c.at >= ${v2At} or ${u('c.i', 81)} < 0.5
        union all
        select ${doc(3, 'privacy-notice')}, 'granted', ${who('registration')}, c.at
        union all
        select ${doc(4, 'commercial-communication')}, 'granted', ${who('checkout')}, c.at + interval '1 minute' where ${u('c.i', 82)} < 0.5
        union all
        select ${channel('email')}, 'granted', ${who('registration')}, c.at where ${u('c.i', 83)} < 0.6
        union all
        select ${channel('email')}, 'revoked', ${who('admin')}, c.at + (${ts(now)} - c.at) * ${u('c.i', 84)}
        where ${u('c.i', 83)} < 0.6 and ${u('c.i', 85)} < 0.15
        union all
        select ${channel('sms')}, 'granted', ${who('checkout')}, c.at + (${ts(now)} - c.at) * ${u('c.i', 86)} where ${u('c.i', 87)} < 0.3
      ) r(document_id, document_key, channel, action, source, ip, recorded_by, recorded_by_kind, recorded_at)
      order by c.i, r.recorded_at`);
  });
}

// ---- customer metrics projection (issue 3, when the customer subgraph has it) ------------------

/** Projection columns and how to aggregate them from the other subgraphs, as metrics.projection.ts does. */
const ORDER_METRICS: Record<string, { sql: string; type: string }> = {
  order_count: { sql: 'count(*) filter (where purchase)', type: 'int' },
  total_spent: { sql: 'coalesce(sum(total) filter (where purchase), 0)', type: 'int8' },
  units: { sql: 'coalesce(sum(units) filter (where purchase), 0)', type: 'int' },
  // O8: what coupons took off; the whole discount for orders from before coupons (no coupon_discount).
  discount_received: {
    sql: 'coalesce(sum(coalesce(coupon_discount, discount)) filter (where purchase), 0)',
    type: 'int8',
  },
  promo_code_orders: { sql: "count(*) filter (where purchase and coupon_codes <> '{}')", type: 'int' },
  returned_units: { sql: "coalesce(sum(units) filter (where status = 'returned'), 0)", type: 'int' },
  first_order_at: { sql: 'min(created_at) filter (where purchase)', type: 'timestamptz' },
  last_order_at: { sql: 'max(created_at) filter (where purchase)', type: 'timestamptz' },
  currency: { sql: 'min(currency)', type: 'char(3)' },
};
const WALLET_METRICS: Record<string, { sql: string; type: string }> = {
  wallet_balance: { sql: 'balance', type: 'int8' },
  wallet_currency: { sql: 'currency', type: 'char(3)' },
};
// As loyalty.changed carries them; the sequence marks a member (statistics' loyaltyMembers).
const LOYALTY_METRICS: Record<string, { sql: string; type: string }> = {
  loyalty_points: { sql: 'a.points', type: 'int' },
  loyalty_pending_points: { sql: 'a.pending_points', type: 'int' },
  loyalty_event_seq: { sql: '1', type: 'int8' },
  loyalty_tier: { sql: 't.name', type: 'text' },
};
const METRICS_BATCH = 10_000;

/**
 * The customer list joins `customer.customer_metrics`, a projection the customer subgraph builds
 * from other subgraphs' events (one row per customer, created with the profile). Bulk rows carry no
 * events, so the projection is computed here with the projection's rules: aggregates are read
 * through the producers' connections and written through the customer subgraph's, in batches.
 * Only columns the table has are written; without the table this does nothing.
 */
async function fillMetrics(graph: RunningGraph, store: StoreContext): Promise<boolean> {
  const customerSql = graph.subgraphs.customer!.db.sql;
  const present = new Set(
    (
      await customerSql<{ name: string }[]>`
        select column_name as name from information_schema.columns where table_schema = 'customer' and table_name = 'customer_metrics'`
    ).map((row) => row.name),
  );
  if (!present.has('customer_id')) return false;
  const storeId = lit(store.plan.id);
  await customerSql.unsafe(`
    insert into customer.customer_metrics (customer_id, store_id)
    select id, store_id from customer.customers where store_id = ${storeId} on conflict do nothing`);

  const copy = async (
    source: Database['sql'],
    columns: Record<string, { sql: string; type: string }>,
    query: (list: string) => string,
  ) => {
    const wanted = Object.entries(columns).filter(([name]) => present.has(name));
    if (!wanted.length) return;
    const list = wanted.map(([name, column]) => `${column.sql} as ${name}`).join(', ');
    const write = async (rows: Record<string, unknown>[]) => {
      await customerSql.unsafe(
        `update customer.customer_metrics m set ${wanted.map(([name]) => `${name} = v.${name}`).join(', ')}
         from json_to_recordset($1::json) as v(customer_id uuid, ${wanted.map(([name, column]) => `${name} ${column.type}`).join(', ')})
         where m.store_id = ${storeId} and m.customer_id = v.customer_id`,
        [JSON.stringify(rows)],
      );
    };
    for await (const rows of source.unsafe(query(list)).cursor(METRICS_BATCH))
      await write(rows as Record<string, unknown>[]);
  };
  await copy(
    graph.subgraphs['commerce-history']!.db.sql,
    ORDER_METRICS,
    (list) => `
      select customer_id, ${list}
      from (select o.*, status not in ('draft', 'cancelled', 'expired', 'returned') as purchase from commerce_history.orders o) o
      where store_id = ${storeId} and customer_id is not null group by customer_id`,
  );
  await copy(
    graph.subgraphs.engagement!.db.sql,
    WALLET_METRICS,
    (list) => `select customer_id, ${list} from engagement.wallets where store_id = ${storeId}`,
  );
  await copy(
    graph.subgraphs.engagement!.db.sql,
    LOYALTY_METRICS,
    (list) => `
      select a.customer_id, ${list} from engagement.loyalty_accounts a
      left join engagement.loyalty_tiers t on t.store_id = a.store_id and t.id = a.tier_id
      where a.store_id = ${storeId}`,
  );
  if (await hasTable(customerSql, 'metrics_order_skus')) {
    // The SKUs of each customer's orders, as order.recorded carries them (O6).
    const lines = graph.subgraphs['commerce-history']!.db.sql.unsafe(`
      select distinct o.id as order_id, i.sku, o.customer_id, o.status not in ('draft', 'cancelled', 'expired', 'returned') as counts
      from commerce_history.orders o
      join commerce_history.order_items i on i.store_id = o.store_id and i.order_id = o.id
      where o.store_id = ${storeId} and o.customer_id is not null and i.sku is not null`);
    for await (const rows of lines.cursor(METRICS_BATCH)) {
      await customerSql.unsafe(
        `insert into customer.metrics_order_skus (store_id, order_id, sku, customer_id, counts)
         select ${storeId}, order_id, sku, customer_id, counts
         from json_to_recordset($1::json) as v(order_id uuid, sku text, customer_id uuid, counts boolean)
         on conflict do nothing`,
        [JSON.stringify(rows)],
      );
    }
  }
  return true;
}

async function hasTable(sql: Database['sql'], table: string): Promise<boolean> {
  const [row] = await sql<{ found: boolean }[]>`
    select exists (select from information_schema.tables where table_schema = 'customer' and table_name = ${table}) as found`;
  return row!.found;
}

// ---------------------------------------------------------------------------------------------

/**
 * Runs `fill` with the schema's secondary indexes and foreign keys set aside, then builds each
 * index once and checks each foreign key in one pass, as PostgreSQL's "Populating a Database"
 * advises: maintaining a dozen indexes and checking keys row by row was most of the load's time.
 * Unique indexes and those behind constraints stay: the load's ON CONFLICT clauses, the consent
 * trigger's upsert and the referenced side of every foreign key need them.
 */
async function withDeferredIndexes(
  sql: Sql,
  schema: string,
  fill: () => Promise<void>,
  restored: (seconds: number) => void,
) {
  const indexes = await sql<{ name: string; definition: string }[]>`
    select format('%I.%I', n.nspname, i.relname) as name, pg_get_indexdef(i.oid) as definition
    from pg_index x join pg_class i on i.oid = x.indexrelid join pg_namespace n on n.oid = i.relnamespace
    where n.nspname = ${schema} and not x.indisunique
      and not exists (select 1 from pg_constraint c where c.conindid = i.oid)`;
  const foreignKeys = await sql<{ owner: string; name: string; definition: string }[]>`
    select format('%I.%I', n.nspname, t.relname) as owner, format('%I', c.conname) as name,
      pg_get_constraintdef(c.oid) as definition
    from pg_constraint c join pg_class t on t.oid = c.conrelid join pg_namespace n on n.oid = t.relnamespace
    where c.contype = 'f' and n.nspname = ${schema}`;
  for (const key of foreignKeys) await sql.unsafe(`alter table ${key.owner} drop constraint ${key.name}`);
  for (const index of indexes) await sql.unsafe(`drop index ${index.name}`);
  await fill();
  const started = performance.now();
  for (const index of indexes) await sql.unsafe(index.definition);
  for (const key of foreignKeys)
    await sql.unsafe(`alter table ${key.owner} add constraint ${key.name} ${key.definition}`);
  restored((performance.now() - started) / 1000);
}

/** Runs VACUUM (ANALYZE) on every table of a subgraph's schema, through its connection. */
async function vacuumAnalyze(sql: Sql, schema: string) {
  const tables = await sql<{ name: string }[]>`select tablename as name from pg_tables where schemaname = ${schema}`;
  for (const { name } of tables) await sql.unsafe(`vacuum (analyze) "${schema}"."${name}"`);
}

async function countRows(graph: RunningGraph): Promise<Record<string, number>> {
  const rows: Record<string, number> = {};
  for (const [subgraph, schema] of Object.entries(SCHEMAS)) {
    const sql = graph.subgraphs[subgraph]!.db.sql;
    const tables = await sql<
      { name: string }[]
    >`select tablename as name from pg_tables where schemaname = ${schema} and tablename <> '__migrations' order by 1`;
    for (const { name } of tables) {
      const [row] = await sql.unsafe<{ n: string }[]>(`select count(*)::text as n from "${schema}"."${name}"`);
      rows[`${schema}.${name}`] = Number(row!.n);
    }
  }
  return rows;
}

const SCHEMAS: Record<string, string> = {
  customer: 'customer',
  'commerce-history': 'commerce_history',
  engagement: 'engagement',
  consent: 'consent',
};

/**
 * Fills the graph's fresh database. The four subgraphs are filled at the same time, each through
 * its own connection pool; within a subgraph the statements run one after another.
 */
export async function generateBenchData(graph: RunningGraph, options: DataOptions): Promise<GeneratedData> {
  const log = options.log ?? (() => {});
  const started = performance.now();
  const steps: GeneratedData['steps'] = [];
  // Whole seconds: the same instant in every statement.
  const now = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
  const customerDb = graph.subgraphs.customer.db;

  // Fixed store ids: every id derives from them, so every run produces the same rows.
  const mainRow = await createStore(customerDb.orm, {
    id: 'be0c0000-0000-4000-8000-000000000001',
    name: 'Bench Market',
    currency: 'TRY',
    ownerUserId: 'bench',
  });
  const secondRow = await createStore(customerDb.orm, {
    id: 'be0c0000-0000-4000-8000-000000000002',
    name: 'Bench Corner',
    currency: 'EUR',
    ownerUserId: 'bench',
  });
  const main: GeneratedStore = {
    id: mainRow.id,
    name: mainRow.name,
    currency: 'TRY',
    customers: options.customers,
    orders: options.orders,
  };
  const second: GeneratedStore = {
    id: secondRow.id,
    name: secondRow.name,
    currency: 'EUR',
    customers: Math.min(SECOND_STORE.customers, options.customers),
    orders: Math.min(SECOND_STORE.orders, options.orders),
  };
  const phoneDigits = Math.max(7, String(options.customers).length);
  if (phoneDigits > 9) throw new Error('At most 999,999,999 customers: phones would exceed E.164');
  const stores: StoreContext[] = [main, second].map((plan) => ({
    plan,
    now,
    phoneDigits,
    spread: spreadPrime(plan.customers),
  }));

  const sqlOf = (name: string) => graph.subgraphs[name]!.db.sql;
  const deferred = (subgraph: string, fill: () => Promise<void>) =>
    withDeferredIndexes(sqlOf(subgraph), SCHEMAS[subgraph]!, fill, (seconds) => {
      steps.push({ step: `indexes + foreign keys (${SCHEMAS[subgraph]})`, seconds });
      log(`  indexes + foreign keys (${SCHEMAS[subgraph]}): ${seconds.toFixed(1)} s`);
    });
  await Promise.all([
    deferred('customer', async () => {
      for (const store of stores) {
        await timed(steps, `customers + identities (${store.plan.name})`, log, () =>
          fillCustomers(sqlOf('customer'), store),
        );
        await timed(steps, `addresses (${store.plan.name})`, log, () => fillAddresses(sqlOf('customer'), store));
      }
    }),
    deferred('commerce-history', async () => {
      for (const store of stores) {
        await timed(steps, `orders + items + status history + payments (${store.plan.name})`, log, () =>
          fillOrders(sqlOf('commerce-history'), store, log),
        );
      }
    }),
    deferred('engagement', async () => {
      for (const store of stores) {
        await timed(steps, `wallets + entries (${store.plan.name})`, log, () =>
          fillWallets(sqlOf('engagement'), store),
        );
        await timed(steps, `loyalty accounts + entries (${store.plan.name})`, log, () =>
          fillLoyalty(sqlOf('engagement'), store),
        );
        if (store.plan === main) {
          await timed(steps, `reference code uses + accesses (${store.plan.name})`, log, () =>
            fillReferenceCodes(sqlOf('engagement'), store),
          );
        }
      }
    }),
    deferred('consent', async () => {
      for (const store of stores) {
        await timed(steps, `legal documents + permission records → states (${store.plan.name})`, log, () =>
          fillConsent(sqlOf('consent'), store),
        );
      }
    }),
  ]);
  for (const store of stores) {
    const started = performance.now();
    if (await fillMetrics(graph, store)) {
      const seconds = (performance.now() - started) / 1000;
      steps.push({ step: `customer metrics projection (${store.plan.name})`, seconds });
      log(`  customer metrics projection (${store.plan.name}): ${seconds.toFixed(1)} s`);
    }
  }
  await timed(steps, 'vacuum (analyze)', log, async () => {
    for (const [subgraph, schema] of Object.entries(SCHEMAS)) await vacuumAnalyze(sqlOf(subgraph), schema);
  });
  const seconds = (performance.now() - started) / 1000;
  const rows = await countRows(graph);
  return { main, second, now, seconds, steps, rows };
}
