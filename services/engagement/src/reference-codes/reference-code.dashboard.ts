import { sql } from 'drizzle-orm';
import { invalidField, parseInput } from '@cg/subgraph';
import { referenceCodeActivity, type ReferenceCodeRow } from '../db/schema.ts';
import type { ReferenceCodeService } from './reference-code.service.ts';
import { dashboardRangeSchema } from './reference-code.inputs.ts';
import { storeTimeZone } from '../stores/store-settings.service.ts';

/** At most a year and a day: a daily series a chart draws, and a bounded generate_series. */
const MAX_DAYS = 366;
/** Without `from`: the 30 days up to `to`. */
const DEFAULT_DAYS = 30;
const DAY_MS = 86_400_000;

interface DashboardDay {
  date: string;
  accesses: number;
  uses: number;
  rewards: number;
}

export interface Dashboard {
  from: string;
  to: string;
  timeZone: string;
  createdAt: Date;
  startsAt: Date;
  endsAt: Date | null;
  usageCount: number;
  accessCount: number;
  conversionRate: number | null;
  limitUsage: number | null;
  days: DashboardDay[];
}

const percent = (part: number, whole: number) => Math.round((part / whole) * 10_000) / 100;
const addDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/**
 * E10: a code's uses, accesses and rewards (E9: granted that day and standing) per day over [from, to] in the store's time zone, one
 * entry per day (generate_series; empty days are zeros), in one statement: each day's counts are
 * the sums of its quarter-hour buckets (reference_code_activity, kept by triggers), read by the
 * primary key's range (store, code, bucket) between the range's first and last local midnight.
 */
export async function referenceCodeDashboard(
  service: ReferenceCodeService,
  code: ReferenceCodeRow,
  args: { from?: string | null; to?: string | null },
): Promise<Dashboard> {
  const range = parseInput(dashboardRangeSchema, args);
  const timeZone = await storeTimeZone(service.db, service.ctx.storeId);
  const today = new Intl.DateTimeFormat('en-CA', { timeZone }).format(service.now);
  const to = range.to ?? (range.from ? addDays(range.from, DEFAULT_DAYS - 1) : today);
  const from = range.from ?? addDays(to, -(DEFAULT_DAYS - 1));
  if (to < from) throw invalidField('to', 'must not be before from');
  const span = Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS) + 1;
  if (span > MAX_DAYS) throw invalidField('to', `the range must be at most ${MAX_DAYS} days`);

  const { storeId } = service.ctx;
  const start = sql`(${from}::date::timestamp at time zone ${timeZone})`;
  const end = sql`((${to}::date + 1)::timestamp at time zone ${timeZone})`;
  const b = referenceCodeActivity;
  const rows = await service.db.execute<{ date: string; accesses: number; uses: number; rewards: number }>(sql`
    with days as (
      select d::date as day from generate_series(${from}::date, ${to}::date, interval '1 day') d
    ),
    activity as (
      select (${b.bucket} at time zone ${timeZone})::date as day, sum(${b.uses})::int as uses,
        sum(${b.rewards})::int as rewards, sum(${b.accesses})::int as accesses
      from ${b}
      where ${b.storeId} = ${storeId} and ${b.codeId} = ${code.id} and ${b.bucket} >= ${start} and ${b.bucket} < ${end}
      group by 1
    )
    select to_char(days.day, 'YYYY-MM-DD') as date, coalesce(activity.accesses, 0) as accesses,
      coalesce(activity.uses, 0) as uses, coalesce(activity.rewards, 0) as rewards
    from days left join activity on activity.day = days.day
    order by days.day`);
  const days = (rows as unknown as DashboardDay[]).map((row) => ({
    date: row.date,
    accesses: Number(row.accesses),
    uses: Number(row.uses),
    rewards: Number(row.rewards),
  }));
  const usageCount = days.reduce((sum, day) => sum + day.uses, 0);
  const accessCount = days.reduce((sum, day) => sum + day.accesses, 0);
  return {
    from,
    to,
    timeZone,
    createdAt: code.createdAt,
    startsAt: code.startsAt,
    endsAt: code.endsAt,
    usageCount,
    accessCount,
    conversionRate: accessCount > 0 ? percent(usageCount, accessCount) : null,
    // A limit of 0 is reached from the start.
    limitUsage: code.usageLimit === null ? null : code.usageLimit === 0 ? 100 : percent(code.uses, code.usageLimit),
    days,
  };
}
