import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '@cg/auth';
import { startTestGraph, type TestGraph, type TestStore } from '@cg/testing';

const PUBLISH = /* GraphQL */ `
  mutation Publish($input: PublishLegalDocumentInput!) {
    publishLegalDocument(input: $input) {
      id
      key
      version
    }
  }
`;
const RECORD_FIELDS =
  'id kind action source ip recordedBy recordedByKind recordedAt documentKey channel document { id version } customer { id }';
const GRANT = /* GraphQL */ `
  mutation Grant($input: PermissionChangeInput!) { grantPermission(input: $input) { ${RECORD_FIELDS} } }`;
const REVOKE = /* GraphQL */ `
  mutation Revoke($input: PermissionChangeInput!) { revokePermission(input: $input) { ${RECORD_FIELDS} } }`;
const PERMISSIONS = /* GraphQL */ `
  query Permissions($id: ID!, $filter: PermissionFilter, $first: Int, $after: String) {
    customer(id: $id) {
      permissions(filter: $filter, first: $first, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            subject
            kind
            type
            category
            status
            source
            ip
            updatedAt
            documentKey
            channel
            document {
              id
              version
            }
            history {
              action
              source
              ip
              document {
                version
              }
            }
          }
        }
      }
    }
  }
`;

let graph: TestGraph;
let store: TestStore;
let membershipV1: { id: string };
let membershipV2: { id: string };
let newsletter: { id: string };
let privacy: { id: string };

const newCustomer = async (on: TestStore, email: string) => (await on.createCustomer({ email })).id;

async function publish(on: TestStore, input: Record<string, unknown>) {
  return (await on.data(PUBLISH, { input: { title: 'Document', content: 'Text', ...input } })).publishLegalDocument;
}

async function permissions(customerId: string, filter?: Record<string, unknown>, on: TestStore = store) {
  return (await on.data(PERMISSIONS, { id: customerId, filter })).customer.permissions;
}

beforeAll(async () => {
  // Deep batches of every per-order (per-permission) list, measured for their statements: their
  // worst-case cost is above the default limit, which is not what these tests are about.
  graph = await startTestGraph({ limits: { maxCost: 200_000 } });
  store = await graph.createStore('Consents');
  membershipV1 = await publish(store, { key: 'membership', type: 'MEMBERSHIP_AGREEMENT', mandatory: true });
  membershipV2 = await publish(store, { key: 'membership', type: 'MEMBERSHIP_AGREEMENT', mandatory: true });
  newsletter = await publish(store, { key: 'newsletter', type: 'COMMERCIAL_COMMUNICATION', category: 'NOTIFICATION' });
  privacy = await publish(store, { key: 'privacy', type: 'PRIVACY_NOTICE' });
});
afterAll(() => graph?.close());

describe('grantPermission / revokePermission', () => {
  it('appends records with time, source, IP and the staff user, and derives the current state', async () => {
    const id = await newCustomer(store, 'state@example.com');
    const granted = (
      await store.data(GRANT, {
        input: { customerId: id, documentId: membershipV1.id, source: 'IMPORT', ip: '203.0.113.7' },
      })
    ).grantPermission;
    expect(granted).toMatchObject({
      kind: 'DOCUMENT',
      action: 'GRANTED',
      source: 'IMPORT',
      ip: '203.0.113.7',
      recordedByKind: 'STAFF',
      documentKey: 'membership',
      document: { id: membershipV1.id, version: 1 },
      customer: { id },
    });
    expect(granted.recordedBy).toBeTruthy();

    await store.data(GRANT, { input: { customerId: id, channel: 'EMAIL', source: 'IMPORT', ip: '2001:db8::1' } });
    await store.data(REVOKE, { input: { customerId: id, channel: 'EMAIL', source: 'ADMIN' } });
    await store.data(GRANT, { input: { customerId: id, channel: 'EMAIL', source: 'IMPORT', ip: '203.0.113.9' } });
    // A grant of version 2 supersedes version 1: one permission per series.
    await store.data(GRANT, { input: { customerId: id, documentId: membershipV2.id, source: 'ADMIN' } });
    // Revoking what was never granted is recorded too.
    await store.data(REVOKE, { input: { customerId: id, channel: 'SMS', source: 'ADMIN' } });

    const result = await permissions(id);
    expect(result.totalCount).toBe(3);
    const bySubject = Object.fromEntries(result.edges.map((e: any) => [e.node.subject, e.node]));
    expect(bySubject['channel:email']).toMatchObject({
      kind: 'CHANNEL',
      type: 'EMAIL',
      category: 'NOTIFICATION',
      status: 'GRANTED',
      ip: '203.0.113.9',
    });
    expect(bySubject['channel:email'].history.map((h: any) => h.action)).toEqual(['GRANTED', 'REVOKED', 'GRANTED']);
    expect(bySubject['document:membership']).toMatchObject({
      kind: 'DOCUMENT',
      type: 'MEMBERSHIP_AGREEMENT',
      category: 'LEGAL',
      status: 'GRANTED',
      document: { version: 2 },
    });
    expect(bySubject['document:membership'].history.map((h: any) => h.document.version)).toEqual([2, 1]);
    expect(bySubject['channel:sms']).toMatchObject({ status: 'REVOKED', history: [{ action: 'REVOKED' }] });

    const { customer } = await store.data(
      `query($id: ID!) { customer(id: $id) { permissionRecords { totalCount edges { node { action channel documentKey } } } } }`,
      { id },
    );
    expect(customer.permissionRecords.totalCount).toBe(6);
    expect(customer.permissionRecords.edges[0].node).toEqual({ action: 'REVOKED', channel: 'SMS', documentKey: null });
  });

  it('allows granting a revoked mandatory document again', async () => {
    const id = await newCustomer(store, 'regrant@example.com');
    await store.data(GRANT, { input: { customerId: id, documentId: membershipV2.id, source: 'REGISTRATION' } });
    await store.data(REVOKE, { input: { customerId: id, documentId: membershipV2.id, source: 'ADMIN' } });
    expect((await permissions(id)).edges[0].node.status).toBe('REVOKED');
    await store.data(GRANT, { input: { customerId: id, documentId: membershipV2.id, source: 'ADMIN' } });
    const node = (await permissions(id)).edges[0].node;
    expect(node.status).toBe('GRANTED');
    expect(node.history.map((h: any) => h.action)).toEqual(['GRANTED', 'REVOKED', 'GRANTED']);
  });

  it('answers a grant and a revocation with the permission as it now stands', async () => {
    const id = await newCustomer(store, 'answer@example.com');
    const CHANGED = 'id action permission { id subject status source updatedAt document { id version } }';
    const grant = `mutation($input: PermissionChangeInput!) { grantPermission(input: $input) { ${CHANGED} } }`;
    const revoke = `mutation($input: PermissionChangeInput!) { revokePermission(input: $input) { ${CHANGED} } }`;
    const granted = (await store.data(grant, { input: { customerId: id, documentId: privacy.id, source: 'ADMIN' } }))
      .grantPermission;
    expect(granted.permission).toMatchObject({ subject: 'document:privacy', status: 'GRANTED', source: 'ADMIN' });
    const revoked = (
      await store.data(revoke, { input: { customerId: id, documentId: privacy.id, source: 'REGISTRATION' } })
    ).revokePermission;
    // The same permission (one id per customer and subject), changed: what a cache updates in place.
    expect(revoked.permission.id).toBe(granted.permission.id);
    expect(revoked.permission).toMatchObject({ status: 'REVOKED', source: 'REGISTRATION' });
    const listed = (await permissions(id)).edges.map((edge: any) => edge.node);
    expect(listed).toEqual([expect.objectContaining({ id: revoked.permission.id, status: 'REVOKED' })]);
  });

  it("records the caller's address when no IP is given", async () => {
    const id = await newCustomer(store, 'ip@example.com');
    const { grantPermission } = await store.data(GRANT, {
      input: { customerId: id, channel: 'PUSH', source: 'ADMIN' },
    });
    expect(grantPermission.ip).toMatch(/^[0-9a-f.:]+$/i);
  });

  it('rejects bad input naming the fields, and writes nothing', async () => {
    const id = await newCustomer(store, 'bad@example.com');
    for (const [input, fields] of [
      [{ customerId: 'not-an-id', channel: 'EMAIL', source: 'ADMIN' }, ['input.customerId']],
      [{ customerId: id, source: 'ADMIN' }, ['input.documentId', 'input.channel']],
      [
        { customerId: id, channel: 'EMAIL', documentId: privacy.id, source: 'ADMIN' },
        ['input.documentId', 'input.channel'],
      ],
      [{ customerId: id, channel: 'EMAIL', source: 'IMPORT', ip: '300.1.1.1' }, ['input.ip']],
      // An address is only given for historical records being imported; else it is the caller's.
      [{ customerId: id, channel: 'EMAIL', source: 'ADMIN', ip: '203.0.113.1' }, ['input.ip']],
    ] as const) {
      const response = await store.request(GRANT, { input });
      expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(response.errors?.[0]?.extensions?.fields.map((f: any) => f.field)).toEqual(fields);
    }
    const unknown = await store.request(GRANT, {
      input: { customerId: id, documentId: crypto.randomUUID(), source: 'ADMIN' },
    });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const { customer } = await store.data(
      `query($id: ID!) { customer(id: $id) { permissionRecords { totalCount } } }`,
      { id },
    );
    expect(customer.permissionRecords.totalCount).toBe(0);
  });

  it("does not accept another store's document", async () => {
    const other = await graph.createStore('Other');
    const id = await newCustomer(other, 'cross@example.com');
    const response = await other.request(GRANT, { input: { customerId: id, documentId: privacy.id, source: 'ADMIN' } });
    expect(response.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('lets a customer record only their own permissions, from registration or checkout', async () => {
    const id = await newCustomer(store, 'self@example.com');
    const own = await signToken({ kind: 'customer', userId: id, storeId: store.id });
    const someoneElse = await graph.request(
      GRANT,
      { input: { customerId: crypto.randomUUID(), channel: 'SMS', source: 'CHECKOUT' } },
      { token: own },
    );
    expect(someoneElse.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const asAdmin = await graph.request(
      GRANT,
      { input: { customerId: id, channel: 'SMS', source: 'ADMIN' } },
      { token: own },
    );
    expect(asAdmin.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const ok = await graph.request(
      GRANT,
      { input: { customerId: id, channel: 'SMS', source: 'CHECKOUT' } },
      { token: own },
    );
    // Who recorded it is a user id, which only staff see; the kind tells the customer it was them.
    expect(ok.data?.grantPermission).toMatchObject({ recordedBy: null, recordedByKind: 'CUSTOMER' });
    const staffView = await store.data(
      `query($id: ID!) { customer(id: $id) { permissionRecords { edges { node { recordedBy recordedByKind } } } } }`,
      { id },
    );
    expect(staffView.customer.permissionRecords.edges.map((edge: { node: unknown }) => edge.node)).toEqual([
      { recordedBy: id, recordedByKind: 'CUSTOMER' },
    ]);
  });
});

describe('permission records are append-only', () => {
  it('rejects UPDATE and DELETE in the database', async () => {
    const id = await newCustomer(store, 'append@example.com');
    const { grantPermission } = await store.data(GRANT, {
      input: { customerId: id, channel: 'EMAIL', source: 'ADMIN' },
    });
    const sql = graph.graph.subgraphs.consent!.db.sql;
    await expect(
      sql`update consent.permission_records set action = 'revoked' where id = ${grantPermission.id}`,
    ).rejects.toThrow(/append-only/);
    await expect(sql`delete from consent.permission_records where id = ${grantPermission.id}`).rejects.toThrow(
      /append-only/,
    );
    expect((await permissions(id)).edges[0].node.status).toBe('GRANTED');
  });

  it('keeps the derived state equal to the latest record under concurrent changes', async () => {
    const id = await newCustomer(store, 'race@example.com');
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.data(i % 2 ? GRANT : REVOKE, { input: { customerId: id, channel: 'EMAIL', source: 'ADMIN' } }),
      ),
    );
    const { customer } = await store.data(
      `query($id: ID!) { customer(id: $id) { permissionRecords(first: 10) { edges { node { action } } } } }`,
      { id },
    );
    expect((await permissions(id)).edges[0].node.status).toBe(customer.permissionRecords.edges[0].node.action);
  });
});

describe('Customer.permissions', () => {
  it('filters by status, type, kind and category', async () => {
    const id = await newCustomer(store, 'filters@example.com');
    await store.data(GRANT, { input: { customerId: id, documentId: membershipV2.id, source: 'REGISTRATION' } });
    await store.data(GRANT, { input: { customerId: id, documentId: privacy.id, source: 'REGISTRATION' } });
    await store.data(REVOKE, { input: { customerId: id, documentId: newsletter.id, source: 'ADMIN' } });
    await store.data(GRANT, { input: { customerId: id, channel: 'EMAIL', source: 'REGISTRATION' } });
    await store.data(REVOKE, { input: { customerId: id, channel: 'SMS', source: 'ADMIN' } });

    const subjects = async (filter: Record<string, unknown>) =>
      (await permissions(id, filter)).edges.map((e: any) => e.node.subject).sort();
    expect(await subjects({ status: 'GRANTED' })).toEqual(['channel:email', 'document:membership', 'document:privacy']);
    expect(await subjects({ status: 'REVOKED' })).toEqual(['channel:sms', 'document:newsletter']);
    expect(await subjects({ kind: 'CHANNEL' })).toEqual(['channel:email', 'channel:sms']);
    expect(await subjects({ kind: 'DOCUMENT', status: 'GRANTED' })).toEqual([
      'document:membership',
      'document:privacy',
    ]);
    expect(await subjects({ type: 'PRIVACY_NOTICE' })).toEqual(['document:privacy']);
    expect(await subjects({ type: 'SMS' })).toEqual(['channel:sms']);
    expect(await subjects({ category: 'NOTIFICATION' })).toEqual([
      'channel:email',
      'channel:sms',
      'document:newsletter',
    ]);
    expect((await permissions(id, { type: 'COOKIE_POLICY' })).totalCount).toBe(0);
  });

  it('pages by cursor', async () => {
    const id = await newCustomer(store, 'pages@example.com');
    for (const channel of ['EMAIL', 'SMS', 'PUSH', 'PHONE'])
      await store.data(GRANT, { input: { customerId: id, channel, source: 'ADMIN' } });
    for (let i = 0; i < 8; i++) {
      const doc = await publish(store, { key: `page-doc-${i}`, type: 'OTHER', category: 'OTHER' });
      await store.data(GRANT, { input: { customerId: id, documentId: doc.id, source: 'ADMIN' } });
    }
    const first = (await store.data(PERMISSIONS, { id, first: 10 })).customer.permissions;
    const second = (await store.data(PERMISSIONS, { id, first: 10, after: first.pageInfo.endCursor })).customer
      .permissions;
    expect(first.totalCount).toBe(12);
    expect(first.edges).toHaveLength(10);
    expect(second.edges).toHaveLength(2);
    expect(second.pageInfo.hasNextPage).toBe(false);
    expect(new Set([...first.edges, ...second.edges].map((e: any) => e.node.subject)).size).toBe(12);
  });

  it("shows nothing of another store's records, even asked of the subgraph directly", async () => {
    const id = await newCustomer(store, 'isolated@example.com');
    await store.data(GRANT, { input: { customerId: id, channel: 'EMAIL', source: 'ADMIN' } });
    const other = await graph.createStore('Isolated');
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { permissions { totalCount } } } }`;
    const ask = async (token: string) => {
      const response = await fetch(graph.graph.subgraphs.consent!.url, {
        method: 'POST',
        headers: await graph.subgraphHeaders(token),
        body: JSON.stringify({ query, variables: { r: [{ __typename: 'Customer', id }] } }),
      });
      return ((await response.json()) as any).data._entities[0].permissions.totalCount;
    };
    expect(await ask(store.token)).toBe(1);
    expect(await ask(other.token)).toBe(0);
  });

  it('costs the consent subgraph the same statements for 1 customer as for 20', async () => {
    const LIST = /* GraphQL */ `
      query {
        customers(first: 20) {
          edges {
            node {
              id
              permissions {
                totalCount
                edges {
                  node {
                    status
                    document {
                      title
                    }
                    history {
                      action
                      document {
                        version
                      }
                    }
                  }
                }
              }
              granted: permissions(filter: { status: GRANTED }) {
                totalCount
              }
              permissionRecords {
                totalCount
                edges {
                  node {
                    action
                  }
                }
              }
            }
          }
        }
      }
    `;
    const measure = async (count: number) => {
      const s = await graph.createStore(`Batch ${count}`);
      const doc = await publish(s, { key: 'terms', type: 'TERMS_OF_SALE' });
      for (let i = 0; i < count; i++) {
        const id = await newCustomer(s, `batch${i}@example.com`);
        await s.data(GRANT, { input: { customerId: id, documentId: doc.id, source: 'REGISTRATION' } });
        await s.data(GRANT, { input: { customerId: id, channel: 'EMAIL', source: 'REGISTRATION' } });
      }
      let data: any;
      const statements = await graph.countStatements(async () => {
        data = await s.data(LIST);
      });
      expect(data.customers.edges).toHaveLength(count);
      expect(data.customers.edges.every((e: any) => e.node.permissions.totalCount === 2)).toBe(true);
      return statements.consent;
    };
    const one = await measure(1);
    const twenty = await measure(20);
    expect(one).toBeGreaterThan(0);
    expect(twenty).toBe(one);
  });
});
