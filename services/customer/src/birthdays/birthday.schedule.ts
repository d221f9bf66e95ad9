import { and, eq, isNotNull, lte, or, isNull, sql } from 'drizzle-orm';
import { recordEvents, type ScheduledTask } from '@cg/events';
import type { Tx } from '@cg/db';
import type { CustomerDb } from '../context.ts';
import { customers, outbox, stores, type tables } from '../db/schema/index.ts';
import { birthdaysOn, dayOf, daysToAnnounce } from './birthday.rule.ts';

/** A birth date set or changed this many days before a birthday waits until the next year (E3). */
const BIRTH_DATE_SETTLING_DAYS = 30;
/** Days missed in downtime are still announced this far back (the bonus is the year's: late is still right). */
const CATCH_UP_DAYS = 3;

/**
 * Announces `customer.birthday` for every active customer of each store whose local date (in the
 * store's time zone, T1) has begun by `at` and was not announced yet: that it is their birthday,
 * never the birth date itself, which stays in this subgraph. Store by store, each in one
 * transaction with the store row locked that moves its `birthdays_announced_on` on, so a day is
 * announced once per store however often, and by however many processes, the task runs (the
 * consumer grants a year's bonus once besides). Returns how many it announced.
 */
export async function announceBirthdays(db: CustomerDb, at: Date): Promise<number> {
  let announced = 0;
  const storeRows = await db
    .select({ id: stores.id, timeZone: stores.timeZone, last: stores.birthdaysAnnouncedOn })
    .from(stores);
  for (const store of storeRows) {
    const today = dayOf(at, store.timeZone);
    if (daysToAnnounce(store.last, today, CATCH_UP_DAYS).length === 0) continue;
    announced += await db.transaction(async (tx) => {
      // Read again under the lock: another run may have announced the day meanwhile, or the
      // store moved to another zone.
      const [locked] = await tx
        .select({ timeZone: stores.timeZone, last: stores.birthdaysAnnouncedOn })
        .from(stores)
        .where(eq(stores.id, store.id))
        .for('no key update');
      if (!locked) return 0;
      const localToday = dayOf(at, locked.timeZone);
      const days = daysToAnnounce(locked.last, localToday, CATCH_UP_DAYS);
      let count = 0;
      for (const day of days) count += await announceDay(tx, store.id, day);
      if (days.length) {
        await tx.update(stores).set({ birthdaysAnnouncedOn: localToday }).where(eq(stores.id, store.id));
      }
      return count;
    });
  }
  return announced;
}

/** One store's birthdays on `date` (YYYY-MM-DD, the store's local day), on the stores' birthday index. */
async function announceDay(tx: Tx, storeId: string, date: string): Promise<number> {
  const days = birthdaysOn(date);
  const settledBy = sql`${date}::date - ${BIRTH_DATE_SETTLING_DAYS}::int`;
  const year = Number(date.slice(0, 4));
  const celebrating = await tx
    .select({ id: customers.id })
    .from(customers)
    .where(
      and(
        eq(customers.storeId, storeId),
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
        storeId,
        customerId: customer.id,
        payload: { date, year },
      })),
    );
  }
  return celebrating.length;
}

/**
 * Hourly, so that each store's day is announced within the hour after its local midnight,
 * whatever its zone's offset (half and quarter hours too). Runs missed in downtime are made up
 * for when a process is back, each as of its own hour; a store's missed days up to three back.
 */
export const birthdaySchedule: ScheduledTask<typeof tables>[] = [
  {
    name: 'customer:birthdays',
    pattern: '5 * * * *',
    catchUpHours: 72,
    run: async (db, at) => {
      await announceBirthdays(db.orm, at);
    },
  },
];
