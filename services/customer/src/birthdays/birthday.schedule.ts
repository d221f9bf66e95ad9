import { and, eq, isNotNull, lte, or, isNull, sql } from 'drizzle-orm';
import { recordEvents, type ScheduledTask } from '@cg/events';
import type { CustomerDb } from '../context.ts';
import { customers, outbox, stores, type tables } from '../db/schema/index.ts';
import { birthdaysOn, dayOf } from './birthday.rule.ts';

/** A birth date set or changed this many days before a birthday waits until the next year (E3). */
const BIRTH_DATE_SETTLING_DAYS = 30;

/**
 * Announces `customer.birthday` for every active customer whose birthday is `date` (YYYY-MM-DD,
 * UTC): that it is their birthday, never the birth date itself, which stays in this subgraph.
 * Store by store, on the stores' birthday index. Announcing a day again (a retried or repeated
 * run) is harmless: the consumer grants a year's bonus once. Returns how many it announced.
 */
export async function announceBirthdays(db: CustomerDb, date: string): Promise<number> {
  const days = birthdaysOn(date);
  const settledBy = sql`${date}::date - ${BIRTH_DATE_SETTLING_DAYS}::int`;
  const year = Number(date.slice(0, 4));
  let announced = 0;
  const storeRows = await db.select({ id: stores.id }).from(stores);
  for (const store of storeRows) {
    await db.transaction(async (tx) => {
      const celebrating = await tx
        .select({ id: customers.id })
        .from(customers)
        .where(
          and(
            eq(customers.storeId, store.id),
            isNotNull(customers.birthDate),
            or(
              ...days.map(
                ({ month, day }) =>
                  sql`extract(month from ${customers.birthDate}) = ${month} and extract(day from ${customers.birthDate}) = ${day}`,
              ),
            ),
            eq(customers.status, 'active'),
            or(isNull(customers.birthDateSetAt), lte(customers.birthDateSetAt, settledBy)),
          ),
        );
      // In parts that stay well inside one statement's parameter limit, whatever the store's size.
      for (let from = 0; from < celebrating.length; from += 5_000) {
        await recordEvents(
          tx,
          outbox,
          celebrating.slice(from, from + 5_000).map((customer) => ({
            type: 'customer.birthday' as const,
            storeId: store.id,
            customerId: customer.id,
            payload: { date, year },
          })),
        );
      }
      announced += celebrating.length;
    });
  }
  return announced;
}

/**
 * Daily, just after midnight UTC. A day missed in downtime is announced when a process is back
 * (up to three days late): the bonus is the year's, so a late one is still the right one.
 */
export const birthdaySchedule: ScheduledTask<typeof tables>[] = [
  {
    name: 'customer:birthdays',
    pattern: '5 0 * * *',
    catchUpHours: 72,
    run: async (db, at) => {
      await announceBirthdays(db.orm, dayOf(at));
    },
  },
];
