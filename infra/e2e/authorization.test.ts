import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLOutputType,
} from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAFF_ACTIONS, StaffAction, signToken } from '@cg/auth';
import {
  eventually,
  idOf,
  oneOfEach,
  startTestGraph,
  type RecordIds,
  type TestGraph,
  type TestStore,
} from '@cg/testing';
import { SUPERGRAPH_PATH } from '@cg/gateway';

/**
 * Every root field of the composed supergraph, read from schema/supergraph.graphql, so that a new
 * field is walked without anyone listing it here. The one list kept by hand is which action each
 * mutation needs; a mutation missing from it fails the test.
 */
const MUTATION_ACTIONS: Record<string, StaffAction> = {
  recordOrder: StaffAction.ORDERS_MANAGE,
  importOrders: StaffAction.ORDERS_MANAGE,
  updateOrderStatus: StaffAction.ORDERS_MANAGE,
  createOrderRequest: StaffAction.ORDERS_MANAGE,
  updateOrderRequestStatus: StaffAction.ORDERS_MANAGE,
  recordPayment: StaffAction.ORDERS_MANAGE,
  updatePaymentStatus: StaffAction.ORDERS_MANAGE,
  recordOrderFeedback: StaffAction.ORDERS_MANAGE,
  createCampaign: StaffAction.CAMPAIGNS_MANAGE,
  updateCampaign: StaffAction.CAMPAIGNS_MANAGE,
  stopCampaign: StaffAction.CAMPAIGNS_MANAGE,
  createCoupon: StaffAction.CAMPAIGNS_MANAGE,
  updateCoupon: StaffAction.CAMPAIGNS_MANAGE,
  stopCoupon: StaffAction.CAMPAIGNS_MANAGE,
  publishLegalDocument: StaffAction.CONSENTS_MANAGE,
  grantPermission: StaffAction.CONSENTS_MANAGE,
  revokePermission: StaffAction.CONSENTS_MANAGE,
  createCustomer: StaffAction.CUSTOMERS_EDIT,
  updateCustomer: StaffAction.CUSTOMERS_EDIT,
  addAddress: StaffAction.CUSTOMERS_EDIT,
  updateAddress: StaffAction.CUSTOMERS_EDIT,
  deleteAddress: StaffAction.CUSTOMERS_EDIT,
  watchCustomer: StaffAction.CUSTOMERS_EDIT,
  unwatchCustomer: StaffAction.CUSTOMERS_EDIT,
  createSegment: StaffAction.CUSTOMERS_EDIT,
  updateSegment: StaffAction.CUSTOMERS_EDIT,
  deleteSegment: StaffAction.CUSTOMERS_EDIT,
  addBlacklistEntry: StaffAction.CUSTOMERS_BLOCK,
  updateBlacklistEntry: StaffAction.CUSTOMERS_BLOCK,
  removeBlacklistEntry: StaffAction.CUSTOMERS_BLOCK,
  adjustWallet: StaffAction.WALLET_ADJUST,
  updateLoyaltyProgram: StaffAction.LOYALTY_ADJUST,
  adjustLoyaltyPoints: StaffAction.LOYALTY_ADJUST,
  redeemLoyaltyPoints: StaffAction.LOYALTY_ADJUST,
  updateLoyaltyTiers: StaffAction.LOYALTY_ADJUST,
  createLoyaltyCardType: StaffAction.LOYALTY_ADJUST,
  updateLoyaltyCardType: StaffAction.LOYALTY_ADJUST,
  deleteLoyaltyCardType: StaffAction.LOYALTY_ADJUST,
  issueLoyaltyCard: StaffAction.LOYALTY_ADJUST,
  blockLoyaltyCard: StaffAction.LOYALTY_ADJUST,
  unblockLoyaltyCard: StaffAction.LOYALTY_ADJUST,
  replaceLoyaltyCard: StaffAction.LOYALTY_ADJUST,
  createReferenceCode: StaffAction.REFERENCE_CODES_MANAGE,
  updateReferenceCode: StaffAction.REFERENCE_CODES_MANAGE,
  stopReferenceCode: StaffAction.REFERENCE_CODES_MANAGE,
  resumeReferenceCode: StaffAction.REFERENCE_CODES_MANAGE,
  expireReferenceCode: StaffAction.REFERENCE_CODES_MANAGE,
  // Order intake (and registration) on a sales platform; customers use codes themselves too.
  useReferenceCode: StaffAction.ORDERS_MANAGE,
  eraseCustomer: StaffAction.CUSTOMERS_ERASE,
  sendPasswordReset: StaffAction.CUSTOMERS_EDIT,
  sendCustomerMessage: StaffAction.CUSTOMERS_EDIT,
  suppressMessageAddress: StaffAction.CUSTOMERS_EDIT,
  deleteCustomer: StaffAction.CUSTOMERS_ERASE,
  restoreCustomer: StaffAction.CUSTOMERS_ERASE,
  updateStore: StaffAction.ACCESS_MANAGE,
  createStaffRole: StaffAction.ACCESS_MANAGE,
  updateStaffRole: StaffAction.ACCESS_MANAGE,
  deleteStaffRole: StaffAction.ACCESS_MANAGE,
  setStaffMember: StaffAction.ACCESS_MANAGE,
  removeStaffMember: StaffAction.ACCESS_MANAGE,
  grantAccess: StaffAction.ACCESS_MANAGE,
  revokeAccess: StaffAction.ACCESS_MANAGE,
};
/** Mutations for storefronts only (guest and customer tokens): every staff token is refused them. */
const STOREFRONT_MUTATIONS = new Set([
  'recordReferenceCodeAccess',
  'registerCustomer',
  'signIn',
  'requestSignInCode',
  'signInWithCode',
  'requestPasswordReset',
  'resetPassword',
]);
/** Queries open to any staff member of the store, whatever their actions. */
const ANY_STAFF_QUERIES = new Set(['myAccess', 'currentStore']);
/** Queries for other callers than staff (customer and guest tokens). */
const NOT_FOR_STAFF = new Set(['me', 'guestOrders']);
/** Staff queries that need more than CUSTOMERS_READ. */
const QUERY_ACTIONS: Record<string, StaffAction> = {
  auditLog: StaffAction.AUDIT_READ,
  staffMembers: StaffAction.ACCESS_MANAGE,
  staffRoles: StaffAction.ACCESS_MANAGE,
  accessGrants: StaffAction.ACCESS_MANAGE,
  // Every row is personal data (addresses and message text), so it is never shown masked.
  mailbox: StaffAction.PERSONAL_DATA_READ,
};

const supergraph = buildSchema(readFileSync(SUPERGRAPH_PATH, 'utf8'), { assumeValidSDL: true });
const rootFields = (type: 'Query' | 'Mutation' | 'Subscription'): GraphQLField<unknown, unknown>[] => {
  const root = supergraph.getType(type);
  return isObjectType(root) ? Object.values(root.getFields()) : [];
};
const queries = rootFields('Query');
const mutations = rootFields('Mutation');
const subscriptions = rootFields('Subscription');

/** Store A's records, whose ids every generated operation asks for. */
const A: RecordIds = {};
let graph: TestGraph;
let storeA: TestStore;
let storeB: TestStore;
const clients: Client[] = [];

/** The id of store A's record of the type an argument names (`customerId`, or `id` of `customer`). */
const idFor = (argName: string, typeName: string) => idOf(A, argName, typeName);

/** Plausible values, so that a refused call is refused for who asks, not for what they sent. */
function scalarFor(name: string, scalar: string): unknown {
  const byName: Record<string, unknown> = {
    currency: 'EUR',
    email: 'mallory@b.example',
    country: 'NL',
    number: A.orderNumber,
    transactionCode: `TX-${randomUUID().slice(0, 8)}`,
    key: 'terms',
    amount: 100,
    unitPrice: 100,
    quantity: 1,
    units: 1,
  };
  if (name in byName) return byName[name];
  switch (scalar) {
    case 'Int':
    case 'SafeInt':
    case 'Float':
      return 1;
    case 'Boolean':
      return false;
    case 'DateTimeISO':
      return new Date().toISOString();
    case 'JSONObject':
      return {};
    default:
      return 'x';
  }
}

function valueFor(name: string, type: GraphQLInputType, parentType: string): unknown {
  if (isNonNullType(type)) return valueFor(name, type.ofType, parentType);
  if (isListType(type)) {
    if (name === 'storeIds') return [A.store];
    if (name === 'numbers') return [A.orderNumber];
    if (name === 'actions') return [StaffAction.CUSTOMERS_READ];
    return [valueFor(name, type.ofType, parentType)];
  }
  if (isEnumType(type)) return type.getValues()[0]!.value;
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields()).filter((field) => isNonNullType(field.type));
    return Object.fromEntries(fields.map((field) => [field.name, valueFor(field.name, field.type, parentType)]));
  }
  if (isScalarType(type) && type.name === 'ID') return idFor(name, parentType);
  return scalarFor(name, (type as { name: string }).name);
}

/** Ids, counts and type names: enough to see whether anything of a store comes back. */
function selectionFor(type: GraphQLOutputType): string {
  const named = getNamedType(type);
  if (!isObjectType(named)) return '';
  const fields = named.getFields();
  const parts = ['__typename'];
  if (fields.id) parts.push('id');
  if (fields.totalCount) parts.push('totalCount');
  const edge = fields.edges && getNamedType(fields.edges.type);
  if (edge && isObjectType(edge) && edge.getFields().node)
    parts.push(`edges { node ${selectionFor(edge.getFields().node!.type)} }`);
  return `{ ${parts.join(' ')} }`;
}

function operationFor(kind: 'query' | 'mutation' | 'subscription', field: GraphQLField<unknown, unknown>) {
  const args = field.args.filter((arg: GraphQLArgument) => isNonNullType(arg.type));
  const parentType = getNamedType(field.type).name;
  const variables = Object.fromEntries(args.map((arg) => [arg.name, valueFor(arg.name, arg.type, parentType)]));
  const declared = args.map((arg) => `$${arg.name}: ${arg.type.toString()}`).join(', ');
  const passed = args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  const query = `${kind} Walk${declared ? `(${declared})` : ''} { ${field.name}${passed ? `(${passed})` : ''} ${selectionFor(field.type)} }`;
  return { query, variables };
}

const codesOf = (response: { errors?: { extensions?: Record<string, any> }[] }) =>
  (response.errors ?? []).map((error) => error.extensions?.code);

/** What store A holds, as its owner sees it; another store's calls must leave it as it is. */
const SNAPSHOT = /* GraphQL */ `
  query Snapshot($customer: ID!, $order: ID!, $payment: ID!, $document: ID!, $segment: ID!, $campaign: ID!) {
    customer(id: $customer) {
      firstName
      email
      notes
      tags
      status
      watched
      metrics {
        orderCount
        totalSpent {
          amount
        }
        walletBalance {
          amount
        }
      }
      timeline {
        totalCount
      }
      addresses {
        edges {
          node {
            id
            line1
            isDefault
          }
        }
      }
      orders {
        edges {
          node {
            id
            status
            requests {
              id
              status
            }
            payments {
              id
              status
            }
          }
        }
      }
      wallet {
        balance {
          amount
          currency
        }
        entries {
          totalCount
        }
      }
      permissions {
        edges {
          node {
            type
            status
          }
        }
      }
    }
    customers {
      totalCount
    }
    order(id: $order) {
      status
      campaigns {
        id
      }
    }
    campaign(id: $campaign) {
      name
      startsAt
      endsAt
      stoppedAt
    }
    campaigns {
      totalCount
    }
    payment(id: $payment) {
      status
    }
    legalDocument(id: $document) {
      title
      version
    }
    legalDocuments {
      totalCount
    }
    segment(id: $segment) {
      name
      rules {
        kind
      }
    }
    segments {
      totalCount
    }
    staffMembers {
      totalCount
      edges {
        node {
          userId
          role
        }
      }
    }
    staffRoles {
      id
      name
      actions
    }
    accessGrants(includeRevoked: true) {
      totalCount
    }
    walletEntries {
      totalCount
    }
  }
`;

const snapshot = () =>
  storeA.data(SNAPSHOT, {
    customer: A.Customer,
    order: A.Order,
    payment: A.Payment,
    document: A.LegalDocument,
    segment: A.Segment,
    campaign: A.Campaign,
  });

beforeAll(async () => {
  graph = await startTestGraph();
  storeA = await graph.createStore('Walked store');
  storeB = await graph.createStore('Other store');
  Object.assign(
    A,
    await oneOfEach(storeA, { orderNumber: 'AUTH000001', firstName: 'Alice', email: 'alice@walk.example' }),
  );
  // Store A's own events (metrics, timeline, audit) have arrived before anything is compared.
  await eventually(async () => {
    const { customer } = await storeA.data(
      `query($c: ID!) { customer(id: $c) { metrics { orderCount walletBalance { amount } } } }`,
      { c: A.Customer },
    );
    expect(customer.metrics).toEqual({ orderCount: 1, walletBalance: { amount: 700 } });
  });
  await eventually(async () => expect(await graph.undelivered()).toBe(0));
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.map(async (client) => client.dispose()));
  await graph?.close();
});

describe('every root field of schema/supergraph.graphql', () => {
  it('has fields to walk, and an action on record for every mutation', () => {
    expect(queries.length).toBeGreaterThan(10);
    expect(mutations.length).toBeGreaterThan(10);
    expect(subscriptions.length).toBeGreaterThan(0);
    expect(
      mutations.map((field) => field.name).filter((name) => !MUTATION_ACTIONS[name] && !STOREFRONT_MUTATIONS.has(name)),
    ).toEqual([]);
  });

  it('answers UNAUTHENTICATED without a token, before any subgraph is asked', async () => {
    for (const [kind, fields] of [
      ['query', queries],
      ['mutation', mutations],
    ] as const) {
      for (const field of fields) {
        const { query, variables } = operationFor(kind, field);
        let response: Awaited<ReturnType<TestGraph['request']>> | undefined;
        const statements = await graph.countStatements(async () => {
          response = await graph.request(query, variables, { token: null });
        });
        expect(response!.status, field.name).toBe(401);
        expect(codesOf(response!), field.name).toEqual(['UNAUTHENTICATED']);
        expect(
          Object.values(statements).every((count) => count === 0),
          field.name,
        ).toBe(true);
      }
    }
    for (const field of subscriptions) {
      const closed = await subscribeOnce(null, operationFor('subscription', field));
      expect(closed, field.name).toMatchObject({ code: 4401 });
    }
  });

  it("gives a token of another store nothing of this store's, and lets it change nothing here", async () => {
    const before = await snapshot();
    const secrets = Object.entries(A)
      .filter(([key]) => key !== 'orderNumber' && key !== 'ownerId')
      .map(([, value]) => value);
    secrets.push('alice@walk.example', 'internal');
    for (const field of queries) {
      const response = await storeB.request(operationFor('query', field).query, operationFor('query', field).variables);
      const data = JSON.stringify(response.data ?? null);
      for (const secret of secrets) expect(data, `${field.name} shows ${secret}`).not.toContain(secret);
      // Store B holds nothing but its owner: every other list it sees is empty.
      const expected = field.name === 'staffMembers' ? 1 : 0;
      for (const match of data.matchAll(/"totalCount":(\d+)/g)) expect(Number(match[1]), field.name).toBe(expected);
    }
    for (const field of mutations) {
      const { query, variables } = operationFor('mutation', field);
      const response = await storeB.request(query, variables);
      const data = JSON.stringify(response.data ?? null);
      for (const secret of secrets.filter((secret) => secret !== A.ownerId)) {
        expect(data, `${field.name} shows ${secret}`).not.toContain(secret);
      }
      // Store B may write its own records (under any id); it may not change store A's.
      if (field.name === 'grantAccess' || field.name === 'revokeAccess')
        expect(codesOf(response), field.name).toEqual(['FORBIDDEN']);
    }
    // Whatever store B's calls set off has been delivered before store A is looked at again.
    await eventually(async () => expect(await graph.undelivered()).toBe(0));
    expect(await snapshot()).toEqual(before);
    // Live updates: store A's customer changes while store B listens for them.
    for (const field of subscriptions) {
      const result = (await subscribeOnce(storeB.token, operationFor('subscription', field), () =>
        storeA.data(`mutation($c: ID!) { updateCustomer(id: $c, input: { lastName: "Walked" }) { id } }`, {
          c: A.Customer,
        }),
      )) as { data?: unknown };
      expect(JSON.stringify(result.data ?? null), field.name).not.toContain(A.Customer);
    }
  });

  it('answers every mutation of a viewer with FORBIDDEN and changes nothing', async () => {
    const viewer = await storeA.staff(`viewer-${randomUUID()}`, 'VIEWER');
    const before = await snapshot();
    for (const field of mutations) {
      const { query, variables } = operationFor('mutation', field);
      const response = await graph.request(query, variables, { token: viewer });
      expect(codesOf(response), field.name).toEqual(['FORBIDDEN']);
    }
    for (const field of queries.filter((field) => !NOT_FOR_STAFF.has(field.name) && !QUERY_ACTIONS[field.name])) {
      const { query, variables } = operationFor('query', field);
      const response = await graph.request(query, variables, { token: viewer });
      expect(
        codesOf(response).filter((code) => code === 'FORBIDDEN'),
        field.name,
      ).toEqual([]);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('lets each custom action set do exactly its actions', async () => {
    for (const action of STAFF_ACTIONS) {
      const token = await storeA.staff(`custom-${action.toLowerCase()}-${randomUUID().slice(0, 8)}`, {
        actions: [action],
      });
      for (const field of mutations) {
        const { query, variables } = operationFor('mutation', field);
        const response = await graph.request(query, variables, { token });
        const forbidden = codesOf(response).includes('FORBIDDEN');
        expect(forbidden, `${action} → ${field.name}`).toBe(MUTATION_ACTIONS[field.name] !== action);
      }
      for (const field of queries.filter((field) => !NOT_FOR_STAFF.has(field.name))) {
        const { query, variables } = operationFor('query', field);
        const response = await graph.request(query, variables, { token });
        const needed = ANY_STAFF_QUERIES.has(field.name)
          ? null
          : (QUERY_ACTIONS[field.name] ?? StaffAction.CUSTOMERS_READ);
        const forbidden = codesOf(response).includes('FORBIDDEN');
        expect(forbidden, `${action} → ${field.name}: ${JSON.stringify(response)}`).toBe(
          needed !== null && needed !== action,
        );
      }
    }
  }, 120_000);

  it('keeps customer and guest tokens out of every staff field', async () => {
    const customer = await signToken({ kind: 'customer', userId: A.Customer!, storeId: A.store! });
    const guest = await signToken({ kind: 'guest', userId: randomUUID(), storeId: A.store! });
    const forCustomers = new Set([
      'customer',
      'me',
      'order',
      'orderByNumber',
      'payment',
      'legalDocument',
      'legalDocuments',
      'currentStore',
    ]);
    const customerMutations = new Set([
      'updateCustomer',
      'addAddress',
      'updateAddress',
      'deleteAddress',
      'grantPermission',
      'revokePermission',
      'recordOrderFeedback',
      'useReferenceCode',
      ...STOREFRONT_MUTATIONS,
    ]);
    for (const field of queries) {
      const { query, variables } = operationFor('query', field);
      expect(
        codesOf(await graph.request(query, variables, { token: customer })).includes('FORBIDDEN'),
        `customer → ${field.name}`,
      ).toBe(!forCustomers.has(field.name));
      const asGuest = await graph.request(query, variables, { token: guest });
      expect(codesOf(asGuest).includes('FORBIDDEN'), `guest → ${field.name}: ${JSON.stringify(asGuest)}`).toBe(
        !['guestOrders', 'currentStore'].includes(field.name),
      );
    }
    for (const field of mutations) {
      const { query, variables } = operationFor('mutation', field);
      const asCustomer = codesOf(await graph.request(query, variables, { token: customer }));
      if (!customerMutations.has(field.name)) expect(asCustomer, `customer → ${field.name}`).toEqual(['FORBIDDEN']);
      const asGuest = codesOf(await graph.request(query, variables, { token: guest }));
      if (!STOREFRONT_MUTATIONS.has(field.name)) expect(asGuest, `guest → ${field.name}`).toEqual(['FORBIDDEN']);
      else expect(asGuest, `guest → ${field.name}`).not.toContain('FORBIDDEN');
    }
  });
});

/**
 * Subscribes over graphql-ws, runs `trigger`, and returns what arrived within a moment: the first
 * result, an error, or the close event of a refused connection.
 */
function subscribeOnce(
  token: string | null,
  operation: { query: string; variables: Record<string, unknown> },
  trigger?: () => Promise<unknown>,
) {
  return new Promise<unknown>((resolve) => {
    let done = false;
    const finish = (value: unknown) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      // The change that was to reach the subscriber has been made before the next step.
      void triggered.then(
        () => resolve(value),
        () => resolve(value),
      );
    };
    let triggered: Promise<unknown> = Promise.resolve();
    const client = createClient({
      url: graph.gatewayUrl.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: token ? { Authorization: `Bearer ${token}` } : {},
      retryAttempts: 0,
      on: {
        closed: (event) => finish({ code: (event as { code: number }).code }),
        connected: () => void (triggered = trigger?.() ?? triggered),
      },
    });
    clients.push(client);
    client.subscribe(operation, { next: finish, error: finish, complete: () => finish({ completed: true }) });
    const timer = setTimeout(() => finish({ nothing: true }), 3000);
  });
}
