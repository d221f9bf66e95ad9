import { bigint, timestamp } from 'drizzle-orm/pg-core';

/** Times are `timestamptz` in UTC, to the millisecond JavaScript dates hold. */
export const timestamptz = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

export const createdAt = () => timestamptz('created_at').notNull().defaultNow();
export const updatedAt = () => timestamptz('updated_at').notNull().defaultNow();

/** Integer minor units of the row's currency; never fractional. */
export const minorUnits = (name: string) => bigint(name, { mode: 'number' });
