import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaffAction } from '@cg/auth';
import { eventually, startTestGraph, type TestGraph, type TestStore } from '@cg/testing';

const SEND = /* GraphQL */ `
  mutation ($input: SendCustomerMessageInput!) {
    sendCustomerMessage(input: $input) {
      id
      channel
      purpose
      lawfulBasis
      address
      status
    }
  }
`;
const MAILBOX = /* GraphQL */ `
  {
    mailbox(first: 50) {
      totalCount
      edges {
        node {
          id
          messageId
          customerId
          channel
          address
          subject
          body
        }
      }
    }
  }
`;
const MESSAGES = /* GraphQL */ `
  query ($id: ID!) {
    customer(id: $id) {
      messages(first: 10) {
        totalCount
        edges {
          node {
            id
            purpose
            lawfulBasis
            status
            sentAt
          }
        }
      }
      timeline(first: 20, kinds: [MESSAGE]) {
        edges {
          node {
            kind
            summary
            data
          }
        }
      }
    }
  }
`;

let graph: TestGraph;
let store: TestStore;

beforeAll(async () => {
  graph = await startTestGraph();
  store = await graph.createStore('Message store');
});
afterAll(() => graph?.close());

const delivered = () => eventually(async () => expect(await graph.undelivered()).toBe(0));

async function customer(email: string, phone?: string) {
  return (await store.createCustomer({ firstName: 'Mira', lastName: 'Post', email, phone })).id;
}

const marketingEmail = (customerId: string, subject = 'Spring sale') => ({
  customerId,
  channel: 'EMAIL',
  purpose: 'MARKETING',
  subject,
  body: 'Everything 20% off this week.',
});

async function permission(customerId: string, channel: string, change: 'grantPermission' | 'revokePermission') {
  await store.data(`mutation($input: PermissionChangeInput!) { ${change}(input: $input) { id } }`, {
    input: { customerId, channel, source: 'ADMIN' },
  });
  await delivered();
}

async function mailboxOf(customerId: string) {
  const { mailbox } = await store.data(MAILBOX);
  return mailbox.edges.map((edge: any) => edge.node).filter((node: any) => node.customerId === customerId);
}

describe('sendCustomerMessage (C18)', () => {
  it('refuses marketing without consent, sends it with consent to the mailbox, and stops it once revoked', async () => {
    const id = await customer('mira@messages.example');
    const refused = await store.request(SEND, { input: marketingEmail(id) });
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: 'CONSENT_REQUIRED',
      fields: [{ field: 'input.purpose' }],
    });
    expect(await mailboxOf(id)).toEqual([]);

    await permission(id, 'EMAIL', 'grantPermission');
    const sent = (await store.data(SEND, { input: marketingEmail(id) })).sendCustomerMessage;
    expect(sent).toMatchObject({
      channel: 'EMAIL',
      purpose: 'MARKETING',
      lawfulBasis: 'CONSENT',
      address: 'mira@messages.example',
      status: 'QUEUED',
    });
    await delivered();
    expect(await mailboxOf(id)).toEqual([
      expect.objectContaining({
        messageId: sent.id,
        channel: 'EMAIL',
        address: 'mira@messages.example',
        subject: 'Spring sale',
        body: 'Everything 20% off this week.',
      }),
    ]);

    await permission(id, 'EMAIL', 'revokePermission');
    const again = await store.request(SEND, { input: marketingEmail(id, 'Summer sale') });
    expect(again.errors?.[0]?.extensions?.code).toBe('CONSENT_REQUIRED');
    // Consent for email is not consent for SMS.
    await permission(id, 'SMS', 'grantPermission');
    expect((await store.request(SEND, { input: marketingEmail(id, 'Still no') })).errors?.[0]?.extensions?.code).toBe(
      'CONSENT_REQUIRED',
    );
    await delivered();
    expect(await mailboxOf(id)).toHaveLength(1);
  });

  it('sends transactional messages without consent, and records each with its basis on the timeline', async () => {
    const id = await customer('tom@messages.example', '+31612345678');
    const email = (
      await store.data(SEND, {
        input: { customerId: id, channel: 'EMAIL', purpose: 'TRANSACTIONAL', subject: 'Your order', body: 'Shipped.' },
      })
    ).sendCustomerMessage;
    expect(email.lawfulBasis).toBe('CONTRACT');
    const sms = (
      await store.data(SEND, { input: { customerId: id, channel: 'SMS', purpose: 'TRANSACTIONAL', body: 'Code 1234' } })
    ).sendCustomerMessage;
    expect(sms).toMatchObject({ address: '+31612345678', lawfulBasis: 'CONTRACT' });
    await delivered();

    const { customer: detail } = await store.data(MESSAGES, { id });
    expect(detail.messages.totalCount).toBe(2);
    expect(detail.messages.edges.map((edge: any) => edge.node.status)).toEqual(['SENT', 'SENT']);
    expect(detail.messages.edges.every((edge: any) => edge.node.sentAt)).toBe(true);
    expect(detail.timeline.edges.map((edge: any) => edge.node.summary).sort()).toEqual([
      'Transactional SMS sent (basis: contract)',
      'Transactional email sent (basis: contract)',
    ]);
    expect(detail.timeline.edges[0].node.data).toMatchObject({ purpose: 'transactional', lawfulBasis: 'contract' });
    expect(await mailboxOf(id)).toHaveLength(2);
  });

  it('tells the customer of a wallet adjustment that asks for it, once, and of none that does not', async () => {
    const id = await customer('wallet@messages.example');
    const ADJUST = `mutation($input: AdjustWalletInput!) { adjustWallet(input: $input) { entry { id } } }`;
    await store.data(ADJUST, {
      input: { customerId: id, amount: 700, currency: 'EUR', reason: 'Goodwill', notifyCustomer: true },
    });
    await store.data(ADJUST, { input: { customerId: id, amount: 100, currency: 'EUR', reason: 'Quiet' } });
    await delivered();
    expect(await mailboxOf(id)).toEqual([
      expect.objectContaining({
        channel: 'EMAIL',
        address: 'wallet@messages.example',
        subject: 'Your wallet balance has changed',
        body: 'Your wallet balance changed by +€7.00 (Goodwill). It is now €7.00.',
      }),
    ]);
    const { customer: detail } = await store.data(MESSAGES, { id });
    expect(detail.messages.edges.map((edge: any) => edge.node)).toEqual([
      expect.objectContaining({ purpose: 'TRANSACTIONAL', lawfulBasis: 'CONTRACT', status: 'SENT' }),
    ]);
  });

  it('sends nothing to a suppressed address, transactional included', async () => {
    const id = await customer('bounce@messages.example');
    await store.data(
      `mutation { suppressMessageAddress(input: { address: " Bounce@Messages.example ", reason: "hard bounce" }) }`,
    );
    const refused = await store.request(SEND, {
      input: { customerId: id, channel: 'EMAIL', purpose: 'TRANSACTIONAL', subject: 'Receipt', body: 'Thanks' },
    });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'ADDRESS_SUPPRESSED' });
  });

  it('refuses bad input and unknown customers, changing nothing', async () => {
    const id = await customer('checks@messages.example');
    const cases: [Record<string, unknown>, string, string][] = [
      [
        { customerId: id, channel: 'EMAIL', purpose: 'TRANSACTIONAL', body: 'No subject' },
        'BAD_USER_INPUT',
        'input.subject',
      ],
      [
        { customerId: id, channel: 'SMS', purpose: 'TRANSACTIONAL', subject: 'x', body: 'SMS with a subject' },
        'BAD_USER_INPUT',
        'input.subject',
      ],
      [
        { customerId: id, channel: 'EMAIL', purpose: 'TRANSACTIONAL', subject: 'Hi', body: '  ' },
        'BAD_USER_INPUT',
        'input.body',
      ],
      [{ customerId: id, channel: 'SMS', purpose: 'TRANSACTIONAL', body: 'No phone' }, 'CONFLICT', 'input.channel'],
    ];
    for (const [input, code, field] of cases) {
      const response = await store.request(SEND, { input });
      expect(response.errors?.[0]?.extensions, JSON.stringify(input)).toMatchObject({
        code,
        fields: [expect.objectContaining({ field })],
      });
    }
    const unknown = await store.request(SEND, {
      input: { ...marketingEmail('00000000-0000-4000-8000-000000000000'), purpose: 'TRANSACTIONAL' },
    });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const other = await graph.createStore('Message elsewhere');
    const elsewhere = await other.request(SEND, { input: { ...marketingEmail(id), purpose: 'TRANSACTIONAL' } });
    expect(elsewhere.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await store.data(MESSAGES, { id })).customer.messages.totalCount).toBe(0);
  });

  it('needs CUSTOMERS_EDIT to send, and PERSONAL_DATA_READ to read the mailbox', async () => {
    const id = await customer('guard@messages.example');
    const reader = await store.staff('message-reader', { actions: [StaffAction.CUSTOMERS_READ] });
    const send = await graph.request(
      SEND,
      { input: { ...marketingEmail(id), purpose: 'TRANSACTIONAL' } },
      { token: reader },
    );
    expect(send.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await graph.request(MAILBOX, {}, { token: reader })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('erases the messages, the mailbox copies and the channel permissions with the customer', async () => {
    const id = await customer('gone@messages.example');
    await store.data(SEND, {
      input: { customerId: id, channel: 'EMAIL', purpose: 'TRANSACTIONAL', subject: 'Bye', body: 'Bye' },
    });
    await permission(id, 'EMAIL', 'grantPermission');
    await store.data(`mutation($id: ID!) { eraseCustomer(id: $id) { id } }`, { id });
    await delivered();
    const sql = graph.graph.subgraphs.customer.db.sql;
    const [left] = await sql<{ n: number }[]>`
      select (select count(*) from customer.messages where customer_id = ${id})
        + (select count(*) from customer.mailbox where customer_id = ${id})
        + (select count(*) from customer.channel_consents where customer_id = ${id}) as n`;
    expect(Number(left!.n)).toBe(0);
  });
});
