/**
 * C19, the right of access: one query gives a customer's data document with every subgraph's part,
 * each driven by the subgraph's personal-data registry, the one erasure follows. The registry walk
 * fails on a table whose customer column no registry names, so a new table cannot be erased
 * without being exported, or the reverse.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaffAction } from '@cg/auth';
import { qualifiedName } from '@cg/subgraph';
import { subgraphs } from '@cg/graph';
import { eventually, oneOfEach, startTestGraph, type TestGraph } from '@cg/testing';

let graph: TestGraph;

beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.close());

const DOCUMENT = /* GraphQL */ `
  query ($id: ID!) {
    customer(id: $id) {
      id
      dataExport {
        id
        generatedAt
        customer
        commerceHistory
        engagement
        consent
      }
    }
  }
`;

/** A column that names a customer, by the project's naming rule (the registry's doc comment). */
const CUSTOMER_COLUMN = /^(customer_id|.+_customer_id|owner_id|referrer_id|referee_id|beneficiary_id)$/;

/** Customer columns of a subgraph's tables that its registry does not name. */
async function unregistered(): Promise<string[]> {
  const sql = graph.graph.subgraphs.customer.db.sql;
  const missing: string[] = [];
  for (const definition of subgraphs) {
    const registered = new Set(
      definition.personalData.flatMap((entry) =>
        entry.customerColumns.map((column) => `${qualifiedName(entry.table)}.${column.name}`),
      ),
    );
    const columns = await sql<{ name: string }[]>`
      select c.table_schema || '.' || c.table_name || '.' || c.column_name as name
      from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = ${definition.dbSchema} and t.table_type = 'BASE TABLE'`;
    for (const { name } of columns)
      if (CUSTOMER_COLUMN.test(name.split('.')[2]!) && !registered.has(name)) missing.push(name);
  }
  return missing.sort();
}

describe('the personal-data registry', () => {
  it('names every customer column of every subgraph, and only columns that exist', async () => {
    expect(await unregistered()).toEqual([]);
    const sql = graph.graph.subgraphs.customer.db.sql;
    const rows = await sql<{ name: string }[]>`
      select (table_schema || '.' || table_name || '.' || column_name)::text as name from information_schema.columns`;
    const existing = new Set(rows.map((row) => row.name));
    const declared = subgraphs.flatMap((definition) =>
      definition.personalData.flatMap((entry) => [
        ...entry.customerColumns.map((column) => `${qualifiedName(entry.table)}.${column.name}`),
        ...(entry.erasure.kind === 'scrub' ? entry.erasure.columns : []).map(
          (column) => `${qualifiedName(entry.table)}.${column.name}`,
        ),
      ]),
    );
    expect(declared.filter((name) => !existing.has(name))).toEqual([]);
  });

  it('fails on a customer column added to a table without a registry entry', async () => {
    const sql = graph.graph.subgraphs.customer.db.sql;
    await sql`alter table engagement.loyalty_programs add column referee_id uuid`;
    try {
      expect(await unregistered()).toEqual(['engagement.loyalty_programs.referee_id']);
    } finally {
      await sql`alter table engagement.loyalty_programs drop column referee_id`;
    }
  });
});

describe('Customer.dataExport (C19)', () => {
  it("holds every subgraph's records about the customer, and nobody else's", async () => {
    const store = await graph.createStore('Data export store', { currency: 'EUR' });
    const ids = await oneOfEach(store, {
      orderNumber: 'DEXP000001',
      firstName: 'Dagny',
      email: 'dagny@export.example',
    });
    // Someone else in the same store, whose records must stay out of Dagny's document.
    await store
      .createCustomer({ firstName: 'Other', email: 'other@export.example' })
      .then(({ id }) => store.recordOrder({ number: 'DEXP000002', customerId: id, unitPrice: 900 }));
    await store.recordFeedback(ids.Order!, 4, 'Dagny liked the box');
    // A reset link waiting to be sent: its row is Dagny's, its token no reader's.
    await store.data(`mutation($id: ID!) { sendPasswordReset(customerId: $id) { id } }`, { id: ids.Customer });
    await eventually(async () => expect(await graph.undelivered()).toBe(0));

    const { customer } = await store.data(DOCUMENT, { id: ids.Customer });
    const document = customer.dataExport;
    expect(document.id).toBe(ids.Customer);
    expect(Date.parse(document.generatedAt)).not.toBeNaN();

    const { customer: profile, commerceHistory, engagement, consent } = document;
    expect(profile.profile).toEqual([
      expect.objectContaining({ id: ids.Customer, firstName: 'Dagny', email: 'dagny@export.example' }),
    ]);
    expect(profile.addresses).toEqual([expect.objectContaining({ id: ids.Address, city: 'Delft' })]);
    expect(profile.watchlist).toHaveLength(1);
    expect(profile.metrics).toEqual([expect.objectContaining({ customerId: ids.Customer, orderCount: 1 })]);
    expect(profile.timeline.length).toBeGreaterThan(0);
    expect(profile.auditEntries.length).toBeGreaterThan(0);
    expect(profile.events).toBeUndefined();
    expect(profile.passwordResets).toEqual([expect.not.objectContaining({ tokenHash: expect.anything() })]);
    expect(profile.accountMessages).toEqual([
      expect.objectContaining({ kind: 'password_reset', recipient: 'dagny@export.example' }),
    ]);
    const [message] = await graph.graph.subgraphs.customer.db.sql<[{ token: string }]>`
      select token from customer.account_messages where customer_id = ${ids.Customer!}`;
    expect(JSON.stringify(document)).not.toContain(message.token);

    expect(commerceHistory.orders).toEqual([expect.objectContaining({ id: ids.Order, number: 'DEXP000001' })]);
    expect(commerceHistory.orderItems).toEqual([expect.objectContaining({ orderId: ids.Order, quantity: 2 })]);
    expect(commerceHistory.orderRequests).toEqual([expect.objectContaining({ id: ids.OrderRequest })]);
    expect(commerceHistory.orderFeedback).toEqual([expect.objectContaining({ comment: 'Dagny liked the box' })]);
    expect(commerceHistory.orderCampaigns).toEqual([expect.objectContaining({ campaignId: ids.Campaign })]);
    expect(commerceHistory.couponRedemptions).toEqual([expect.objectContaining({ couponId: ids.Coupon })]);
    expect(commerceHistory.payments).toEqual([expect.objectContaining({ id: ids.Payment, amount: 1000 })]);
    expect(commerceHistory.paymentStatusChanges).toHaveLength(1);

    expect(engagement.wallets).toEqual([expect.objectContaining({ customerId: ids.Customer, balance: 700 })]);
    expect(engagement.walletEntries).toEqual([expect.objectContaining({ amount: 700, reason: 'Gift' })]);
    expect(engagement.loyaltyCards).toEqual([
      expect.objectContaining({ id: ids.LoyaltyCard, barcode: '4006381333931' }),
    ]);

    expect(consent.permissions).toEqual([expect.objectContaining({ customerId: ids.Customer, status: 'granted' })]);
    expect(consent.permissionRecords).toHaveLength(1);

    // Every row of any table whose customer column holds the id is in the document, in its table's section.
    const sql = graph.graph.subgraphs.customer.db.sql;
    const parts: Record<string, Record<string, Record<string, unknown>[]>> = {
      customer: profile,
      'commerce-history': commerceHistory,
      engagement,
      consent,
    };
    let checked = 0;
    for (const definition of subgraphs) {
      const columns = await sql<{ table: string; column: string }[]>`
        select c.table_name as table, c.column_name as column from information_schema.columns c
        join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
        where c.table_schema = ${definition.dbSchema} and t.table_type = 'BASE TABLE'`;
      for (const { table, column } of columns) {
        if (!CUSTOMER_COLUMN.test(column)) continue;
        const [count] = await sql.unsafe<{ n: number }[]>(
          `select count(*)::int as n from "${definition.dbSchema}"."${table}" where store_id = $1 and "${column}" = $2`,
          [store.id, ids.Customer!],
        );
        const entry = definition.personalData.find(
          (candidate) => qualifiedName(candidate.table) === `${definition.dbSchema}.${table}`,
        )!;
        const n = count!.n;
        if (n === 0 || entry.notExported) continue;
        const key = column.replace(/_(.)/g, (_, letter: string) => letter.toUpperCase());
        const section = parts[definition.name]![entry.section] ?? [];
        expect(
          section.filter((row) => row[key] === ids.Customer),
          `${table}.${column}`,
        ).toHaveLength(n);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(15);

    // Every row of every section is the customer's, or hangs off one of their orders, payments or codes.
    const text = JSON.stringify(document);
    expect(text).not.toContain('other@export.example');
    expect(text).not.toContain('DEXP000002');
  });

  it('needs CUSTOMERS_EXPORT and PERSONAL_DATA_READ, and stays in the store', async () => {
    const store = await graph.createStore('Data export guarded', { currency: 'EUR' });
    const { Customer: id } = await oneOfEach(store, {
      orderNumber: 'DEXP000003',
      firstName: 'Guarded',
      email: 'guarded@export.example',
    });
    const reader = await store.staff('export-reader', {
      actions: [StaffAction.CUSTOMERS_READ, StaffAction.PERSONAL_DATA_READ],
    });
    const refused = await graph.request(DOCUMENT, { id }, { token: reader });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(refused.data?.customer).toMatchObject({ id, dataExport: null });

    const masked = await store.staff('export-masked', {
      actions: [StaffAction.CUSTOMERS_READ, StaffAction.CUSTOMERS_EXPORT],
    });
    const unmasked = await graph.request(DOCUMENT, { id }, { token: masked });
    expect(unmasked.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const other = await graph.createStore('Data export elsewhere', { currency: 'EUR' });
    const elsewhere = await other.request(DOCUMENT, { id });
    expect(elsewhere.data?.customer ?? null).toBeNull();
  });

  it('shows an erased customer as erasure left them: the records kept, the person gone', async () => {
    const store = await graph.createStore('Data export erased', { currency: 'EUR' });
    const ids = await oneOfEach(store, {
      orderNumber: 'DEXP000004',
      firstName: 'Erwin',
      email: 'erwin@export.example',
    });
    await store.data(`mutation($id: ID!) { eraseCustomer(id: $id) { id } }`, { id: ids.Customer });
    await eventually(async () => expect(await graph.undelivered()).toBe(0));
    const { dataExport } = (await store.data(DOCUMENT, { id: ids.Customer })).customer;
    expect(dataExport.customer.addresses).toEqual([]);
    expect(dataExport.customer.watchlist).toEqual([]);
    expect(dataExport.commerceHistory.orders).toEqual([expect.objectContaining({ id: ids.Order, ip: null })]);
    expect(dataExport.commerceHistory.contactHashes).toEqual([]);
    expect(dataExport.engagement.walletEntries).toHaveLength(1);
    expect(JSON.stringify(dataExport)).not.toContain('erwin@export.example');
    expect(JSON.stringify(dataExport)).not.toContain('Erwin');
  });
});
