import { sql } from 'drizzle-orm';
import { boolean, char, foreignKey, index, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { customerSchema } from './base.ts';
import { customers } from './customers.ts';
import { AddressKind } from '../../addresses/address.enum.ts';
import { createdAt, pgEnumValues, updatedAt } from '@cg/db';

export const addressKind = customerSchema.enum('address_kind', pgEnumValues(AddressKind));

/** C6: delivery and invoice addresses; at most one default per kind, enforced here. */
export const addresses = customerSchema.table(
  'addresses',
  {
    id: uuid('id').notNull().defaultRandom(),
    storeId: uuid('store_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    kind: addressKind('kind').notNull(),
    label: text('label'),
    recipient: text('recipient').notNull(),
    line1: text('line1').notNull(),
    line2: text('line2'),
    city: text('city').notNull(),
    region: text('region'),
    postalCode: text('postal_code'),
    country: char('country', { length: 2 }).notNull(),
    phone: text('phone'),
    isDefault: boolean('is_default').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: 'addresses_pkey', columns: [t.storeId, t.id] }),
    // The store travels with the customer: an address cannot point at another store's customer.
    foreignKey({
      columns: [t.storeId, t.customerId],
      foreignColumns: [customers.storeId, customers.id],
      name: 'addresses_customer_fk',
    }).onDelete('cascade'),
    uniqueIndex('addresses_one_default_key')
      .on(t.storeId, t.customerId, t.kind)
      .where(sql`${t.isDefault}`),
    index('addresses_customer_idx').on(t.customerId, t.createdAt, t.id),
  ],
);

export type AddressRow = typeof addresses.$inferSelect;
