import { sql } from 'drizzle-orm';
import { date, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { customerSchema } from './base.ts';
import { Gender } from '../../customers/customer.enum.ts';
import { createdAt, pgEnumValues, updatedAt } from '@cg/db';

export const gender = customerSchema.enum('gender', pgEnumValues(Gender));

/** The person behind profiles in many stores (T2). */
export const identities = customerSchema.table(
  'identities',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email'),
    phone: text('phone'),
    firstName: text('first_name'),
    lastName: text('last_name'),
    gender: gender('gender'),
    birthDate: date('birth_date', { mode: 'string' }),
    language: text('language'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('identities_email_key')
      .on(sql`lower(${t.email})`)
      .where(sql`${t.email} is not null`),
    uniqueIndex('identities_phone_key')
      .on(t.phone)
      .where(sql`${t.phone} is not null`),
  ],
);
