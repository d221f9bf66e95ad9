import 'reflect-metadata';
import type { GraphQLError } from 'graphql';
import { describe, expect, it, vi } from 'vitest';
import { PAGE_SIZE, decodeCursor, encodeCursor, lazy, pageSize, toConnection } from './connection.ts';

/** Runs `run`, expecting the BAD_USER_INPUT error a client gets for one bad argument. */
function fieldError(run: () => unknown): { message: string; fields: unknown } {
  try {
    run();
  } catch (error) {
    const { message, extensions } = error as GraphQLError;
    expect(extensions.code).toBe('BAD_USER_INPUT');
    return { message, fields: extensions.fields };
  }
  throw new Error('expected a BAD_USER_INPUT error');
}

describe('pageSize', () => {
  it('defaults to 20 and accepts 1 to 100', () => {
    expect(PAGE_SIZE).toEqual({ min: 1, max: 100, default: 20 });
    expect(pageSize(undefined)).toBe(20);
    expect(pageSize(null)).toBe(20);
    for (const first of [1, 2, 5, 9, 10]) expect(pageSize(first)).toBe(first);
    expect(pageSize(100)).toBe(100);
  });

  it('refuses sizes out of range or fractional, at the named argument', () => {
    for (const first of [0, -1, -20, 101, 1000, 0.5, 10.5]) {
      expect(fieldError(() => pageSize(first))).toEqual({
        message: 'Invalid first: must be between 1 and 100',
        fields: [{ field: 'first', message: 'must be between 1 and 100' }],
      });
    }
    expect(fieldError(() => pageSize(0, 'ordersFirst')).fields).toEqual([
      { field: 'ordersFirst', message: 'must be between 1 and 100' },
    ]);
  });
});

describe('cursors', () => {
  it('are base64url of the sort name and the key, and decode back to the key', () => {
    const key = ['2026-01-02T03:04:05.000Z', 'Ayşe ?/+', 42];
    const cursor = encodeCursor('createdAt:desc', key);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))).toEqual(['createdAt:desc', ...key]);
    expect(decodeCursor(cursor, 'createdAt:desc', 3)).toEqual(key);
  });

  it('refuse a cursor of another sort, of another length, or not a cursor at all', () => {
    const refused = {
      message: 'Invalid after: is not a cursor of this list',
      fields: [{ field: 'after', message: 'is not a cursor of this list' }],
    };
    const cursor = encodeCursor('name:asc', ['ada', 'f0e1']);
    expect(fieldError(() => decodeCursor(cursor, 'name:desc', 2))).toEqual(refused);
    expect(fieldError(() => decodeCursor(cursor, 'name:asc', 1))).toEqual(refused);
    expect(fieldError(() => decodeCursor(cursor, 'name:asc', 3))).toEqual(refused);
    expect(fieldError(() => decodeCursor('not a cursor', 'name:asc', 2))).toEqual(refused);
    const notAnArray = Buffer.from(JSON.stringify({ 0: 'name:asc' })).toString('base64url');
    expect(fieldError(() => decodeCursor(notAnArray, 'name:asc', 0))).toEqual(refused);
    expect(fieldError(() => decodeCursor(cursor, 'name:desc', 2, 'ordersAfter')).fields).toEqual([
      { field: 'ordersAfter', message: 'is not a cursor of this list' },
    ]);
  });
});

describe('toConnection', () => {
  const cursorOf = (row: { id: number }) => `c${row.id}`;
  const rows = (count: number) => Array.from({ length: count }, (_, i) => ({ id: i + 1 }));

  it('has a next page when the extra row was fetched, and drops it', () => {
    const connection = toConnection(rows(4), { first: 3, cursorOf, totalCount: 9 });
    expect(connection).toEqual({
      edges: [
        { cursor: 'c1', node: { id: 1 } },
        { cursor: 'c2', node: { id: 2 } },
        { cursor: 'c3', node: { id: 3 } },
      ],
      pageInfo: { hasNextPage: true, hasPreviousPage: false, startCursor: 'c1', endCursor: 'c3' },
      totalCount: 9,
    });
  });

  it('has no next page on the last page, and a previous page after a cursor', () => {
    const { edges, pageInfo } = toConnection(rows(3), { first: 3, after: 'c0', cursorOf, totalCount: 3 });
    expect(edges.map((edge) => edge.node.id)).toEqual([1, 2, 3]);
    expect(pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true, startCursor: 'c1', endCursor: 'c3' });
  });

  it('has null cursors when empty, and passes a lazy count through untouched', () => {
    const totalCount = lazy(() => Promise.resolve(0));
    const connection = toConnection([], { first: 10, after: null, cursorOf, totalCount });
    expect(connection.pageInfo).toEqual({
      hasNextPage: false,
      hasPreviousPage: false,
      startCursor: null,
      endCursor: null,
    });
    expect(connection.edges).toEqual([]);
    expect(connection.totalCount).toBe(totalCount);
  });
});

describe('lazy', () => {
  it('starts its work on the first then, once', async () => {
    const run = vi.fn(() => Promise.resolve(7));
    const value = lazy(run);
    expect(run).not.toHaveBeenCalled();
    expect(await value).toBe(7);
    expect(await value).toBe(7);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('hands a failure to every awaiting caller', async () => {
    const value = lazy(() => Promise.reject(new Error('count failed')));
    await expect(value).rejects.toThrow('count failed');
    await expect(value).rejects.toThrow('count failed');
  });
});
