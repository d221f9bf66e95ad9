import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestGraph, type TestGraph, type TestStore } from '@cg/testing';
import type { CustomerDb } from '../context.ts';
import { announceBirthdays } from './birthday.schedule.ts';
import { dayOf } from './birthday.rule.ts';

let graph: TestGraph;
let store: TestStore;
let db: CustomerDb;

const PROGRAM = /* GraphQL */ `
  mutation Program($input: UpdateLoyaltyProgramInput!) {
    updateLoyaltyProgram(input: $input) {
      birthdayBonus
    }
  }
`;
const BONUSES = /* GraphQL */ `
  query Bonuses($id: ID!) {
    customer(id: $id) {
      loyalty {
        points
        entries(first: 20) {
          edges {
            node {
              kind
              bonus
              bonusYear
              points
            }
          }
        }
      }
    }
  }
`;

beforeAll(async () => {
  graph = await startTestGraph();
  store = await graph.createStore('Birthday store');
  db = graph.graph.subgraphs.customer.db.orm as unknown as CustomerDb;
  const program = await store.data(PROGRAM, {
    input: { enabled: true, rate: { points: 1, perMinorUnits: 100 }, pendingDays: 0, birthdayBonus: 50 },
  });
  expect(program.updateLoyaltyProgram.birthdayBonus).toBe(50);
});
afterAll(() => graph?.close());

const today = new Date().toISOString().slice(0, 10);
const nextYear = `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`;
const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
/** A birth date in 1990 on the month and day of `date` (29 February moves to the 28th). */
const bornOn = (date: string) => `1990${date.slice(4) === '-02-29' ? '-02-28' : date.slice(4)}`;

/** A customer born on `date`'s month and day, whose birth date was set `setDaysAgo` days ago. */
async function customer(
  date: string,
  setDaysAgo: number,
  fields: Record<string, unknown> = {},
  where: TestStore = store,
) {
  const { id } = await where.createCustomer({ firstName: 'Bday', birthDate: bornOn(date), ...fields });
  await graph.graph.subgraphs.customer.db.sql`
    update customer.customers set birth_date_set_at = now() - make_interval(days => ${setDaysAgo}::int)
    where store_id = ${where.id} and id = ${id}`;
  return id;
}

/** The days announced as `id`'s birthday, oldest first. */
const announced = async (id: string) =>
  (
    await graph.graph.subgraphs.customer.db.sql`
      select payload from customer.outbox where type = 'customer.birthday' and customer_id = ${id} order by seq`
  ).map((event) => event.payload.date as string);

const bonuses = async (id: string) =>
  (await store.data(BONUSES, { id })).customer.loyalty.entries.edges
    .map((edge: any) => edge.node)
    .filter((entry: any) => entry.kind === 'BONUS');

describe('birthdays (E3)', () => {
  it('grants the birthday bonus once a year, and a birth date set within 30 days waits until the next', async () => {
    const settled = await customer(today, 40);
    const justSet = await customer(today, 3);
    const notToday = await customer(tomorrow, 40);
    const blocked = await customer(today, 40, { status: 'BLOCKED' });

    // The day announced again, and by several processes at once: one announcement, one bonus.
    await Promise.all(Array.from({ length: 5 }, () => announceBirthdays(db, new Date())));
    expect(await announced(settled)).toEqual([today]);
    await eventually(async () => expect(await graph.undelivered()).toBe(0));
    const year = Number(today.slice(0, 4));
    expect(await bonuses(settled)).toEqual([{ kind: 'BONUS', bonus: 'BIRTHDAY', bonusYear: year, points: 50 }]);
    for (const id of [justSet, notToday, blocked]) expect(await bonuses(id)).toEqual([]);

    // A year later both have settled dates: one more each.
    await announceBirthdays(db, new Date(`${nextYear}T12:00:00Z`));
    await eventually(async () => expect(await graph.undelivered()).toBe(0));
    expect((await bonuses(settled)).map((entry: any) => entry.bonusYear)).toEqual([year + 1, year]);
    expect((await bonuses(justSet)).map((entry: any) => entry.bonusYear)).toEqual([year + 1]);
  });

  it('tells engagement the day, never the birth date', async () => {
    const elsewhere = await graph.createStore();
    const id = await customer(today, 40, {}, elsewhere);
    await announceBirthdays(db, new Date());
    const events = await graph.graph.subgraphs.customer.db.sql`
      select payload from customer.outbox where type = 'customer.birthday' and customer_id = ${id}`;
    expect(events.map((event) => event.payload)).toEqual([{ date: today, year: Number(today.slice(0, 4)) }]);
  });

  it('announces a store’s birthdays once its own date has begun, once (T1)', async () => {
    // 25 hours apart: Kiritimati is always at least a day ahead of Pago Pago.
    const ahead = await graph.createStore(undefined, { timeZone: 'Pacific/Kiritimati' });
    const behind = await graph.createStore(undefined, { timeZone: 'Pacific/Pago_Pago' });
    const at = new Date();
    const day = dayOf(at, 'Pacific/Kiritimati');
    expect(dayOf(at, 'Pacific/Pago_Pago') < day).toBe(true);
    const there = await customer(day, 40, {}, ahead);
    const here = await customer(day, 40, {}, behind);

    await announceBirthdays(db, at);
    await announceBirthdays(db, new Date(at.getTime() + 30 * 60_000));
    expect(await announced(there)).toEqual([day]);
    expect(await announced(here)).toEqual([]);

    // The first hourly run once Pago Pago's date is that day too, and any run later that day.
    let later = at;
    while (dayOf(later, 'Pacific/Pago_Pago') < day) later = new Date(later.getTime() + 3_600_000);
    await Promise.all([announceBirthdays(db, later), announceBirthdays(db, later)]);
    await announceBirthdays(db, new Date(later.getTime() + 3_600_000));
    expect(await announced(here)).toEqual([day]);
    expect(await announced(there)).toEqual([day]);
  });

  it('finds the day’s birthdays through the store’s birthday index', async () => {
    // A few rows plan as a sequential scan whatever the indexes; with that off, the plan shows
    // whether the index matches the task's conditions at all.
    const [plan] = await graph.graph.subgraphs.customer.db.sql.begin(async (tx) => {
      await tx`set local enable_seqscan = off`;
      return tx`explain (format json) select id from customer.customers
        where store_id = ${store.id} and birth_date is not null
          and extract(month from birth_date) = ${7} and extract(day from birth_date) = ${14}`;
    });
    expect(JSON.stringify(plan)).toContain('customers_store_birthday_idx');
  });
});
