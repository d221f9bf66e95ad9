/**
 * C19 erasure end to end: the customer subgraph erases in the request, `customer.erased` reaches
 * commerce-history and consent, and afterwards no table of any subgraph holds the person.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { StaffAction } from '@cg/auth';
import { applyEvent } from '@cg/events';
import { commerceHistorySubgraph } from '@cg/commerce-history';
import { consentSubgraph } from '@cg/consent';
import { eventually, outboxEvents, startTestGraph, type TestGraph, type TestStore } from '@cg/testing';

let graph: TestGraph;
let store: TestStore;
let other: TestStore;

beforeAll(async () => {
  graph = await startTestGraph();
  store = await graph.createStore('Erasure store', { currency: 'EUR' });
  other = await graph.createStore('Erasure elsewhere', { currency: 'EUR' });
});
afterAll(() => graph?.close());

const delivered = () => eventually(async () => expect(await graph.undelivered()).toBe(0));

/** What identifies the person in the test below; none may survive the erasure anywhere. */
const PERSON = {
  firstName: 'Ermengarde',
  lastName: 'Quillfeather',
  email: 'ermengarde.quill@erasure.example',
  phone: '+4915123456789',
  birthDate: '1981-04-05',
  notes: 'Allergic to walnuts',
  company: 'Quillfeather Holdings',
  taxNumber: 'TAXQF998877',
  vip: 'VIPQF4242',
  tag: 'quill-regular',
  line1: '17 Inkpot Lane',
  city: 'Scriveningham',
  orderIp: '198.51.100.23',
  paymentIp: '198.51.100.24',
  consentIp: '203.0.113.99',
  feedback: 'Ermengarde loved the mug',
};
const NEEDLES = [
  PERSON.firstName,
  PERSON.lastName,
  'ermengarde.quill',
  '15123456789',
  PERSON.birthDate,
  'walnuts',
  PERSON.company,
  PERSON.taxNumber,
  PERSON.vip,
  PERSON.tag,
  'Inkpot',
  PERSON.city,
  PERSON.orderIp,
  PERSON.paymentIp,
  PERSON.consentIp,
  'loved the mug',
].map((needle) => needle.toLowerCase());

const DETAIL = /* GraphQL */ `
  query ($id: ID!) {
    customer(id: $id) {
      id
      firstName
      lastName
      fullName
      email
      phone
      birthDate
      notes
      tags
      status
      erasedAt
      business {
        companyName
      }
      vipCard {
        memberNumber
      }
      watched
      metrics {
        orderCount
        totalSpent {
          amount
        }
      }
      addresses(first: 10) {
        totalCount
        edges {
          node {
            line1
            city
            recipient
          }
        }
      }
      orders(first: 10) {
        totalCount
        edges {
          node {
            number
            total {
              amount
            }
            ip
            guest {
              name
              email
              phone
            }
            feedback {
              rating
              comment
            }
          }
        }
      }
      payments(first: 10) {
        totalCount
        edges {
          node {
            transactionCode
            amount {
              amount
            }
            ip
          }
        }
      }
      wallet {
        balance {
          amount
        }
        entries(first: 10) {
          totalCount
          edges {
            node {
              amount {
                amount
              }
              reason
            }
          }
        }
      }
      permissions(first: 10) {
        totalCount
        edges {
          node {
            status
            ip
            history {
              ip
            }
          }
        }
      }
      timeline(first: 50) {
        totalCount
        edges {
          node {
            kind
            summary
            data
          }
        }
      }
      auditLog(first: 50) {
        totalCount
        edges {
          node {
            action
            ip
            before
            after
          }
        }
      }
    }
  }
`;

const ERASE = /* GraphQL */ `
  mutation ($id: ID!) {
    eraseCustomer(id: $id) {
      id
      firstName
      lastName
      email
      phone
      status
      erasedAt
    }
  }
`;

/** Every row of every table of the four subgraphs' schemas that mentions one of the needles. */
async function rowsMentioning(needles: string[]): Promise<string[]> {
  const sql = graph.graph.subgraphs.customer.db.sql;
  const tables = await sql<{ schema: string; name: string }[]>`
    select table_schema as schema, table_name as name from information_schema.tables
    where table_schema in ('customer', 'commerce_history', 'engagement', 'consent') and table_type = 'BASE TABLE'`;
  const found: string[] = [];
  for (const table of tables) {
    const rows = await sql.unsafe<{ row: string }[]>(
      `select lower(t::text) as row from "${table.schema}"."${table.name}" t`,
    );
    for (const { row } of rows) {
      const hits = needles.filter((needle) => row.includes(needle));
      if (hits.length) found.push(`${table.schema}.${table.name}: ${hits.join(', ')}`);
    }
  }
  return found;
}

/** Both orders are 2 × 15.00, which the payment pays. */
const purchase = { quantity: 2, unitPrice: 1500, ip: PERSON.orderIp };

it('erases the person everywhere and keeps the financial records, once', async () => {
  // A guest order first: registering links it to the profile, with its guest contact.
  const guestOrder = await store.recordOrder({
    ...purchase,
    guest: { name: `${PERSON.firstName} ${PERSON.lastName}`, email: PERSON.email, phone: PERSON.phone },
  });
  const { id } = await store.createCustomer({
    firstName: PERSON.firstName,
    lastName: PERSON.lastName,
    email: PERSON.email,
    phone: PERSON.phone,
    birthDate: PERSON.birthDate,
    notes: PERSON.notes,
    tags: [PERSON.tag],
    business: { companyName: PERSON.company, taxNumber: PERSON.taxNumber },
    vipCard: { memberNumber: PERSON.vip },
  });
  await store.data(
    `mutation($id: ID!) { updateCustomer(id: $id, input: { notes: "${PERSON.notes}, really", country: "GB" }) { id } }`,
    { id },
  );
  await store.data(
    `mutation($id: ID!, $input: AddAddressInput!) { addAddress(customerId: $id, input: $input) { id } }`,
    {
      id,
      input: {
        kind: 'DELIVERY',
        recipient: `${PERSON.firstName} ${PERSON.lastName}`,
        line1: PERSON.line1,
        city: PERSON.city,
        country: 'GB',
        phone: PERSON.phone,
      },
    },
  );
  const order = await store.recordOrder({ ...purchase, customerId: id });
  await store.data(`mutation($input: RecordPaymentInput!) { recordPayment(input: $input) { id } }`, {
    input: {
      orderId: order.id,
      transactionCode: 'TX-ERASE-1',
      method: 'CREDIT_CARD',
      amount: 3000,
      currency: 'EUR',
      ip: PERSON.paymentIp,
    },
  });
  await store.recordFeedback(order.id, 5, PERSON.feedback);
  await store.data(`mutation($input: AdjustWalletInput!) { adjustWallet(input: $input) { entry { id } } }`, {
    input: { customerId: id, amount: 700, currency: 'EUR', reason: 'Goodwill' },
  });
  const { publishLegalDocument: document } = await store.data(
    `mutation($input: PublishLegalDocumentInput!) { publishLegalDocument(input: $input) { id } }`,
    {
      input: { key: 'membership', type: 'MEMBERSHIP_AGREEMENT', title: 'Membership', content: 'Text', mandatory: true },
    },
  );
  await store.data(`mutation($input: PermissionChangeInput!) { grantPermission(input: $input) { id } }`, {
    input: { customerId: id, documentId: document.id, source: 'IMPORT', ip: PERSON.consentIp },
  });
  await store.data(`mutation($id: ID!) { watchCustomer(customerId: $id) { id } }`, { id });
  // A reset link waiting to be sent names the email (account_messages); erasure takes it along.
  await store.data(`mutation($id: ID!) { sendPasswordReset(customerId: $id) { id } }`, { id });
  await delivered();

  const before = (await store.data(DETAIL, { id })).customer;
  expect(before.orders.totalCount).toBe(2);
  expect(before.metrics.orderCount).toBe(2);
  expect(before.wallet.balance.amount).toBe(700);
  expect(await rowsMentioning(NEEDLES)).not.toEqual([]);

  // Without CUSTOMERS_ERASE: refused, nothing changes.
  const editor = await store.staff('erasure-editor', {
    actions: [StaffAction.CUSTOMERS_READ, StaffAction.CUSTOMERS_EDIT, StaffAction.PERSONAL_DATA_READ],
  });
  const refused = await graph.request(ERASE, { id }, { token: editor });
  expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  // Another store's staff cannot find the customer.
  const elsewhere = await other.request(ERASE, { id });
  expect(elsewhere.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  expect((await store.data(DETAIL, { id })).customer).toEqual(before);

  const { eraseCustomer: erased } = await store.data(ERASE, { id });
  expect(erased).toMatchObject({
    id,
    firstName: 'Erased',
    lastName: 'Customer',
    email: null,
    phone: null,
    status: 'BLOCKED',
    erasedAt: expect.any(String),
  });
  await delivered();

  const after = (await store.data(DETAIL, { id })).customer;
  const shown = JSON.stringify(after).toLowerCase();
  expect(NEEDLES.filter((needle) => shown.includes(needle))).toEqual([]);
  expect(after).toMatchObject({
    fullName: 'Erased Customer',
    birthDate: null,
    notes: null,
    tags: [],
    business: null,
    vipCard: null,
    watched: false,
  });
  expect(after.addresses.totalCount).toBe(0);
  // Financial records stay, anonymised, with their figures.
  expect(after.orders.edges.map((edge: any) => edge.node.total)).toEqual(
    before.orders.edges.map((edge: any) => edge.node.total),
  );
  expect(after.orders.edges.map((edge: any) => edge.node.guest)).toEqual([null, null]);
  expect(after.orders.edges.find((edge: any) => edge.node.feedback).node.feedback).toEqual({
    rating: 5,
    comment: null,
  });
  expect(after.payments.edges.map((edge: any) => edge.node)).toEqual([
    { transactionCode: 'TX-ERASE-1', amount: { amount: 3000 }, ip: null },
  ]);
  expect(after.wallet).toEqual(before.wallet);
  expect(after.metrics).toEqual(before.metrics);
  // Consent records stay as proof of consent, without the IP.
  expect(after.permissions.totalCount).toBe(1);
  expect(after.permissions.edges[0].node).toMatchObject({ status: 'GRANTED', ip: null, history: [{ ip: null }] });
  expect(after.timeline.totalCount).toBe(before.timeline.totalCount);
  expect(after.auditLog.edges.filter((edge: any) => edge.node.action === 'customer.erase')).toHaveLength(1);
  expect(guestOrder.id).toEqual(expect.any(String));

  // The strongest check: nothing of the person in any row of any subgraph, outboxes included.
  expect(await rowsMentioning(NEEDLES)).toEqual([]);

  // Erasing again returns the erased profile and records nothing.
  const again = (await store.data(ERASE, { id })).eraseCustomer;
  expect(again).toEqual(erased);
  await delivered();
  const log = (await store.data(DETAIL, { id })).customer.auditLog;
  expect(log.totalCount).toBe(after.auditLog.totalCount);
  // An erased profile takes no new personal data.
  const update = await store.request(
    `mutation($id: ID!) { updateCustomer(id: $id, input: { email: "back@erasure.example" }) { id } }`,
    { id },
  );
  expect(update.errors?.[0]?.extensions?.code).toBe('CONFLICT');

  // The event delivered again, or its handlers run again under another id, change nothing more.
  const subgraphs = graph.graph.subgraphs;
  const event = (await outboxEvents(graph, 'customer', { type: 'customer.erased', customerId: id }))[0]!;
  const snapshot = async () => [
    await subgraphs['commerce-history']!.db
      .sql`select o.*, p.ip as payment_ip from commerce_history.orders o left join commerce_history.payments p on p.order_id = o.id where o.customer_id = ${id} order by o.number`,
    await subgraphs.consent!.db.sql`select * from consent.permission_records where customer_id = ${id}`,
  ];
  const settled = await snapshot();
  for (const [definition, name] of [
    [commerceHistorySubgraph, 'commerce-history'],
    [consentSubgraph, 'consent'],
  ] as const) {
    const db = subgraphs[name]!.db;
    expect(await applyEvent(db, definition.events!.consumer!, event)).toBe(false);
    expect(await applyEvent(db, definition.events!.consumer!, { ...event, id: crypto.randomUUID() })).toBe(true);
  }
  expect(await snapshot()).toEqual(settled);
});

it('keeps the global identity while another store’s profile uses it', async () => {
  const email = 'shared.person@erasure.example';
  const here = (await store.createCustomer({ firstName: 'Shared', lastName: 'Person', email })).id;
  const there = (await other.createCustomer({ firstName: 'Shared', lastName: 'Person', email })).id;
  const sql = graph.graph.subgraphs.customer.db.sql;
  const identityOf = async (customerId: string) =>
    (await sql`select identity_id from customer.customers where id = ${customerId}`)[0]!.identity_id;
  const identity = await identityOf(there);
  expect(await identityOf(here)).toBe(identity);

  await store.data(ERASE, { id: here });
  expect(await identityOf(here)).toBeNull();
  expect(await sql`select email from customer.identities where id = ${identity}`).toEqual([{ email }]);
  expect((await other.data(`query($id: ID!) { customer(id: $id) { email } }`, { id: there })).customer).toEqual({
    email,
  });

  await other.data(ERASE, { id: there });
  expect(await sql`select id from customer.identities where id = ${identity}`).toEqual([]);
});
