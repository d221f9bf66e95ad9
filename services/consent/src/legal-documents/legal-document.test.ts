import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '@cg/auth';
import { startTestGraph, type TestGraph, type TestStore } from '@cg/testing';

const PUBLISH = /* GraphQL */ `
  mutation Publish($input: PublishLegalDocumentInput!) {
    publishLegalDocument(input: $input) {
      id
      key
      type
      category
      title
      version
      content
      url
      effectiveAt
      mandatory
      publishedBy
      createdAt
    }
  }
`;
const LIST = /* GraphQL */ `
  query List($filter: LegalDocumentFilter, $first: Int, $after: String) {
    legalDocuments(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          key
          version
          type
          category
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
  store = await graph.createStore('Documents');
  other = await graph.createStore('Elsewhere');
});
afterAll(() => graph?.close());

const document = (key: string, extra: Record<string, unknown> = {}) => ({
  key,
  type: 'MEMBERSHIP_AGREEMENT',
  title: 'Membership agreement',
  content: 'You agree to…',
  ...extra,
});

async function publish(input: Record<string, unknown>, on: TestStore = store) {
  return (await on.data(PUBLISH, { input })).publishLegalDocument;
}

describe('publishLegalDocument', () => {
  it('publishes version 1, then the next versions of the series, leaving the old ones as they were', async () => {
    const v1 = await publish(document('membership', { mandatory: true, effectiveAt: '2025-01-01T00:00:00.000Z' }));
    expect(v1).toMatchObject({
      key: 'membership',
      version: 1,
      category: 'LEGAL',
      mandatory: true,
      url: null,
      effectiveAt: '2025-01-01T00:00:00.000Z',
    });
    const v2 = await publish(
      document('membership', { content: null, url: 'https://example.com/membership/v2', title: 'Membership v2' }),
    );
    expect(v2).toMatchObject({ version: 2, content: null, url: 'https://example.com/membership/v2', mandatory: false });

    const { legalDocument } = await store.data(`query($id: ID!) { legalDocument(id: $id) { title version content } }`, {
      id: v1.id,
    });
    expect(legalDocument).toEqual({ title: 'Membership agreement', version: 1, content: 'You agree to…' });
  });

  it('never gives two concurrent publishes of one key the same version', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => publish(document('race', { title: `Race ${i}` }))),
    );
    expect(results.map((r) => r.version).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it('keeps the type and category of a series', async () => {
    await publish(document('privacy', { type: 'PRIVACY_NOTICE' }));
    const response = await store.request(PUBLISH, { input: document('privacy', { type: 'COOKIE_POLICY' }) });
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.errors?.[0]?.extensions?.fields.map((f: any) => f.field)).toEqual(['input.type']);
  });

  it('rejects bad input naming the fields, and writes nothing', async () => {
    const before = (await store.data(LIST, { filter: { key: 'bad-input' } })).legalDocuments.totalCount;
    for (const [input, fields] of [
      [document('Not A Slug'), ['input.key']],
      [document('bad-input', { title: '  ' }), ['input.title']],
      [document('bad-input', { content: null }), ['input.content', 'input.url']],
      [document('bad-input', { url: 'https://example.com/x' }), ['input.content', 'input.url']],
      [document('bad-input', { content: null, url: 'javascript:alert(1)' }), ['input.url']],
    ] as const) {
      const response = await store.request(PUBLISH, { input });
      expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      for (const field of fields)
        expect(response.errors?.[0]?.extensions?.fields.map((f: any) => f.field)).toContain(field);
    }
    expect((await store.data(LIST, { filter: { key: 'bad-input' } })).legalDocuments.totalCount).toBe(before);
  });

  it('is for staff only', async () => {
    const token = await signToken({ kind: 'customer', userId: crypto.randomUUID(), storeId: store.id });
    const response = await graph.request(PUBLISH, { input: document('customer-made') }, { token });
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('legal document versions are append-only', () => {
  it('rejects UPDATE and DELETE in the database', async () => {
    const doc = await publish(document('immutable'));
    const sql = graph.graph.subgraphs.consent!.db.sql;
    await expect(sql`update consent.legal_documents set title = 'rewritten' where id = ${doc.id}`).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from consent.legal_documents where id = ${doc.id}`).rejects.toThrow(/append-only/);
    await expect(
      sql`insert into consent.legal_documents (store_id, key, type, category, title, version, content, url, published_by)
          values (${store.id}, 'both', 'other', 'other', 'Both', 1, 'text', 'https://example.com', 'x')`,
    ).rejects.toThrow(/legal_documents_body_check/);
  });
});

describe('legalDocuments', () => {
  it('filters by category, type, key and latest version, and pages by cursor', async () => {
    const s = await graph.createStore('Filters');
    for (let i = 0; i < 11; i++) await publish(document('terms', { type: 'TERMS_OF_SALE', title: `Terms ${i}` }), s);
    await publish(document('newsletter', { type: 'COMMERCIAL_COMMUNICATION', category: 'NOTIFICATION' }), s);
    await publish(document('cookies', { type: 'COOKIE_POLICY', category: 'OTHER' }), s);

    const all = (await s.data(LIST, {})).legalDocuments;
    expect(all.totalCount).toBe(13);
    const latest = (await s.data(LIST, { filter: { latestOnly: true } })).legalDocuments;
    expect(latest.edges.map((e: any) => `${e.node.key}@${e.node.version}`).sort()).toEqual([
      'cookies@1',
      'newsletter@1',
      'terms@11',
    ]);
    expect((await s.data(LIST, { filter: { category: 'NOTIFICATION' } })).legalDocuments.totalCount).toBe(1);
    expect((await s.data(LIST, { filter: { type: 'COOKIE_POLICY' } })).legalDocuments.totalCount).toBe(1);

    const first = (await s.data(LIST, { filter: { key: 'terms' }, first: 10 })).legalDocuments;
    expect(first.edges.map((e: any) => e.node.version)).toEqual([11, 10, 9, 8, 7, 6, 5, 4, 3, 2]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await s.data(LIST, { filter: { key: 'terms' }, first: 10, after: first.pageInfo.endCursor }))
      .legalDocuments;
    expect(second.edges.map((e: any) => e.node.version)).toEqual([1]);
    expect(second.pageInfo.hasNextPage).toBe(false);
  });

  it('shows nothing of another store', async () => {
    const doc = await publish(document('private'));
    const { legalDocument, legalDocuments } = await other.data(
      `query($id: ID!) { legalDocument(id: $id) { id } legalDocuments(filter: { key: "private" }) { totalCount } }`,
      { id: doc.id },
    );
    expect(legalDocument).toBeNull();
    expect(legalDocuments.totalCount).toBe(0);
  });
});
