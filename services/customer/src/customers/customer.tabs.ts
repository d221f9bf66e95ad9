import { registerEnumType } from 'type-graphql';
import { gt, type SQL } from 'drizzle-orm';
import { SortDirection } from '@cg/subgraph';
import { customerMetrics } from '../db/schema/index.ts';
import { watchedCondition } from '../watchlist/watchlist.sql.ts';
import { CustomerSortField } from './customer.sort.ts';

/** C8: the customer list's value tabs, each a saved sort and filter. */
export enum CustomerTab {
  ALL = 'all',
  HIGHEST_VALUE = 'highestValue',
  MOST_ORDERS = 'mostOrders',
  MOST_RETURNED_UNITS = 'mostReturnedUnits',
  PROMO_CODE_USERS = 'promoCodeUsers',
  WATCHLIST = 'watchlist',
}
registerEnumType(CustomerTab, {
  name: 'CustomerTab',
  description:
    'A saved sort and filter of the customer list. An explicit `filter` is combined with the tab’s (both apply); ' +
    'an explicit `sort` replaces the tab’s.',
  valuesConfig: {
    ALL: { description: 'Every customer, newest member first.' },
    HIGHEST_VALUE: { description: 'Sorted by total spent, highest first.' },
    MOST_ORDERS: { description: 'Sorted by order count, most first.' },
    MOST_RETURNED_UNITS: { description: 'Customers who returned at least one unit, most returned units first.' },
    PROMO_CODE_USERS: {
      description: 'Customers with at least one purchase made with a promo code, most discount received first.',
    },
    WATCHLIST: { description: 'Customers on the store’s watchlist, newest member first.' },
  },
});

export interface TabDefinition {
  sort?: { field: CustomerSortField; direction: SortDirection };
  /** Conditions over customers ⨝ customer_metrics, added to the list's filters. */
  conditions: () => SQL[];
}

export const TABS: Record<CustomerTab, TabDefinition> = {
  all: { conditions: () => [] },
  highestValue: { sort: { field: CustomerSortField.TOTAL_SPENT, direction: SortDirection.DESC }, conditions: () => [] },
  mostOrders: { sort: { field: CustomerSortField.ORDER_COUNT, direction: SortDirection.DESC }, conditions: () => [] },
  mostReturnedUnits: {
    sort: { field: CustomerSortField.RETURNED_UNITS, direction: SortDirection.DESC },
    conditions: () => [gt(customerMetrics.returnedUnits, 0)],
  },
  promoCodeUsers: {
    sort: { field: CustomerSortField.DISCOUNT_RECEIVED, direction: SortDirection.DESC },
    conditions: () => [gt(customerMetrics.promoCodeOrders, 0)],
  },
  watchlist: { conditions: () => [watchedCondition(true)] },
};
