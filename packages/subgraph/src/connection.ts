import { Field, Int, ObjectType, ArgsType, Directive, type ClassType } from 'type-graphql';
import { Shopper } from './audience.ts';
import { invalidField } from './errors.ts';

@Directive('@shareable')
@ObjectType({ description: 'Relay-style page information of a cursor connection.' })
export class PageInfo {
  @Shopper()
  @Field(() => Boolean)
  hasNextPage!: boolean;
  @Shopper()
  @Field(() => Boolean)
  hasPreviousPage!: boolean;
  @Shopper()
  @Field(() => String, { nullable: true })
  startCursor!: string | null;
  @Shopper()
  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

/** Page sizes: from one item (a phone's short lists) to 100; 20 when `first` is not given. */
export const PAGE_SIZE = { min: 1, max: 100, default: 20 } as const;

@ArgsType()
export class PageArgs {
  @Shopper()
  @Field(() => Int, {
    nullable: true,
    description: `Page size, ${PAGE_SIZE.min}–${PAGE_SIZE.max} (default ${PAGE_SIZE.default}).`,
  })
  first?: number | null;

  @Shopper()
  @Field(() => String, { nullable: true, description: 'Cursor of the last edge of the previous page.' })
  after?: string | null;
}

export function pageSize(first: number | null | undefined, field = 'first'): number {
  if (first === null || first === undefined) return PAGE_SIZE.default;
  if (!Number.isInteger(first) || first < PAGE_SIZE.min || first > PAGE_SIZE.max) {
    throw invalidField(field, `must be between ${PAGE_SIZE.min} and ${PAGE_SIZE.max}`);
  }
  return first;
}

/**
 * Cursors are opaque to clients: base64url of the sort's name and the row's sort key. The sort
 * name is checked on the way back so a cursor taken under one ordering cannot page another.
 */
export function encodeCursor(sort: string, key: readonly unknown[]): string {
  return Buffer.from(JSON.stringify([sort, ...key])).toString('base64url');
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A cursor is taken back only exactly as `encodeCursor` writes it: canonical base64url of valid
 * UTF-8 of the JSON it would print again, with this list's sort name and as many values as its key.
 */
export function decodeCursor(cursor: string, sort: string, arity: number, field = 'after'): unknown[] {
  const refuse = () => invalidField(field, 'is not a cursor of this list');
  if (!BASE64URL.test(cursor)) throw refuse();
  const bytes = Buffer.from(cursor, 'base64url');
  if (bytes.toString('base64url') !== cursor) throw refuse();
  let parsed: unknown;
  try {
    const json = UTF8.decode(bytes);
    parsed = JSON.parse(json);
    if (JSON.stringify(parsed) !== json) throw refuse();
  } catch {
    throw refuse();
  }
  if (!Array.isArray(parsed) || parsed[0] !== sort || parsed.length !== arity + 1) throw refuse();
  return parsed.slice(1);
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface ConnectionResult<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  /** Lazy, so that the count runs only when the field is selected. */
  totalCount: number | PromiseLike<number>;
}

/**
 * A thenable that starts its work on the first `then`: GraphQL awaits a field's value only when
 * the field is selected, so an unselected `totalCount` never reaches the database.
 */
export function lazy<T>(run: () => Promise<T>): PromiseLike<T> {
  let started: Promise<T> | undefined;
  return {
    then(onFulfilled, onRejected) {
      started ??= run();
      return started.then(onFulfilled, onRejected);
    },
  };
}

/** Builds a connection from a page fetched with `limit = first + 1`. */
export function toConnection<T>(
  rows: T[],
  options: {
    first: number;
    after?: string | null;
    cursorOf: (row: T) => string;
    totalCount: number | PromiseLike<number>;
  },
): ConnectionResult<T> {
  const page = rows.slice(0, options.first);
  const edges = page.map((node) => lazyEdge(node, options.cursorOf));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > options.first,
      hasPreviousPage: Boolean(options.after),
      get startCursor() {
        return edges[0]?.cursor ?? null;
      },
      get endCursor() {
        return edges.at(-1)?.cursor ?? null;
      },
    },
    totalCount: options.totalCount,
  };
}

/**
 * An edge whose cursor is encoded when read: GraphQL reads it only when `cursor` (or a page's
 * start or end cursor) is selected, and a list of 50 customers' counts selects none of them.
 */
function lazyEdge<T>(node: T, cursorOf: (row: T) => string): Edge<T> {
  let cursor: string | undefined;
  return {
    node,
    get cursor() {
      return (cursor ??= cursorOf(node));
    },
  };
}

/** Declares `<Name>Connection` and `<Name>Edge` object types for a node type. */
export function Connection<T extends object>(node: ClassType<T>, name = node.name) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Shopper()
    @Field(() => String)
    cursor!: string;
    @Shopper()
    @Field(() => node)
    node!: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionType {
    @Shopper()
    @Field(() => [EdgeType])
    edges!: EdgeType[];
    @Shopper()
    @Field(() => PageInfo)
    pageInfo!: PageInfo;
    @Shopper()
    @Field(() => Int, { description: 'Number of items matching the filters, across all pages.' })
    totalCount!: number;
  }
  return ConnectionType;
}
