import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGraph, type TestGraph, type TestStore } from '@cg/testing';
import { expireWalletCredits, type EngagementDb } from '../index.ts';

const ADJUST = /* GraphQL */ `
  mutation Adjust($input: AdjustWalletInput!) {
    adjustWallet(input: $input) {
      entry {
        id
        kind
        amount {
          amount
          currency
        }
        remaining {
          amount
        }
        expiresAt
        createdBy
        notifyCustomer
        customer {
          id
        }
      }
      wallet {
        id
        currency
        balance {
          amount
          currency
        }
      }
      customer {
        id
        wallet {
          id
        }
      }
    }
  }
`;
const WALLET = /* GraphQL */ `
  query Wallet($id: ID!) {
    customer(id: $id) {
      wallet {
        id
        currency
        balance {
          amount
          currency
        }
        entries(first: 100) {
          totalCount
          edges {
            node {
              kind
              amount {
                amount
              }
              remaining {
                amount
              }
              expiredCreditId
            }
          }
        }
      }
    }
  }
`;
const LEDGER = /* GraphQL */ `
  query Ledger($first: Int, $after: String, $filter: WalletEntryFilter) {
    walletEntries(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          kind
          amount {
            amount
            currency
          }
          reason
          createdBy
          customer {
            id
            firstName
            email
          }
        }
      }
    }
  }
`;

let graph: TestGraph;
let store: TestStore;
let other: TestStore;

beforeAll(async () => {
  graph = await startTestGraph();
  store = await graph.createStore('Wallet street');
  other = await graph.createStore('Other town');
});
afterAll(() => graph?.close());

let customerCount = 0;
/** The ledger shows the customer's first name and email. */
async function newCustomer(on: TestStore = store): Promise<string> {
  customerCount += 1;
  return (await on.createCustomer({ firstName: 'Wally', email: `wally.${customerCount}@example.com` })).id;
}

const adjust = (customerId: string, amount: number, extra: Record<string, unknown> = {}, on: TestStore = store) =>
  on.request(ADJUST, { input: { customerId, amount, currency: 'EUR', reason: 'Goodwill', ...extra } });

async function wallet(customerId: string, on: TestStore = store) {
  return (await on.data(WALLET, { id: customerId })).customer.wallet;
}

const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ledgerSum = (w: any) => w.entries.edges.reduce((sum: number, edge: any) => sum + edge.node.amount.amount, 0);

describe('adjustWallet', () => {
  it('adds and deducts, records who asked for what, and shows it on the customer', async () => {
    const id = await newCustomer();
    const credit = await adjust(id, 2500, { notifyCustomer: true, expiresAt: inSeconds(3600) });
    expect(credit.errors).toBeUndefined();
    expect(credit.data.adjustWallet).toMatchObject({
      entry: {
        kind: 'CREDIT',
        amount: { amount: 2500, currency: 'EUR' },
        remaining: { amount: 2500 },
        notifyCustomer: true,
        customer: { id },
      },
      // The customer's one wallet, as a client's cache keeps it, with the customer it changed.
      wallet: { id, currency: 'EUR', balance: { amount: 2500, currency: 'EUR' } },
      customer: { id, wallet: { id } },
    });
    expect(credit.data.adjustWallet.entry.createdBy).toEqual(expect.any(String));
    const debit = await adjust(id, -500);
    expect(debit.data.adjustWallet).toMatchObject({
      entry: { kind: 'DEBIT', amount: { amount: -500 }, remaining: null, notifyCustomer: false },
      wallet: { balance: { amount: 2000 } },
    });
    const w = await wallet(id);
    expect(w.id).toBe(id);
    expect(w.balance).toEqual({ amount: 2000, currency: 'EUR' });
    expect(w.entries.edges.map((edge: any) => edge.node.kind)).toEqual(['DEBIT', 'CREDIT']);
    expect(w.entries.edges[1].node.remaining).toEqual({ amount: 2000 });
  });

  it('lets 50 concurrent debits never take the balance below zero, and the ledger sums to the balance', async () => {
    const id = await newCustomer();
    expect((await adjust(id, 300)).errors).toBeUndefined();
    const results = await Promise.all(Array.from({ length: 50 }, () => adjust(id, -10)));
    const succeeded = results.filter((result) => result.data?.adjustWallet);
    const refused = results.filter((result) => result.errors);
    expect(succeeded).toHaveLength(30);
    expect(refused).toHaveLength(20);
    for (const result of refused) {
      expect(result.errors![0]).toMatchObject({
        message: 'Insufficient wallet balance',
        extensions: { code: 'BAD_USER_INPUT', fields: [expect.objectContaining({ field: 'input.amount' })] },
      });
    }
    const w = await wallet(id);
    expect(w.balance.amount).toBe(0);
    expect(w.entries.totalCount).toBe(31);
    expect(ledgerSum(w)).toBe(0);
  });

  it('answers bad input with BAD_USER_INPUT naming the field and writes nothing', async () => {
    const id = await newCustomer();
    expect((await adjust(id, 100)).errors).toBeUndefined();
    const before = (await store.data(LEDGER, {})).walletEntries.totalCount;
    const cases: [Record<string, unknown>, string][] = [
      [{ amount: 0 }, 'input.amount'],
      [{ amount: -101 }, 'input.amount'],
      [{ amount: 10, currency: 'EURO' }, 'input.currency'],
      [{ amount: 10, currency: 'USD' }, 'input.currency'],
      [{ amount: 10, expiresAt: inSeconds(-60) }, 'input.expiresAt'],
      [{ amount: -10, expiresAt: inSeconds(3600) }, 'input.expiresAt'],
      [{ amount: 10, reason: '   ' }, 'input.reason'],
      [{ amount: 10, customerId: 'not-an-id' }, 'input.customerId'],
    ];
    for (const [input, field] of cases) {
      const response = await store.request(ADJUST, {
        input: { customerId: id, currency: 'EUR', reason: 'x', ...input },
      });
      expect(response.errors?.[0]?.extensions, JSON.stringify(input)).toMatchObject({
        code: 'BAD_USER_INPUT',
        fields: expect.arrayContaining([expect.objectContaining({ field })]),
      });
    }
    // Fractional minor units are refused by GraphQL's Int (at the gateway) before any resolver runs.
    const fractional = await adjust(id, 1.5);
    expect(fractional.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(fractional.errors?.[0]?.message).toContain('input.amount');

    expect((await store.data(LEDGER, {})).walletEntries.totalCount).toBe(before);
    expect((await wallet(id)).balance.amount).toBe(100);
  });

  it('refuses customer tokens', async () => {
    const id = await newCustomer();
    const { signToken } = await import('@cg/auth');
    const token = await signToken({ kind: 'customer', userId: id, storeId: store.id });
    const response = await graph.request(
      ADJUST,
      { input: { customerId: id, amount: 10, currency: 'EUR', reason: 'x' } },
      { token },
    );
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('wallet expiry', () => {
  it('spends the soonest-expiring credit first and drops expired credit from the balance', async () => {
    const id = await newCustomer();
    // A neighbour's balance owes nothing to this customer's lapsed credit.
    const neighbour = await newCustomer();
    await adjust(neighbour, 100);
    await adjust(id, 100); // never expires
    await adjust(id, 50, { expiresAt: inSeconds(2) });
    await adjust(id, 70, { expiresAt: inSeconds(3600) });
    expect((await adjust(id, -30)).data.adjustWallet.wallet.balance.amount).toBe(190);
    let w = await wallet(id);
    expect(w.entries.edges.map((edge: any) => [edge.node.kind, edge.node.remaining?.amount ?? null])).toEqual([
      ['DEBIT', null],
      ['CREDIT', 70],
      ['CREDIT', 20],
      ['CREDIT', 100],
    ]);

    await sleep(2100);
    w = await wallet(id);
    expect(w.balance.amount).toBe(170); // the unspent 20 left with its expiry, before any sweep
    expect((await wallet(neighbour)).balance.amount).toBe(100);
    expect(w.entries.edges[2].node.remaining).toEqual({ amount: 0 });

    // The next adjustment writes the EXPIRY entry first, then spends the 70 and 30 of the 100.
    expect((await adjust(id, -100)).data.adjustWallet.wallet.balance.amount).toBe(70);
    w = await wallet(id);
    expect(
      w.entries.edges.map((edge: any) => [
        edge.node.kind,
        edge.node.amount.amount,
        edge.node.remaining?.amount ?? null,
      ]),
    ).toEqual([
      ['DEBIT', -100, null],
      ['EXPIRY', -20, null],
      ['DEBIT', -30, null],
      ['CREDIT', 70, 0],
      ['CREDIT', 50, 0],
      ['CREDIT', 100, 70],
    ]);
    expect(ledgerSum(w)).toBe(70);
  });

  it('sweeps lapsed credits of every wallet into EXPIRY entries, once', async () => {
    const id = await newCustomer();
    await adjust(id, 40, { expiresAt: inSeconds(3600) });
    await adjust(id, 5);
    const db = graph.graph.subgraphs.engagement!.db.orm as unknown as EngagementDb;
    const later = new Date(Date.now() + 7200_000);
    expect(await expireWalletCredits(db, later)).toBeGreaterThanOrEqual(1);
    expect(await expireWalletCredits(db, later)).toBe(0);
    const w = await wallet(id);
    expect(w.balance.amount).toBe(5);
    expect(w.entries.edges[0].node).toMatchObject({
      kind: 'EXPIRY',
      amount: { amount: -40 },
      expiredCreditId: expect.any(String),
    });
    expect(ledgerSum(w)).toBe(5);
  });
});

describe('wallet reads', () => {
  it('shows no currency and a null balance for a customer without a wallet, under the id it will have', async () => {
    const id = await newCustomer();
    expect(await wallet(id)).toEqual({ id, currency: null, balance: null, entries: { totalCount: 0, edges: [] } });
  });

  it('costs one statement per relation for a page of customers', async () => {
    const fresh = await graph.createStore('Batch');
    const ids: string[] = [];
    for (let i = 0; i < 12; i += 1) ids.push(await newCustomer(fresh));
    for (const id of ids.slice(0, 6)) await adjust(id, 10, {}, fresh);
    const query = `{ customers(first: 50) { edges { node { id wallet { balance { amount } entries(first: 10) { totalCount edges { node { id } } } } } } } }`;
    let data: any;
    const counts = await graph.countStatements(async () => {
      data = await fresh.data(query);
    });
    expect(counts.engagement).toBe(2);
    const balances = data.customers.edges.map((edge: any) => edge.node.wallet.balance?.amount ?? null);
    expect(balances.filter((amount: number | null) => amount === 10)).toHaveLength(6);
    expect(balances.filter((amount: number | null) => amount === null)).toHaveLength(6);
  });

  it("lists the store's ledger newest first with the customer's details, filtered and paged", async () => {
    const fresh = await graph.createStore('Ledger');
    const a = await newCustomer(fresh);
    const b = await newCustomer(fresh);
    for (let i = 0; i < 8; i += 1) await adjust(a, 10 + i, {}, fresh);
    for (let i = 0; i < 7; i += 1) await adjust(b, 20 + i, {}, fresh);
    await adjust(a, -5, {}, fresh);

    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const { walletEntries }: any = await fresh.data(LEDGER, { first: 10, after });
      expect(walletEntries.totalCount).toBe(16);
      seen.push(...walletEntries.edges.map((edge: any) => edge.node.id));
      pages += 1;
      if (!walletEntries.pageInfo.hasNextPage) break;
      after = walletEntries.pageInfo.endCursor;
    }
    expect(pages).toBe(2);
    expect(new Set(seen).size).toBe(16);

    const { walletEntries } = await fresh.data(LEDGER, { filter: { customerId: a, kind: 'DEBIT' } });
    expect(walletEntries.totalCount).toBe(1);
    expect(walletEntries.edges[0].node).toMatchObject({
      kind: 'DEBIT',
      amount: { amount: -5 },
      customer: { id: a, firstName: 'Wally' },
    });
    expect(walletEntries.edges[0].node.customer.email).toMatch(/@example\.com$/);

    const newest = (await fresh.data(LEDGER, { first: 10 })).walletEntries.edges[0].node;
    expect(newest.amount.amount).toBe(-5);

    expect((await other.data(LEDGER, {})).walletEntries.totalCount).toBe(0);
    expect((await other.data(LEDGER, { filter: { customerId: a } })).walletEntries.totalCount).toBe(0);
  });

  it('answers a bad page size, cursor or filter with BAD_USER_INPUT', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ first: 0 }, 'first'],
      [{ after: 'not-a-cursor' }, 'after'],
      [{ filter: { customerId: 'nope' } }, 'filter.customerId'],
      [{ filter: { from: '2025-02-01T00:00:00Z', to: '2025-01-01T00:00:00Z' } }, 'filter.to'],
    ];
    for (const [variables, field] of cases) {
      const response = await store.request(LEDGER, variables);
      expect(response.errors?.[0]?.extensions, JSON.stringify(variables)).toMatchObject({
        code: 'BAD_USER_INPUT',
        fields: expect.arrayContaining([expect.objectContaining({ field })]),
      });
    }
  });
});
