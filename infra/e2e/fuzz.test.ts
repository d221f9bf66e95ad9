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
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLOutputType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  idOf,
  oneOfEach,
  startTestGraph,
  type GraphQLResponse,
  type RecordIds,
  type TestGraph,
  type TestStore,
} from '@cg/testing';
import { SUPERGRAPH_PATH } from '@cg/gateway';

/**
 * Hostile values for every argument (and every field of an input argument) of every root query and
 * mutation of schema/supergraph.graphql, sent through the gateway with the owner's token: none may
 * answer a 5xx, INTERNAL_SERVER_ERROR or a message with SQL in it, and a refused mutation writes
 * nothing (row counts of every subgraph table, outboxes included, are the same before and after).
 */
const supergraph = buildSchema(readFileSync(SUPERGRAPH_PATH, 'utf8'), { assumeValidSDL: true });
const rootFields = (type: 'Query' | 'Mutation'): GraphQLField<unknown, unknown>[] => {
  const root = supergraph.getType(type);
  return isObjectType(root) ? Object.values(root.getFields()) : [];
};
/** Mutations that destroy the records the others work on go last. */
const LAST = ['deleteAddress', 'deleteSegment', 'deleteStaffRole', 'removeStaffMember', 'eraseCustomer'];
const queries = rootFields('Query');
const mutations = rootFields('Mutation').sort(
  (a, b) => LAST.indexOf(a.name) - LAST.indexOf(b.name) || a.name.localeCompare(b.name),
);

const SCHEMAS = ['customer', 'commerce_history', 'engagement', 'consent'];
const SQL_WORDS = ['select ', 'insert ', 'update ', 'where ', 'params', 'delete from'];
const BIG = 'a'.repeat(990_000);
const A: RecordIds = {};
let graph: TestGraph;
let store: TestStore;

const idFor = (argName: string, typeName: string) => idOf(A, argName, typeName);

/** A plausible value, so that what is refused is the one hostile value of each case. */
function valueFor(name: string, type: GraphQLInputType, parentType: string): unknown {
  if (isNonNullType(type)) return valueFor(name, type.ofType, parentType);
  if (isListType(type)) {
    if (name === 'storeIds') return [A.store];
    if (name === 'numbers') return [A.orderNumber];
    return [valueFor(name, type.ofType, parentType)];
  }
  if (isEnumType(type)) return type.getValues()[0]!.value;
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields()).filter((field) => isNonNullType(field.type));
    return Object.fromEntries(fields.map((field) => [field.name, valueFor(field.name, field.type, parentType)]));
  }
  if (isScalarType(type) && type.name === 'ID') return idFor(name, parentType);
  const byName: Record<string, unknown> = {
    currency: 'EUR',
    email: 'fuzz@a.example',
    country: 'NL',
    number: A.orderNumber,
    key: 'terms',
  };
  if (name in byName) return byName[name];
  switch ((type as { name: string }).name) {
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

function selectionFor(type: GraphQLOutputType): string {
  const named = getNamedType(type);
  if (!isObjectType(named)) return '';
  const fields = named.getFields();
  const parts = ['__typename'];
  if (fields.id) parts.push('id');
  if (fields.edges) parts.push('edges { cursor }');
  return `{ ${parts.join(' ')} }`;
}

/** Every place a value can go: an argument, or a field (at any depth) of an input argument. */
interface Slot {
  path: string[];
  type: GraphQLInputType;
}
function slotsOf(path: string[], type: GraphQLInputType, depth = 0): Slot[] {
  const slots: Slot[] = [{ path, type }];
  const named = getNamedType(type);
  if (isInputObjectType(named) && depth < 3) {
    for (const field of Object.values(named.getFields()))
      slots.push(...slotsOf([...path, field.name], field.type, depth + 1));
  }
  return slots;
}

function cursorsFrom(real: string | undefined): string[] {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const forged = [
    encode(['createdAt:desc', '2020-02-30', randomUUID()]),
    encode(['createdAt:desc', '1', randomUUID()]),
    encode(['name:asc', 'a\u0000', randomUUID()]),
    encode({ sort: 'x' }),
    'not a cursor',
    Buffer.from([0xff, 0xfe]).toString('base64url'),
  ];
  if (!real) return forged;
  const [sort, ...values] = JSON.parse(Buffer.from(real, 'base64url').toString('utf8')) as unknown[];
  const dated = (date: unknown) =>
    encode([sort, ...values.map((value) => (typeof value === 'string' && /^\d{4}-/.test(value) ? date : value))]);
  return [
    ...forged,
    dated('2020-02-30'),
    dated('1'),
    dated('2020-02-30T00:00:00.000Z'),
    encode([sort, ...values, 'extra']), // wrong arity
    encode([sort, ...values.slice(1)]),
    encode([`${String(sort)}x`, ...values]), // wrong sort name
    encode([sort, ...values.map((value) => (typeof value === 'number' ? 2 ** 64 : value))]),
    encode([sort, ...values.map((value) => (typeof value === 'string' ? value.toUpperCase() : value))]),
  ];
}

/** The hostile values of a slot, by its type and name. */
function hostile(slot: Slot, real: string | undefined, validId: unknown): unknown[] {
  const named = getNamedType(slot.type);
  const name = slot.path.at(-1)!;
  const values: unknown[] = [{ wrong: 'type' }];
  if (isListType(isNonNullType(slot.type) ? slot.type.ofType : slot.type)) values.push([null], [{}]);
  if (isEnumType(named)) values.push('NOT_A_VALUE', 1);
  if (isInputObjectType(named)) values.push('x', [1]);
  if (isScalarType(named)) {
    if (['String', 'ID', 'EmailAddress', 'PhoneNumber'].includes(named.name) || named.name.endsWith('String')) {
      values.push(1.5, 'a\u0000b', '\u0000', 'x\uD800', '\uDC00', BIG);
    } else if (['Int', 'SafeInt', 'Float'].includes(named.name)) {
      values.push('1', 2 ** 53, -(2 ** 31) - 1, 1.5, Number.MAX_VALUE);
    } else if (named.name === 'Boolean') {
      values.push('true', 0);
    } else {
      values.push('2020-02-30', '1', 'a\u0000b', 'x\uD800', -1);
    }
    if (named.name === 'ID' && typeof validId === 'string') values.push(validId.toUpperCase(), ` ${validId}`);
    if (named.name === 'String' && (name === 'after' || name.endsWith('After'))) values.push(...cursorsFrom(real));
  }
  return values;
}

function setAt(target: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  const [head, ...rest] = path;
  if (!rest.length) return { ...target, [head!]: value };
  const inner = target[head!];
  return {
    ...target,
    [head!]: setAt(
      inner && typeof inner === 'object' && !Array.isArray(inner) ? (inner as Record<string, unknown>) : {},
      rest,
      value,
    ),
  };
}
const getAt = (target: unknown, path: string[]): unknown =>
  path.reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], target);

interface Case {
  field: GraphQLField<unknown, unknown>;
  query: string;
  variables: Record<string, unknown>;
  label: string;
  /** The one error code a directive case must get. */
  code?: string;
}

function operationFor(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>) {
  const parentType = getNamedType(field.type).name;
  const base = Object.fromEntries(
    field.args
      .filter((arg) => isNonNullType(arg.type))
      .map((arg) => [arg.name, valueFor(arg.name, arg.type, parentType)]),
  );
  const declared = field.args.map((arg) => `$${arg.name}: ${arg.type.toString()}`).join(', ');
  const passed = field.args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  const query = `${kind} Fuzz${declared ? `(${declared})` : ''} { ${field.name}${passed ? `(${passed})` : ''} ${selectionFor(field.type)} }`;
  return { query, base, parentType };
}

function casesFor(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>, real?: string): Case[] {
  const { query, base, parentType } = operationFor(kind, field);
  const cases: Case[] = [];
  for (const arg of field.args) {
    for (const slot of slotsOf([arg.name], arg.type)) {
      const valid = getAt(base, slot.path) ?? valueFor(slot.path.at(-1)!, slot.type, parentType);
      for (const value of hostile(slot, real, valid)) {
        const variables = setAt(base, slot.path, value);
        const shown =
          typeof value === 'string' && value.length > 40 ? `<${value.length} chars>` : JSON.stringify(value);
        cases.push({ field, query, variables, label: `${field.name}(${slot.path.join('.')}: ${shown})` });
      }
    }
  }
  return cases;
}

/** Directives whose variable is missing or not a Boolean. */
function directiveCases(field: GraphQLField<unknown, unknown>): Case[] {
  const { base } = operationFor('query', field);
  const declared = field.args.map((arg) => `$${arg.name}: ${arg.type.toString()}`);
  const passed = field.args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  const cases: Case[] = [];
  for (const directive of ['include', 'skip']) {
    for (const [variableType, variables] of [
      ['Boolean!', {}],
      ['Boolean!', { v: 'yes' }],
      ['Boolean!', { v: 1 }],
      ['Boolean!', { v: null }],
      // A nullable variable where `if: Boolean!` is expected makes the document itself invalid.
      ['Boolean', { v: null }],
    ] as const) {
      const query = `query Fuzz(${[...declared, `$v: ${variableType}`].join(', ')}) { ${field.name}${passed ? `(${passed})` : ''} @${directive}(if: $v) ${selectionFor(field.type)} }`;
      cases.push({
        field,
        query,
        variables: { ...base, ...variables },
        label: `${field.name} @${directive}(if: ${JSON.stringify(variables)}) as ${variableType}`,
        code: variableType === 'Boolean' ? 'GRAPHQL_VALIDATION_FAILED' : 'BAD_USER_INPUT',
      });
    }
  }
  return cases;
}

/** What must hold of every answer, hostile or not. */
function check(label: string, response: GraphQLResponse): void {
  expect(response.status, label).toBeLessThan(500);
  const codes = (response.errors ?? []).map((error) => error.extensions?.code);
  expect(codes, `${label}: ${JSON.stringify(response.errors)}`).not.toContain('INTERNAL_SERVER_ERROR');
  const messages = JSON.stringify(response.errors ?? []).toLowerCase();
  for (const word of SQL_WORDS) expect(messages, label).not.toContain(word);
}

async function send(query: string, variables: Record<string, unknown>): Promise<GraphQLResponse> {
  const response = await fetch(graph.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${store.token}` },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  let body: Omit<GraphQLResponse, 'status'> = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    body = { errors: [{ message: text }] };
  }
  return { status: response.status, ...body };
}

/** A few at a time: enough to be quick, not so many that the machine's other work suffers. */
async function inBatches<T>(items: T[], size: number, run: (item: T) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += size) await Promise.all(items.slice(start, start + size).map(run));
}

let countsQuery = '';
async function fingerprint(): Promise<Record<string, number>> {
  const sql = graph.graph.subgraphs.customer.db.sql;
  if (!countsQuery) {
    const tables = await sql<{ schema: string; name: string }[]>`
      select table_schema as schema, table_name as name from information_schema.tables
      where table_type = 'BASE TABLE' and table_schema in ${sql(SCHEMAS)}
      order by 1, 2`;
    countsQuery = `select ${tables
      .map(
        (table) => `(select count(*)::int from "${table.schema}"."${table.name}") as "${table.schema}.${table.name}"`,
      )
      .join(', ')}`;
  }
  const [row] = await sql.unsafe(countsQuery);
  return row as Record<string, number>;
}
const settled = () => eventually(async () => expect(await graph.undelivered()).toBe(0));

beforeAll(async () => {
  graph = await startTestGraph();
  store = await graph.createStore('Fuzzed store');
  Object.assign(A, await oneOfEach(store, { orderNumber: 'FUZZ000001', firstName: 'Fay', email: 'fay@fuzz.example' }));
  await settled();
}, 60_000);

afterAll(async () => {
  await graph?.close();
});

describe('hostile arguments of every root field', () => {
  it('watches a customer named by its id in upper case, as in lower case', async () => {
    const upper = A.Customer!.toUpperCase();
    const response = await store.request(`mutation($c: ID!) { watchCustomer(customerId: $c) { id watched } }`, {
      c: upper,
    });
    expect(response).toEqual({ status: 200, data: { watchCustomer: { id: A.Customer, watched: true } } });
    const again = await store.data(`mutation($c: ID!) { unwatchCustomer(customerId: $c) { id watched } }`, {
      c: upper,
    });
    expect(again).toEqual({ unwatchCustomer: { id: A.Customer, watched: false } });
    await settled();
  });

  it('answers every hostile query without a 5xx, an internal error or SQL', async () => {
    const cases: Case[] = [];
    for (const field of queries) {
      // A real cursor of the list, to forge others from.
      const { query, base } = operationFor('query', field);
      const first = await send(query, base);
      check(field.name, first);
      const cursor = (first.data?.[field.name] as { edges?: { cursor: string }[] } | undefined)?.edges?.[0]?.cursor;
      cases.push(...casesFor('query', field, cursor));
    }
    expect(cases.length).toBeGreaterThan(400);
    await inBatches(cases, 4, async ({ label, query, variables }) => check(label, await send(query, variables)));
  });

  // The gateway coerces an operation's variables before its limits measure it, directives included.
  it('answers directives with a missing or mistyped variable with BAD_USER_INPUT', async () => {
    const cases = queries.flatMap(directiveCases);
    await inBatches(cases, 4, async ({ label, query, variables, code }) => {
      const response = await send(query, variables);
      check(label, response);
      expect(response.status, label).toBe(200);
      expect(
        response.errors?.map((error) => error.extensions?.code),
        label,
      ).toEqual([code]);
    });
  });

  it('answers every hostile mutation so, and a refused one writes nothing', async () => {
    const cases = mutations.flatMap((field) => casesFor('mutation', field));
    expect(cases.length).toBeGreaterThan(500);
    let refused = 0;
    let before = await fingerprint();
    for (const { field, label, query, variables } of cases) {
      const response = await send(query, variables);
      check(label, response);
      if (response.data?.[field.name] == null) {
        refused += 1;
        expect(await fingerprint(), label).toEqual(before);
      } else {
        // It did what it was asked: what it set off is delivered before the next comparison.
        await settled();
        before = await fingerprint();
      }
    }
    expect(refused).toBeGreaterThan(cases.length / 2);
    // Every mutation of the supergraph, each case one request, and settling after those that write.
  }, 180_000);
});
