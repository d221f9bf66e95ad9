import { readFileSync } from 'node:fs';
import {
  ApolloClient,
  HttpLink,
  InMemoryCache,
  gql,
  setLogVerbosity,
  type ObservableQuery,
  type OperationVariables,
} from '@apollo/client/core';
import { loadDevMessages, loadErrorMessages } from '@apollo/client/dev';
import {
  Kind,
  TypeInfo,
  buildSchema,
  getNamedType,
  isObjectType,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
} from 'graphql';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestGraph, type TestGraph, type TestStore, operationNamed } from '@cg/testing';
import { EXAMPLE_OPERATIONS } from '@cg/gateway';

/**
 * A back-office client on Apollo Client 3's default normalised cache: the README's customer detail,
 * the explorer's customer list paged with fetchMore, then `adjustWallet`, `updateCustomer` and `addAddress`.
 * The cache must update from the mutations' answers alone, without a warning and without asking again.
 */

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const SUPERGRAPH = buildSchema(readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8'), {
  assumeValidSDL: true,
});

/**
 * Where an operation leaves out the `id` of an object type that has one: a normalised cache cannot
 * identify that object, so the README's and the explorer's examples select every such `id`.
 */
function missingIds(document: DocumentNode): string[] {
  const typeInfo = new TypeInfo(SUPERGRAPH);
  const missing: string[] = [];
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      SelectionSet(selectionSet, _key, parent) {
        if ((parent as { kind?: string } | undefined)?.kind !== Kind.FIELD) return;
        const type = getNamedType(typeInfo.getType());
        if (!isObjectType(type) || !type.getFields().id) return;
        const selectsId = selectionSet.selections.some(
          (selection) => selection.kind === Kind.FIELD && selection.name.value === 'id' && !selection.alias,
        );
        if (!selectsId) missing.push(`${(parent as FieldNode).name.value}: ${type.name}`);
      },
    }),
  );
  return missing;
}

const CUSTOMER_DETAIL = gql(operationNamed('CustomerDetail', README));
const CUSTOMER_LIST = gql(operationNamed('CustomerList', EXAMPLE_OPERATIONS));

/** The wallet section of the detail, asked for again in the mutation's answer. */
const ADJUST_WALLET = gql`
  mutation AdjustWallet($input: AdjustWalletInput!) {
    adjustWallet(input: $input) {
      entry {
        id
      }
      wallet {
        id
        balance {
          amount
          currency
        }
        entries(first: 10) {
          edges {
            node {
              id
              kind
              amount {
                amount
                currency
              }
              reason
              expiresAt
              createdAt
            }
          }
        }
      }
      customer {
        id
        wallet {
          id
        }
        metrics {
          id
          walletBalance {
            amount
            currency
          }
        }
      }
    }
  }
`;

const UPDATE_CUSTOMER = gql`
  mutation UpdateCustomer($id: ID!, $input: UpdateCustomerInput!) {
    updateCustomer(id: $id, input: $input) {
      id
      fullName
    }
  }
`;

/** A new address and its customer's list of them, as the detail shows it. */
const ADD_ADDRESS = gql`
  mutation AddAddress($customerId: ID!, $input: AddAddressInput!) {
    addAddress(customerId: $customerId, input: $input) {
      id
      customer {
        id
        addresses(first: 10) {
          edges {
            node {
              id
              kind
              label
              line1
              city
              country
              isDefault
            }
          }
        }
      }
    }
  }
`;

let graph: TestGraph;
let store: TestStore;
let customerId: string;

beforeAll(async () => {
  graph = await startTestGraph();
  store = await graph.createStore('Apollo store', { currency: 'EUR' });
  customerId = (await store.createCustomer({ firstName: 'Ada', lastName: 'Lovelace' })).id;
  // More active customers than the list's page of 20, so that fetchMore has a second page.
  for (let i = 0; i < 24; i += 1) await store.createCustomer({ firstName: 'Other', lastName: `Customer ${i}` });
  await store.data(
    `mutation($id: ID!) { adjustWallet(input: { customerId: $id, amount: 5000, currency: "EUR", reason: "Welcome credit" }) { entry { id } } }`,
    { id: customerId },
  );
});
afterAll(() => graph?.close());

describe('Apollo Client with a default InMemoryCache', () => {
  const messages: string[] = [];
  const requests: string[] = [];

  beforeAll(() => {
    loadDevMessages();
    loadErrorMessages();
    setLogVerbosity('log');
    for (const method of ['log', 'info', 'warn', 'error'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        messages.push(`console.${method}: ${args.map(String).join(' ')}`);
      });
    }
  });
  afterEach(() => vi.restoreAllMocks());

  function client() {
    const countingFetch: typeof fetch = (input, init) => {
      requests.push((JSON.parse(String(init?.body)) as { operationName: string }).operationName);
      return fetch(input, init);
    };
    return new ApolloClient({
      cache: new InMemoryCache(),
      link: new HttpLink({
        uri: graph.gatewayUrl,
        headers: { authorization: `Bearer ${store.token}` },
        fetch: countingFetch,
      }),
    });
  }

  /** The next result of a watched query, once it has data from the network or the cache. */
  function settled<T, V extends OperationVariables>(observable: ObservableQuery<T, V>): Promise<T> {
    return new Promise((resolve, reject) => {
      const subscription = observable.subscribe({
        next: (result) => {
          if (result.loading) return;
          subscription.unsubscribe();
          if (result.error) reject(result.error);
          else resolve(result.data);
        },
        error: reject,
      });
    });
  }

  /** Lets anything the cache started (a refetch of a watched query) reach the link. */
  const idle = () => new Promise((resolve) => setTimeout(resolve, 100));

  it('runs operations that select the id of every object that has one', () => {
    const operations = {
      CUSTOMER_DETAIL,
      ADJUST_WALLET,
      UPDATE_CUSTOMER,
      ADD_ADDRESS,
      'the explorer examples': gql(EXAMPLE_OPERATIONS),
    };
    for (const [name, document] of Object.entries(operations)) expect(missingIds(document), name).toEqual([]);
  });

  it('updates the detail and the list from the mutations alone, without warnings', async () => {
    const apollo = client();
    const detail = apollo.watchQuery({ query: CUSTOMER_DETAIL, variables: { id: customerId } });
    const detailSubscription = detail.subscribe({ next: () => {}, error: () => {} });
    const list = apollo.watchQuery({ query: CUSTOMER_LIST });
    const listSubscription = list.subscribe({ next: () => {}, error: () => {} });

    const shown = (await settled(detail)) as { customer: { wallet: { balance: unknown } } };
    expect(shown.customer.wallet.balance).toEqual({ __typename: 'Money', amount: 5000, currency: 'EUR' });
    const firstPage = (await settled(list)) as {
      customers: { pageInfo: { hasNextPage: boolean; endCursor: string }; edges: { node: { id: string } }[] };
    };
    expect(firstPage.customers.pageInfo.hasNextPage).toBe(true);
    const more = await list.fetchMore({ variables: { after: firstPage.customers.pageInfo.endCursor } });
    const listed = [...firstPage.customers.edges, ...more.data.customers.edges].map((edge) => edge.node.id);
    expect(listed).toHaveLength(25);
    expect(listed).toContain(customerId);
    await idle();
    expect(requests).toEqual(['CustomerDetail', 'CustomerList', 'CustomerList']);

    const adjusted = await apollo.mutate({
      mutation: ADJUST_WALLET,
      variables: { input: { customerId, amount: -1200, currency: 'EUR', reason: 'Goodwill refund reversed' } },
    });
    expect(adjusted.errors).toBeUndefined();
    const updated = await apollo.mutate({
      mutation: UPDATE_CUSTOMER,
      variables: { id: customerId, input: { firstName: 'Augusta Ada' } },
    });
    expect(updated.errors).toBeUndefined();
    const added = await apollo.mutate({
      mutation: ADD_ADDRESS,
      variables: {
        customerId,
        input: {
          kind: 'DELIVERY',
          recipient: 'Ada Lovelace',
          line1: 'St James’s Square 12',
          city: 'London',
          country: 'GB',
        },
      },
    });
    expect(added.errors).toBeUndefined();
    await idle();
    // Each mutation is the only request after it: nothing was refetched.
    expect(requests).toEqual([
      'CustomerDetail',
      'CustomerList',
      'CustomerList',
      'AdjustWallet',
      'UpdateCustomer',
      'AddAddress',
    ]);

    const cached = apollo.readQuery({ query: CUSTOMER_DETAIL, variables: { id: customerId } }) as {
      customer: {
        fullName: string;
        addresses: { edges: { node: { city: string; isDefault: boolean } }[] };
        wallet: { balance: unknown; entries: { edges: { node: { reason: string; amount: { amount: number } } }[] } };
      };
    };
    expect(cached.customer.fullName).toBe('Augusta Ada Lovelace');
    expect(cached.customer.addresses.edges.map((edge) => edge.node.city)).toEqual(['London']);
    expect(cached.customer.wallet.balance).toEqual({ __typename: 'Money', amount: 3800, currency: 'EUR' });
    expect(cached.customer.wallet.entries.edges.map((edge) => [edge.node.reason, edge.node.amount.amount])).toEqual([
      ['Goodwill refund reversed', -1200],
      ['Welcome credit', 5000],
    ]);
    // The list's pages show the same customer and wallet objects.
    type Page = { customers: { edges: { node: { id: string; fullName: string; wallet: { balance: unknown } } }[] } };
    const pages = [{}, { after: firstPage.customers.pageInfo.endCursor }].map(
      (variables) => apollo.readQuery({ query: CUSTOMER_LIST, variables }) as Page,
    );
    const row = pages.flatMap((page) => page.customers.edges).find((edge) => edge.node.id === customerId)?.node;
    expect(row?.fullName).toBe('Augusta Ada Lovelace');
    expect(row?.wallet.balance).toEqual({ __typename: 'Money', amount: 3800, currency: 'EUR' });

    detailSubscription.unsubscribe();
    listSubscription.unsubscribe();
    apollo.stop();
    expect(messages).toEqual([]);
  });
});
