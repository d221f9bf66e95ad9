import { registerEnumType } from 'type-graphql';
import { SortDirection, type KeysetSort } from '@cg/subgraph';
import { customers, type CustomerRow } from '../db/schema.ts';

export enum CustomerSortField {
  NAME = 'name',
  CREATED_AT = 'createdAt',
}
registerEnumType(CustomerSortField, { name: 'CustomerSortField', description: 'CREATED_AT is the membership date.' });

const id = { expr: customers.id, type: 'uuid', value: (row: CustomerRow) => row.id } as const;

/** Each sort is backed by an index on (store_id, key..., id). */
export function customerSort(field: CustomerSortField, direction: SortDirection): KeysetSort<CustomerRow> {
  switch (field) {
    case CustomerSortField.NAME:
      return {
        name: `name:${direction}`,
        direction,
        columns: [{ expr: customers.nameKey, type: 'text', value: (row) => row.nameKey }, id],
      };
    case CustomerSortField.CREATED_AT:
      return {
        name: `createdAt:${direction}`,
        direction,
        columns: [{ expr: customers.createdAt, type: 'timestamptz', value: (row) => row.createdAt }, id],
      };
  }
}

export const DEFAULT_CUSTOMER_SORT = { field: CustomerSortField.CREATED_AT, direction: SortDirection.DESC };
