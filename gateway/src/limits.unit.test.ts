import {
  GraphQLError,
  buildSchema,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  getIntrospectionQuery,
  parse,
  validate,
  type DocumentNode,
  type GraphQLObjectType,
  type OperationDefinitionNode,
} from 'graphql';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LIMITS,
  DEFAULT_PAGE_SIZE,
  LIST_BOUNDS,
  limitError,
  measureOperation,
  noIntrospection,
  requestLimits,
  requestLimitsPlugin,
  type OperationMeasure,
  type RequestLimits,
} from './limits.ts';

/** A small graph with the shapes the limits care about: connections (`first`), plain lists, interfaces. */
const schema = buildSchema(/* GraphQL */ `
  interface Node {
    id: ID!
  }
  type Query {
    customer(id: ID!): Customer
    customers(first: Int, after: String): CustomerConnection!
    node(id: ID!): Node
  }
  type Mutation {
    createCustomer(name: String!): Customer
  }
  type Customer implements Node {
    id: ID!
    name: String
    tags: [String!]!
    orders(first: Int): OrderConnection!
  }
  type CustomerConnection {
    totalCount: Int!
    edges: [CustomerEdge!]!
  }
  type CustomerEdge {
    cursor: String!
    node: Customer!
  }
  type OrderConnection {
    totalCount: Int!
    edges: [OrderEdge!]!
  }
  type OrderEdge {
    node: Order!
  }
  type Order implements Node {
    id: ID!
    number: String!
    items: [OrderItem!]!
    couponCodes: [String!]!
    related: [Order!]!
    statusHistory(first: Int = 20): [OrderItem!]!
    requests(first: Int = 10): [OrderItem!]!
  }
  type OrderItem {
    sku: String!
    quantity: Int!
  }
`);

function measure(
  source: string,
  variables: Record<string, unknown> = {},
  limits: Pick<RequestLimits, 'maxPageSize'> = { maxPageSize: 100 },
): OperationMeasure {
  const document = parse(source);
  expect(validate(schema, document)).toEqual([]);
  return measureOperation(schema, document, operationOf(document), variables, limits);
}

function operationOf(document: DocumentNode): OperationDefinitionNode {
  return document.definitions.find((definition) => definition.kind === 'OperationDefinition')!;
}

describe('measureOperation', () => {
  it('counts each field once and each nesting level, root fields being depth 1', () => {
    expect(measure(`{ customer(id: "1") { id name tags } }`)).toEqual({ depth: 2, aliases: 0, cost: 4 });
    expect(measure(`{ __typename }`)).toEqual({ depth: 1, aliases: 0, cost: 0 });
  });

  it('counts nothing for `__typename`, which clients with a normalised cache add everywhere', () => {
    const plain = `{ customers(first: 10) { edges { node { id orders(first: 3) { edges { node { number } } } } } } }`;
    const typed = `{ __typename customers(first: 10) { __typename edges { __typename node { __typename id orders(first: 3) { __typename edges { __typename node { __typename number } } } } } } }`;
    expect(measure(typed)).toEqual(measure(plain));
  });

  it('multiplies a connection’s selection by its `first`', () => {
    // 1 + 5 × (totalCount 1 + edges (1 + node (1 + id 1)))
    expect(measure(`{ customers(first: 5) { totalCount edges { node { id } } } }`)).toEqual({
      depth: 4,
      aliases: 0,
      cost: 1 + 5 * 4,
    });
  });

  it('counts a connection without `first` with the subgraphs’ default page size', () => {
    expect(DEFAULT_PAGE_SIZE).toBe(20);
    expect(measure(`{ customers { totalCount } }`).cost).toBe(1 + 20 * 1);
    // A literal that does not coerce fails at execution; until then it counts as the default.
    const document = parse(`{ customers(first: "ten") { totalCount } }`);
    expect(measureOperation(schema, document, operationOf(document), {}, { maxPageSize: 100 }).cost).toBe(21);
  });

  it('multiplies nested connections with each other, and a list of leaves not at all', () => {
    const query = `{ customers(first: 10) { edges { node { tags orders(first: 3) { edges { node { number } } } } } } }`;
    // orders: 1 + 3 × (edges 1 + (node 1 + number 1)) = 10; customer node: 1 + tags 1 + 10 = 12;
    // edges: 1 + 12 = 13; customers: 1 + 10 × 13.
    expect(measure(query)).toEqual({ depth: 7, aliases: 0, cost: 1 + 10 * 13 });
  });

  it('multiplies a list without `first` by its declared bound', () => {
    expect(LIST_BOUNDS['Order.items']).toBe(500);
    const items = `{ node(id: "1") { ... on Order { items { sku quantity } } } }`;
    // node 1 + items (1 + 500 × 2)
    expect(measure(items).cost).toBe(1 + 1 + 500 * 2);
    // Inside a connection of 10 orders: 1 + 10 × (edges 1 + (node 1 + items (1 + 500 × 1)))
    const page = `{ customer(id: "1") { orders(first: 10) { edges { node { items { sku } } } } } }`;
    expect(measure(page).cost).toBe(1 + 1 + 10 * (1 + 1 + (1 + 500)));
    // A list of leaves costs 1, whatever its bound.
    expect(measure(`{ node(id: "1") { ... on Order { couponCodes } } }`).cost).toBe(2);
    // A list the table forgot errs high: the page-size ceiling's 100.
    expect(measure(`{ node(id: "1") { ... on Order { related { id } } } }`).cost).toBe(1 + 1 + 100 * 1);
    // The alias-times-items document: 30 customers' 100 orders with their items.
    const aliased = `{ ${Array.from({ length: 30 }, (_, i) => `c${i}: customer(id: "${i}") { orders(first: 100) { edges { node { items { sku quantity } } } } }`).join(' ')} }`;
    const measured = measure(aliased);
    expect(measured.cost).toBe(30 * (1 + 1 + 100 * (1 + 1 + (1 + 500 * 2))));
    expect(limitError(measured, DEFAULT_LIMITS)).toMatchObject({
      extensions: { reason: 'MAX_COST', limit: DEFAULT_LIMITS.maxCost, actual: measured.cost },
    });
  });

  it('multiplies a list that takes `first` by it, its default when not given, never above its LIST_BOUNDS cap', () => {
    const history = (args: string) => `{ node(id: "1") { ... on Order { statusHistory${args} { sku } } } }`;
    expect(measure(history('(first: 5)')).cost).toBe(1 + 1 + 5);
    expect(measure(history('')).cost).toBe(1 + 1 + 20);
    // Order.requests is capped at 50 by commerce-history, below the page-size ceiling.
    expect(LIST_BOUNDS['Order.requests']).toBe(50);
    expect(measure(`{ node(id: "1") { ... on Order { requests(first: 80) { sku } } } }`).cost).toBe(1 + 1 + 50);
    expect(measure(`{ node(id: "1") { ... on Order { requests { sku } } } }`).cost).toBe(1 + 1 + 10);
  });

  it('reads `first` from the variables', () => {
    const query = `query($n: Int) { customers(first: $n) { totalCount } }`;
    expect(measure(query, { n: 7 }).cost).toBe(1 + 7);
    expect(measure(query, {}).cost).toBe(1 + DEFAULT_PAGE_SIZE);
    expect(measure(query, { n: null }).cost).toBe(1 + DEFAULT_PAGE_SIZE);
  });

  it('caps the multiplier at the page-size ceiling and zero, and reports the largest page over the ceiling', () => {
    const limits = { maxPageSize: 10 };
    const over = measure(
      `query($n: Int) { a: customers(first: 50) { totalCount } b: customers(first: $n) { totalCount } c: customers(first: 30) { totalCount } }`,
      { n: 80 },
      limits,
    );
    expect(over.cost).toBe(3 * (1 + 10));
    expect(over.pageSize).toMatchObject({ field: 'customers', value: 80 });
    // The node is b's argument, so the error points at `first: $n`.
    expect(over.pageSize?.node).toMatchObject({ kind: 'Argument', value: { kind: 'Variable', name: { value: 'n' } } });

    const within = measure(`{ customers(first: 10) { totalCount } }`, {}, limits);
    expect(within).toEqual({ depth: 2, aliases: 0, cost: 11 });
    expect(within.pageSize).toBeUndefined();
    expect(measure(`{ customers(first: 0) { totalCount } }`).cost).toBe(1);
    expect(measure(`{ customers(first: -5) { totalCount } }`).cost).toBe(1);
  });

  it('counts aliases, also inside selections', () => {
    expect(measure(`{ a: customer(id: "1") { id } b: customer(id: "2") { key: id name } }`)).toEqual({
      depth: 2,
      aliases: 3,
      cost: 2 + 3,
    });
  });

  it('counts a fragment where it is spread, each time it is spread', () => {
    const query = /* GraphQL */ `
      {
        first: customer(id: "1") {
          ...Card
        }
        second: customer(id: "2") {
          ...Card
        }
      }
      fragment Card on Customer {
        key: id
        orders(first: 2) {
          totalCount
        }
      }
    `;
    // Card: key 1 + orders (1 + 2 × 1) = 4
    expect(measure(query)).toEqual({ depth: 3, aliases: 2 + 2, cost: 2 * (1 + 4) });
  });

  it('follows inline fragments and types their fields by the type condition', () => {
    // Without the type condition, `orders` would not be known as a connection and cost 1 + 1.
    expect(measure(`{ node(id: "1") { id ... on Customer { orders { totalCount } } } }`)).toEqual({
      depth: 3,
      aliases: 0,
      cost: 1 + (1 + (1 + DEFAULT_PAGE_SIZE)),
    });
    expect(measure(`{ customer(id: "1") { ... { name } } }`).cost).toBe(2);
  });

  it('measures fragments spread exponentially without expanding them', () => {
    // Expanded, 22 levels would be millions of selections and take seconds.
    const levels = 22;
    const fragments = Array.from(
      { length: levels },
      (_, i) => `fragment F${i} on Customer { ...F${i + 1} ...F${i + 1} }`,
    ).join('\n');
    const document = parse(`{ customer(id: "1") { ...F0 } } ${fragments} fragment F${levels} on Customer { key: id }`);
    const started = performance.now();
    const result = measureOperation(schema, document, operationOf(document), {}, { maxPageSize: 100 });
    expect(result).toEqual({ depth: 2, aliases: 2 ** levels, cost: 1 + 2 ** levels });
    expect(performance.now() - started).toBeLessThan(250);
  });

  it('does not count the depth of introspection', () => {
    expect(measure(`{ __schema { types { name fields { name } } } }`).depth).toBe(0);
    expect(measure(`{ __type(name: "Customer") { name } customer(id: "1") { id } }`).depth).toBe(2);
    // The standard introspection query is deep through its fragments, but has no depth.
    expect(measure(getIntrospectionQuery()).depth).toBe(0);
    const query = `{ __schema { queryType { ...Named } } __type(name: "Query") { ...Named } } fragment Named on __Type { name }`;
    expect(measure(query)).toEqual({ depth: 0, aliases: 0, cost: 1 + (1 + 1) + (1 + 1) });
  });

  it('leaves out what @skip and @include leave out, with their variables', () => {
    expect(measure(`{ customer(id: "1") { id name @skip(if: true) } }`).cost).toBe(2);
    expect(measure(`{ customer(id: "1") { id name @include(if: false) } }`).cost).toBe(2);
    const query = `query($skip: Boolean!, $include: Boolean!) {
      customers(first: 100) @skip(if: $skip) { totalCount }
      a: customer(id: "1") @include(if: $include) { id }
    }`;
    expect(measure(query, { skip: true, include: false })).toEqual({ depth: 0, aliases: 0, cost: 0 });
    expect(measure(query, { skip: false, include: true })).toEqual({ depth: 2, aliases: 1, cost: 101 + 2 });
  });

  it('measures a mutation against the mutation type', () => {
    // `orders` is known as a connection only if `createCustomer` is looked up on Mutation.
    expect(measure(`mutation { createCustomer(name: "Ada") { id orders { totalCount } } }`)).toEqual({
      depth: 3,
      aliases: 0,
      cost: 1 + 1 + (1 + DEFAULT_PAGE_SIZE),
    });
  });
});

describe('LIST_BOUNDS', () => {
  const supergraph = buildSchema(readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8'), {
    assumeValid: true,
    assumeValidSDL: true,
  });
  const fields = Object.values(supergraph.getTypeMap())
    .filter((type) => (isObjectType(type) || isInterfaceType(type)) && !/^(__|join__|link__)/.test(type.name))
    .flatMap((type) => Object.values((type as GraphQLObjectType).getFields()).map((field) => ({ type, field })));

  it('bounds every list field of the supergraph that takes no `first`', () => {
    const unbounded = fields
      .filter(({ field }) => isListType(getNullableType(field.type)))
      .filter(({ field }) => !field.args.some((arg) => arg.name === 'first'))
      .filter(({ type, field }) => !(field.name === 'edges' && type.name.endsWith('Connection')))
      .map(({ type, field }) => `${type.name}.${field.name}`)
      .filter((key) => LIST_BOUNDS[key] === undefined);
    expect(unbounded).toEqual([]);
  });

  it('has no entry for a field the supergraph does not have, and every connection takes `first`', () => {
    const keys = new Set(fields.map(({ type, field }) => `${type.name}.${field.name}`));
    expect(Object.keys(LIST_BOUNDS).filter((key) => !keys.has(key))).toEqual([]);
    const pagedWithout = fields
      .filter(({ field }) => (getNullableType(field.type) as { name?: string }).name?.endsWith('Connection'))
      .filter(({ field }) => !field.args.some((arg) => arg.name === 'first'))
      .map(({ type, field }) => `${type.name}.${field.name}`);
    expect(pagedWithout).toEqual([]);
  });
});

describe('limitError', () => {
  const limits: RequestLimits = { ...DEFAULT_LIMITS, maxDepth: 3, maxAliases: 2, maxCost: 50, maxPageSize: 10 };

  it('is undefined when every measure is within its limit (limits inclusive)', () => {
    expect(limitError({ depth: 3, aliases: 2, cost: 50 }, limits)).toBeUndefined();
  });

  it('reports depth, then aliases, then cost, as validation errors with limit and actual', () => {
    const depth = limitError({ depth: 4, aliases: 3, cost: 51 }, limits)!;
    expect(depth).toBeInstanceOf(GraphQLError);
    expect(depth.message).toBe('Query depth 4 exceeds the maximum of 3');
    expect(depth.extensions).toEqual({
      code: 'GRAPHQL_VALIDATION_FAILED',
      reason: 'MAX_DEPTH',
      limit: 3,
      actual: 4,
      http: { status: 400 },
    });
    expect(limitError({ depth: 1, aliases: 3, cost: 51 }, limits)).toMatchObject({
      message: '3 aliases exceed the maximum of 2 per operation',
      extensions: { reason: 'MAX_ALIASES', limit: 2, actual: 3 },
    });
    expect(limitError({ depth: 1, aliases: 0, cost: 51 }, limits)).toMatchObject({
      message: expect.stringMatching(/^Query cost 51 exceeds the maximum of 50 /),
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', reason: 'MAX_COST', limit: 50, actual: 51 },
    });
  });

  it('reports a page size first, as the subgraphs’ BAD_USER_INPUT at the argument', () => {
    const document = parse(`{ customers(first: 1000) { totalCount } }`);
    const measured = measureOperation(schema, document, operationOf(document), {}, limits);
    const error = limitError({ ...measured, depth: 99 }, limits)!;
    expect(error.message).toBe('Invalid first of "customers": must be at most 10, got 1000');
    expect(error.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'first', message: 'must be at most 10' }],
      reason: 'MAX_PAGE_SIZE',
      limit: 10,
      actual: 1000,
      http: { status: 400 },
    });
    expect(error.locations).toEqual([{ line: 1, column: 13 }]);
  });
});

describe('requestLimitsPlugin', () => {
  async function resolveOperation(source: string, variables: Record<string, unknown>, limits: RequestLimits) {
    const document = parse(source);
    const hooks = await requestLimitsPlugin(limits).requestDidStart!({} as never);
    const context = { schema, document, operation: operationOf(document), request: { variables } };
    await hooks!.didResolveOperation!(context as never);
  }

  it('measures with the coerced variables, defaults included', async () => {
    const limits = { ...DEFAULT_LIMITS, maxCost: 30 };
    const query = `query($n: Int = 40) { customers(first: $n) { totalCount } }`;
    await expect(resolveOperation(query, {}, limits)).rejects.toMatchObject({
      extensions: { reason: 'MAX_COST', actual: 41 },
    });
    await expect(resolveOperation(query, { n: 10 }, limits)).resolves.toBeUndefined();
    // Variables that do not coerce are not measured: the gateway refuses them before planning.
    await expect(
      resolveOperation(`query($n: Int) { customers(first: $n) { totalCount } }`, { n: 'x' }, limits),
    ).resolves.toBeUndefined();
    // Measuring `@include(if: $v)` without its variable would throw.
    const directive = `query($v: Boolean!) { customers(first: 100) @include(if: $v) { totalCount } }`;
    for (const variables of [{}, { v: 'yes' }, { v: null }]) {
      await expect(resolveOperation(directive, variables, limits)).resolves.toBeUndefined();
    }
  });
});

describe('requestLimits', () => {
  it('ignores blank environment values and never reads the page size from the environment', () => {
    expect(requestLimits({}, { MAX_QUERY_DEPTH: '  ', MAX_PAGE_SIZE: '5' })).toEqual(DEFAULT_LIMITS);
    expect(requestLimits({ maxPageSize: 50 }, {}).maxPageSize).toBe(50);
  });

  it('refuses values that are not positive integers, naming where they came from', () => {
    expect(() => requestLimits({}, { MAX_BODY_BYTES: '1.5' })).toThrow(
      'MAX_BODY_BYTES must be a positive integer, got "1.5"',
    );
    expect(() => requestLimits({ maxAliases: -1 }, {})).toThrow(
      'The maxAliases option must be a positive integer, got -1',
    );
  });
});

describe('noIntrospection', () => {
  it('refuses __schema and __type but not __typename', () => {
    const errors = validate(schema, parse(`{ __typename __type(name: "Customer") { name } }`), [noIntrospection]);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED', reason: 'INTROSPECTION_DISABLED' });
    expect(errors[0]!.locations).toEqual([{ line: 1, column: 14 }]);
    expect(validate(schema, parse(`{ __schema { queryType { name } } }`), [noIntrospection])).toHaveLength(1);
    expect(validate(schema, parse(`{ __typename customer(id: "1") { __typename } }`), [noIntrospection])).toEqual([]);
  });
});
