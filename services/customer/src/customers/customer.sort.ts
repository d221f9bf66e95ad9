import { registerEnumType } from 'type-graphql';
import { SortDirection, keysetSort, type KeysetKey, type KeysetSort } from '@cg/subgraph';
import { customerMetrics, customers, type CustomerMetricsRow, type CustomerRow } from '../db/schema/index.ts';

/** A row of the customer list: the profile with its metrics joined. */
export type ListedCustomer = CustomerRow & { metrics: CustomerMetricsRow };

export enum CustomerSortField {
  NAME = 'name',
  CREATED_AT = 'createdAt',
  TOTAL_SPENT = 'totalSpent',
  ORDER_COUNT = 'orderCount',
  LAST_ORDER_AT = 'lastOrderAt',
  RETURNED_UNITS = 'returnedUnits',
  NEGATIVE_FEEDBACK = 'negativeFeedback',
  WALLET_BALANCE = 'walletBalance',
  DISCOUNT_RECEIVED = 'discountReceived',
  LOYALTY_POINTS = 'loyaltyPoints',
}
registerEnumType(CustomerSortField, {
  name: 'CustomerSortField',
  description:
    'CREATED_AT is the membership date; customers without orders sort as the oldest LAST_ORDER_AT. ' +
    'LOYALTY_POINTS sorts by the spendable points of `metrics.loyaltyPoints`.',
});

const NO_ORDER_YET = new Date(0);

/**
 * Each sort is (key, id) and is served by an index on (store_id, key, id): profile sorts by the
 * customers table, metric sorts by customer_metrics, whose customer_id is then the tie-breaker.
 */
const KEYS: Record<CustomerSortField, { key: KeysetKey<ListedCustomer>; byMetrics: boolean }> = {
  name: { key: [customers.nameKey, 'text', (row) => row.nameKey], byMetrics: false },
  createdAt: { key: [customers.createdAt, 'timestamptz', (row) => row.createdAt], byMetrics: false },
  totalSpent: { key: [customerMetrics.totalSpent, 'bigint', (row) => row.metrics.totalSpent], byMetrics: true },
  orderCount: { key: [customerMetrics.orderCount, 'bigint', (row) => row.metrics.orderCount], byMetrics: true },
  lastOrderAt: {
    key: [customerMetrics.lastOrderKey, 'timestamptz', (row) => row.metrics.lastOrderAt ?? NO_ORDER_YET],
    byMetrics: true,
  },
  returnedUnits: {
    key: [customerMetrics.returnedUnits, 'bigint', (row) => row.metrics.returnedUnits],
    byMetrics: true,
  },
  negativeFeedback: {
    key: [customerMetrics.negativeFeedback, 'bigint', (row) => row.metrics.negativeFeedback],
    byMetrics: true,
  },
  walletBalance: {
    key: [customerMetrics.walletBalance, 'bigint', (row) => row.metrics.walletBalance],
    byMetrics: true,
  },
  discountReceived: {
    key: [customerMetrics.discountReceived, 'bigint', (row) => row.metrics.discountReceived],
    byMetrics: true,
  },
  loyaltyPoints: {
    key: [customerMetrics.loyaltyPoints, 'bigint', (row) => row.metrics.loyaltyPoints],
    byMetrics: true,
  },
};

export function customerSort(field: CustomerSortField, direction: SortDirection): KeysetSort<ListedCustomer> {
  const { key, byMetrics } = KEYS[field];
  return keysetSort(`${field}:${direction}`, direction, [
    key,
    [byMetrics ? customerMetrics.customerId : customers.id, 'uuid', (row) => row.id],
  ]);
}

export const DEFAULT_CUSTOMER_SORT = { field: CustomerSortField.CREATED_AT, direction: SortDirection.DESC };
