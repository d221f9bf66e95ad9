import 'reflect-metadata';
import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { SortDirection, encodeCursor, keyset } from '@cg/subgraph';
import { CustomerSortField, DEFAULT_CUSTOMER_SORT, customerSort, type ListedCustomer } from './customer.sort.ts';
import { CustomerTab, TABS } from './customer.tabs.ts';

const dialect = new PgDialect();
const customers = '"customer"."customers"';
const metrics = '"customer"."customer_metrics"';
const conditions = (tab: CustomerTab) => TABS[tab].conditions().map((condition) => dialect.sqlToQuery(condition).sql);
const orderBy = (field: CustomerSortField, direction: SortDirection) =>
  dialect.sqlToQuery(sql.join(keyset.orderBy(customerSort(field, direction)), sql`, `)).sql;

describe('customer list tabs', () => {
  it('ALL and WATCHLIST keep the default sort, newest member first', () => {
    expect(DEFAULT_CUSTOMER_SORT).toEqual({ field: CustomerSortField.CREATED_AT, direction: SortDirection.DESC });
    expect(TABS[CustomerTab.ALL]).toEqual({ conditions: expect.any(Function) });
    expect(conditions(CustomerTab.ALL)).toEqual([]);
    expect(TABS[CustomerTab.WATCHLIST].sort).toBeUndefined();
    expect(conditions(CustomerTab.WATCHLIST)).toEqual([
      `exists (select 1 from "customer"."watchlist" where "customer"."watchlist"."store_id" = ${customers}."store_id"` +
        ` and "customer"."watchlist"."customer_id" = ${customers}."id")`,
    ]);
  });

  it('the value tabs sort by their metric, highest first', () => {
    const sorts = Object.fromEntries(Object.entries(TABS).map(([tab, definition]) => [tab, definition.sort]));
    expect(sorts).toEqual({
      all: undefined,
      highestValue: { field: CustomerSortField.TOTAL_SPENT, direction: SortDirection.DESC },
      mostOrders: { field: CustomerSortField.ORDER_COUNT, direction: SortDirection.DESC },
      mostReturnedUnits: { field: CustomerSortField.RETURNED_UNITS, direction: SortDirection.DESC },
      promoCodeUsers: { field: CustomerSortField.DISCOUNT_RECEIVED, direction: SortDirection.DESC },
      watchlist: undefined,
    });
  });

  it('only the returns and promo-code tabs filter, on their metrics', () => {
    expect(conditions(CustomerTab.HIGHEST_VALUE)).toEqual([]);
    expect(conditions(CustomerTab.MOST_ORDERS)).toEqual([]);
    expect(conditions(CustomerTab.MOST_RETURNED_UNITS)).toEqual([`${metrics}."returned_units" > $1`]);
    expect(conditions(CustomerTab.PROMO_CODE_USERS)).toEqual([`${metrics}."promo_code_orders" > $1`]);
    expect(dialect.sqlToQuery(TABS[CustomerTab.PROMO_CODE_USERS].conditions()[0]!).params).toEqual([0]);
  });
});

describe('customerSort', () => {
  it('breaks ties by the id of the table that holds the key', () => {
    expect(orderBy(CustomerSortField.NAME, SortDirection.ASC)).toBe(
      `${customers}."name_key" asc, ${customers}."id" asc`,
    );
    expect(orderBy(CustomerSortField.CREATED_AT, SortDirection.DESC)).toBe(
      `${customers}."created_at" desc, ${customers}."id" desc`,
    );
    expect(orderBy(CustomerSortField.TOTAL_SPENT, SortDirection.DESC)).toBe(
      `${metrics}."total_spent" desc, ${metrics}."customer_id" desc`,
    );
    expect(orderBy(CustomerSortField.LAST_ORDER_AT, SortDirection.ASC)).toBe(
      `${metrics}."last_order_key" asc, ${metrics}."customer_id" asc`,
    );
  });

  it('names each sort by field and direction, so a cursor pages only its own ordering', () => {
    const names = Object.values(CustomerSortField).flatMap((field) =>
      [SortDirection.ASC, SortDirection.DESC].map((direction) => customerSort(field, direction).name),
    );
    expect(new Set(names).size).toBe(names.length);
    expect(customerSort(CustomerSortField.WALLET_BALANCE, SortDirection.ASC).name).toBe('walletBalance:asc');
  });

  it('takes cursor values from the listed row, a missing last order as the oldest', () => {
    const id = '3f1b6e0a-8c2d-4a5e-b9f7-1d2c3b4a5e6f';
    const row = {
      id,
      nameKey: 'lovelace ada',
      createdAt: new Date('2026-01-02T03:04:05.000Z'),
      metrics: { totalSpent: 1999, lastOrderAt: null, discountReceived: 250 },
    } as unknown as ListedCustomer;
    const cursor = (field: CustomerSortField) => keyset.cursorOf(customerSort(field, SortDirection.DESC))(row);
    expect(cursor(CustomerSortField.NAME)).toBe(encodeCursor('name:desc', ['lovelace ada', id]));
    expect(cursor(CustomerSortField.CREATED_AT)).toBe(encodeCursor('createdAt:desc', ['2026-01-02T03:04:05.000Z', id]));
    expect(cursor(CustomerSortField.TOTAL_SPENT)).toBe(encodeCursor('totalSpent:desc', [1999, id]));
    expect(cursor(CustomerSortField.DISCOUNT_RECEIVED)).toBe(encodeCursor('discountReceived:desc', [250, id]));
    expect(cursor(CustomerSortField.LAST_ORDER_AT)).toBe(
      encodeCursor('lastOrderAt:desc', ['1970-01-01T00:00:00.000Z', id]),
    );
    // Each cursor is accepted back by its own sort.
    const sort = customerSort(CustomerSortField.LAST_ORDER_AT, SortDirection.DESC);
    expect(dialect.sqlToQuery(keyset.after(sort, cursor(CustomerSortField.LAST_ORDER_AT))!).params).toEqual([
      '1970-01-01T00:00:00.000Z',
      id,
    ]);
  });
});
