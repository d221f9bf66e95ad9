import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_HEADER, signToken } from '@cg/auth';
import { eventually, startTestGraph, type TestGraph, type TestStore } from '@cg/testing';

let graph: TestGraph;
let store: TestStore;
let customerId: string;

const DETAIL = /* GraphQL */ `
  query ($id: ID!) {
    customer(id: $id) {
      firstName
      email
      phone
      birthDate
      addresses {
        edges {
          node {
            recipient
            line1
            line2
            postalCode
            city
            phone
          }
        }
      }
    }
  }
`;

/** Calls the gateway as `token`, working in `storeId` (the `x-store-id` header) when given. */
function as(token: string, storeId?: string) {
  return (query: string, variables?: Record<string, unknown>) =>
    graph.request(query, variables, { token, headers: storeId ? { [STORE_HEADER]: storeId } : {} });
}

const codes = (response: { errors?: { extensions?: Record<string, any> }[] }) =>
  (response.errors ?? []).map((error) => error.extensions?.code);

beforeAll(async () => {
  graph = await startTestGraph();
  store = await graph.createStore('Access store');
  customerId = (
    await store.createCustomer({
      firstName: 'Selin',
      lastName: 'Private',
      email: 'selin.private@example.com',
      phone: '+905321234567',
      birthDate: '1990-04-01',
    })
  ).id;
  await store.data(
    `mutation($id: ID!) { addAddress(customerId: $id, input: { kind: DELIVERY, recipient: "Selin Private", line1: "Bagdat Cd. 12", line2: "Daire 4", postalCode: "34728", city: "Istanbul", country: "TR", phone: "+905321234567" }) { id } }`,
    { id: customerId },
  );
});
afterAll(() => graph?.close());

describe('personal data (X4 field rules)', () => {
  it('comes back masked, not as an error, without PERSONAL_DATA_READ', async () => {
    const viewer = await store.staff(`viewer-${randomUUID()}`, 'VIEWER');
    const response = await as(viewer)(DETAIL, { id: customerId });
    expect(response.errors).toBeUndefined();
    expect(response.data.customer).toEqual({
      firstName: 'Selin',
      email: 's***@***.com',
      phone: '+**********67',
      birthDate: '***',
      addresses: {
        edges: [
          {
            node: {
              recipient: '***',
              line1: '***',
              line2: '***',
              postalCode: '***',
              city: 'Istanbul',
              phone: '+**********67',
            },
          },
        ],
      },
    });
  });

  it('comes back whole with PERSONAL_DATA_READ', async () => {
    const reader = await store.staff(`reader-${randomUUID()}`, { actions: ['CUSTOMERS_READ', 'PERSONAL_DATA_READ'] });
    const { data } = await as(reader)(DETAIL, { id: customerId });
    expect(data.customer).toMatchObject({
      email: 'selin.private@example.com',
      phone: '+905321234567',
      birthDate: '1990-04-01',
    });
    expect(data.customer.addresses.edges[0].node.line1).toBe('Bagdat Cd. 12');
  });

  it('cannot be probed through search, nor read in the audit log', async () => {
    const viewer = await store.staff(`viewer-${randomUUID()}`, { actions: ['CUSTOMERS_READ', 'AUDIT_READ'] });
    const search = `query($s: String!) { customers(filter: { search: $s }) { totalCount } }`;
    expect((await as(viewer)(search, { s: 'selin.private@' })).data.customers.totalCount).toBe(0);
    expect((await as(viewer)(search, { s: '+90532' })).data.customers.totalCount).toBe(0);
    expect((await as(viewer)(search, { s: 'Selin' })).data.customers.totalCount).toBe(1);
    expect((await store.request(search, { s: 'selin.private@' })).data.customers.totalCount).toBe(1);
    const entry = await eventually(async () => {
      const { data } = await as(viewer)(
        `{ auditLog(filter: { action: "customer.create" }) { edges { node { after } } } }`,
      );
      expect(data.auditLog.edges).toHaveLength(1);
      return data.auditLog.edges[0].node.after;
    });
    expect(entry).toMatchObject({
      firstName: 'Selin',
      email: 's***@***.com',
      phone: '+**********67',
      birthDate: '***',
    });
    // A guest order's contact too.
    await store.recordOrder({
      number: 'MASK000001',
      guest: { name: 'Gül', email: 'gul.guest@example.com', phone: '+905551112233' },
      unitPrice: 100,
    });
    const order = await eventually(async () => {
      const { data } = await as(viewer)(
        `{ auditLog(filter: { action: "order.record" }) { edges { node { after } } } }`,
      );
      expect(data.auditLog.edges).toHaveLength(1);
      return data.auditLog.edges[0].node.after;
    });
    expect(order).toMatchObject({
      number: 'MASK000001',
      guestEmail: 'g***@***.com',
      guestEmailKey: 'g***@***.com',
      guestPhone: '+**********33',
    });
    expect(JSON.stringify(order)).not.toContain('gul.guest');
  });
});

describe('staff roles', () => {
  it('take effect on the next request when changed, and refuse what they do not allow', async () => {
    const userId = `clerk-${randomUUID()}`;
    const token = await store.staff(userId, 'VIEWER');
    const rename = `mutation($id: ID!, $n: String!) { updateCustomer(id: $id, input: { firstName: $n }) { firstName } }`;
    expect(codes(await as(token)(rename, { id: customerId, n: 'Selin' }))).toEqual(['FORBIDDEN']);
    const { setStaffMember } = await store.data(
      `mutation($u: ID!) { setStaffMember(input: { userId: $u, role: MANAGER }) { id role actions } }`,
      { u: userId },
    );
    // One member per store and user, as a client's cache keeps it.
    expect(setStaffMember.id).toBe(`${store.id}:${userId}`);
    expect((await as(token)(rename, { id: customerId, n: 'Selin' })).data.updateCustomer.firstName).toBe('Selin');
    // A manager may not change who else may.
    expect(codes(await as(token)(`{ staffMembers { totalCount } }`))).toEqual(['FORBIDDEN']);
    await store.data(`mutation($u: ID!) { removeStaffMember(userId: $u) { userId } }`, { u: userId });
    expect(codes(await as(token)(`{ customers { totalCount } }`))).toEqual(['FORBIDDEN']);
  });

  it('as custom action sets: editing the set changes what its members may do', async () => {
    const userId = `editor-${randomUUID()}`;
    const token = await store.staff(userId, { actions: ['CUSTOMERS_READ', 'CUSTOMERS_EDIT'] });
    const block = `mutation($id: ID!, $s: CustomerStatus!) { updateCustomer(id: $id, input: { status: $s }) { status } }`;
    // Blocking is an action of its own (S1: a blocked customer cannot order).
    expect(codes(await as(token)(block, { id: customerId, s: 'BLOCKED' }))).toEqual(['FORBIDDEN']);
    const { staffMembers } = await store.data(
      `{ staffMembers(first: 100) { edges { node { userId customRole { id } } } } }`,
    );
    const roleId = staffMembers.edges.find((edge: any) => edge.node.userId === userId).node.customRole.id;
    const updated = await store.data(
      `mutation($id: ID!) { updateStaffRole(id: $id, input: { actions: [CUSTOMERS_READ, CUSTOMERS_EDIT, CUSTOMERS_BLOCK] }) { actions } }`,
      { id: roleId },
    );
    expect(updated.updateStaffRole.actions).toEqual(['CUSTOMERS_BLOCK', 'CUSTOMERS_EDIT', 'CUSTOMERS_READ']);
    expect((await as(token)(block, { id: customerId, s: 'BLOCKED' })).data.updateCustomer.status).toBe('BLOCKED');
    expect((await as(token)(block, { id: customerId, s: 'ACTIVE' })).data.updateCustomer.status).toBe('ACTIVE');
    // A role in use stays; an unknown action is refused by name.
    expect(
      codes(await store.request(`mutation($id: ID!) { deleteStaffRole(id: $id) { id } }`, { id: roleId })),
    ).toEqual(['CONFLICT']);
    const bad = await store.request(`mutation { createStaffRole(input: { name: "Empty", actions: [] }) { id } }`);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'input.actions' }] });
  });

  it('keep a store with at least one owner', async () => {
    const demote = await store.request(
      `mutation($u: ID!) { setStaffMember(input: { userId: $u, role: VIEWER }) { role } }`,
      { u: store.ownerId },
    );
    expect(codes(demote)).toEqual(['CONFLICT']);
    expect(
      codes(await store.request(`mutation($u: ID!) { removeStaffMember(userId: $u) { role } }`, { u: store.ownerId })),
    ).toEqual(['CONFLICT']);
    const custom = await store.request(
      `mutation($u: ID!) { setStaffMember(input: { userId: $u, role: OWNER, customRoleId: "${randomUUID()}" }) { role } }`,
      { u: 'x' },
    );
    expect(custom.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'input.customRoleId' }],
    });
    const { myAccess } = await store.data(`{ myAccess { id storeId userId role actions platform } }`);
    expect(myAccess).toMatchObject({ role: 'OWNER', platform: false });
    expect(myAccess.id).toBe(`${store.id}:${myAccess.userId}`);
  });
});

describe('shared access (T6)', () => {
  it('is granted by an owner of each store, takes effect on the next request, and is revoked the same way', async () => {
    const owner = store.ownerId;
    const second = await graph.createStore('Second store of the same owner', { principal: { userId: owner } });
    const partner = await graph.createStore("Partner's own store");
    const partnerToken = partner.token;
    const partnerId = partner.ownerId;
    const LIST = `{ customers { totalCount } myAccess { storeId role actions } }`;

    const before = await as(partnerToken, store.id)(LIST);
    expect(codes(before)).toContain('FORBIDDEN');

    const granted = await store.data(
      `mutation($u: ID!, $s: [ID!]!) { grantAccess(input: { userId: $u, storeIds: $s, actions: [CUSTOMERS_READ] }) { storeId userId actions grantedBy } }`,
      { u: partnerId, s: [store.id, second.id] },
    );
    expect(granted.grantAccess.map((g: any) => g.storeId).sort()).toEqual([store.id, second.id].sort());
    const inFirst = await as(partnerToken, store.id)(LIST);
    expect(inFirst.data).toEqual({
      customers: { totalCount: expect.any(Number) },
      myAccess: { storeId: store.id, role: null, actions: ['CUSTOMERS_READ'] },
    });
    expect(inFirst.data.customers.totalCount).toBeGreaterThan(0);
    expect((await as(partnerToken, second.id)(LIST)).data.myAccess.storeId).toBe(second.id);
    // Only the granted actions.
    expect(
      codes(
        await as(
          partnerToken,
          store.id,
        )(`mutation { createCustomer(input: { firstName: "P", lastName: "Q" }) { id } }`),
      ),
    ).toEqual(['FORBIDDEN']);

    await store.data(
      `mutation($u: ID!, $s: [ID!]!) { revokeAccess(input: { userId: $u, storeIds: $s }) { id revokedAt } }`,
      { u: partnerId, s: [store.id] },
    );
    expect(codes(await as(partnerToken, store.id)(LIST))).toContain('FORBIDDEN');
    expect((await as(partnerToken, second.id)(LIST)).data.myAccess.actions).toEqual(['CUSTOMERS_READ']);
    // Their own store is untouched by all this.
    expect((await partner.data(`{ myAccess { role } }`)).myAccess.role).toBe('OWNER');

    const history = await store.data(
      `{ accessGrants(includeRevoked: true) { totalCount edges { node { userId revokedBy revokedAt } } } active: accessGrants { totalCount } }`,
    );
    expect(history.accessGrants.edges).toEqual([
      { node: { userId: partnerId, revokedBy: owner, revokedAt: expect.any(String) } },
    ]);
    expect(history.active.totalCount).toBe(0);
    const audit = await eventually(async () => {
      const { data } = await as(store.token)(
        `{ auditLog(filter: { action: "access.revoke" }) { edges { node { before after actorId } } } }`,
      );
      expect(data.auditLog.edges).toHaveLength(1);
      return data.auditLog.edges[0].node;
    });
    expect(audit).toEqual({ before: { userId: partnerId, actions: ['CUSTOMERS_READ'] }, after: null, actorId: owner });
  });

  it('comes out of 50 concurrent grants to one user and store as one grant, never an internal error', async () => {
    const userId = `concurrent-${randomUUID()}`;
    const GRANT = `mutation($u: ID!, $s: [ID!]!, $a: [StaffAction!]!) { grantAccess(input: { userId: $u, storeIds: $s, actions: $a }) { id actions } }`;
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => store.request(GRANT, { u: userId, s: [store.id], a: ['CUSTOMERS_READ'] })),
    );
    for (const response of responses)
      expect(JSON.stringify(response.errors ?? [])).not.toMatch(/insert|params|select/i);
    expect(responses.flatMap(codes)).toEqual([]);
    const ids = new Set(responses.map((response) => response.data.grantAccess[0].id));
    const { accessGrants } = await store.data(
      `{ accessGrants(first: 100, includeRevoked: true) { edges { node { id userId revokedAt } } } }`,
    );
    const history = accessGrants.edges.filter((edge: any) => edge.node.userId === userId);
    expect(history).toEqual([{ node: { id: [...ids][0], userId, revokedAt: null } }]);
    expect(ids.size).toBe(1);
    // Granting the same actions again changes nothing, and records nothing.
    const again = await store.data(GRANT, { u: userId, s: [store.id], a: ['CUSTOMERS_READ'] });
    expect(again.grantAccess[0].id).toBe([...ids][0]);
    await eventually(async () => expect(await graph.undelivered()).toBe(0));
    const grants = await store.data(
      `{ auditLog(first: 100, filter: { action: "access.grant" }) { edges { node { entityId } } } }`,
    );
    expect(grants.auditLog.edges.filter((edge: any) => ids.has(edge.node.entityId))).toHaveLength(1);

    // Concurrent grants of different actions: each answer is a grant or CONFLICT, one grant stays active.
    const mixed = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        store.request(GRANT, { u: userId, s: [store.id], a: i % 2 ? ['CUSTOMERS_EDIT'] : ['AUDIT_READ'] }),
      ),
    );
    for (const response of mixed) {
      expect(JSON.stringify(response.errors ?? [])).not.toMatch(/insert|params|select/i);
      expect(codes(response).filter((code) => code !== 'CONFLICT')).toEqual([]);
    }
    expect(mixed.flatMap(codes)).toContain('CONFLICT');
    const active = await store.data(`{ accessGrants(first: 100) { edges { node { userId actions } } } }`);
    expect(active.accessGrants.edges.filter((edge: any) => edge.node.userId === userId)).toHaveLength(1);
  });

  it('cannot be granted for a store where the caller does not manage access', async () => {
    const stranger = await graph.createStore('Stranger store');
    const response = await store.request(
      `mutation($s: [ID!]!) { grantAccess(input: { userId: "someone", storeIds: $s, actions: [CUSTOMERS_READ] }) { id } }`,
      { s: [store.id, stranger.id] },
    );
    expect(codes(response)).toEqual(['FORBIDDEN']);
    expect((await stranger.data(`{ accessGrants { totalCount } }`)).accessGrants.totalCount).toBe(0);
    expect((await store.data(`{ accessGrants { edges { node { userId } } } }`)).accessGrants.edges).not.toContainEqual({
      node: { userId: 'someone' },
    });
  });
});

describe('platform staff', () => {
  it('see every store with every action, in the store they name', async () => {
    const elsewhere = await graph.createStore('Platform home');
    const token = await signToken({
      kind: 'staff',
      userId: `platform-${randomUUID()}`,
      storeId: elsewhere.id,
      platform: true,
    });
    const { data } = await as(token, store.id)(
      `query($id: ID!) { customer(id: $id) { email } myAccess { storeId platform actions } }`,
      { id: customerId },
    );
    expect(data.customer.email).toBe('selin.private@example.com');
    expect(data.myAccess).toMatchObject({ storeId: store.id, platform: true });
    expect(data.myAccess.actions).toContain('ACCESS_MANAGE');
    // A staff token without the platform claim gets nowhere with the header alone.
    const plain = await signToken({ kind: 'staff', userId: `plain-${randomUUID()}`, storeId: elsewhere.id });
    expect(codes(await as(plain, store.id)(`{ customers { totalCount } }`))).toEqual(['FORBIDDEN']);
  });
});
