import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually, startTestGraph, type TestGraph, type TestStore } from '@cg/testing';

/**
 * With SMTP_URL set, messages leave by SMTP (nodemailer) instead of the mailbox: here to a real SMTP
 * server (smtp-server, nodemailer's own) on a local port.
 */
interface Received {
  from: string;
  to: string[];
  data: string;
}
const received: Received[] = [];
let smtp: SMTPServer;
let graph: TestGraph;
let store: TestStore;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      let data = '';
      stream.on('data', (chunk: Buffer) => (data += chunk.toString()));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((recipient) => recipient.address),
          data,
        });
        callback();
      });
    },
  });
  smtp.listen(0, '127.0.0.1');
  await once(smtp.server, 'listening');
  const { port } = smtp.server.address() as AddressInfo;
  process.env.SMTP_URL = `smtp://127.0.0.1:${port}`;
  process.env.MESSAGES_FROM = 'shop@smtp.example';
  graph = await startTestGraph();
  store = await graph.createStore('SMTP store');
});
afterAll(async () => {
  delete process.env.SMTP_URL;
  delete process.env.MESSAGES_FROM;
  await graph?.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

const SEND = `mutation($input: SendCustomerMessageInput!) { sendCustomerMessage(input: $input) { id } }`;
const STATUSES = `query($id: ID!) { customer(id: $id) { messages(first: 5) { edges { node { id status failure } } } } }`;

it('sends an email by SMTP, and fails an SMS with the reason while no SMS transport is configured', async () => {
  const { id } = await store.createCustomer({ firstName: 'Sam', email: 'sam@smtp.example', phone: '+31612345670' });
  await store.data(SEND, {
    input: {
      customerId: id,
      channel: 'EMAIL',
      purpose: 'TRANSACTIONAL',
      subject: 'Your receipt',
      body: 'Thank you, Sam.',
    },
  });
  await store.data(SEND, { input: { customerId: id, channel: 'SMS', purpose: 'TRANSACTIONAL', body: 'Hello' } });
  await eventually(async () => expect(await graph.undelivered()).toBe(0));

  expect(received).toHaveLength(1);
  expect(received[0]).toMatchObject({ from: 'shop@smtp.example', to: ['sam@smtp.example'] });
  expect(received[0]!.data).toContain('Subject: Your receipt');
  expect(received[0]!.data).toContain('Thank you, Sam.');

  const { customer } = await store.data(STATUSES, { id });
  const statuses = customer.messages.edges.map((edge: any) => [edge.node.status, edge.node.failure]);
  expect(statuses.sort()).toEqual([
    ['FAILED', 'No SMS transport is configured'],
    ['SENT', null],
  ]);
  const [mailbox] = await graph.graph.subgraphs.customer.db.sql<{ n: number }[]>`
    select count(*)::int as n from customer.mailbox where customer_id = ${id}`;
  expect(mailbox!.n).toBe(0);
});
