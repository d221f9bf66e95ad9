import { and, gt, isNotNull, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import { referenceCodes, type ReferenceCodeRow } from '../db/schema.ts';
import { ReferenceCodeStatus } from './reference-code.enum.ts';

type StatusFields = Pick<ReferenceCodeRow, 'startsAt' | 'endsAt' | 'stoppedAt' | 'expiredAt' | 'usageLimit' | 'uses'>;

/**
 * E8's status rule, once for reading and once as SQL (the list's filter), both at the same instant
 * `now`: EXPIRED when expired by hand or past the planned end (final either way); then STOPPED
 * while stopped by hand; SCHEDULED before the start; EXHAUSTED at the usage limit; ACTIVE otherwise.
 */
export function referenceCodeStatus(row: StatusFields, now: Date): ReferenceCodeStatus {
  if (row.expiredAt || (row.endsAt && now >= row.endsAt)) return ReferenceCodeStatus.EXPIRED;
  if (row.stoppedAt) return ReferenceCodeStatus.STOPPED;
  if (now < row.startsAt) return ReferenceCodeStatus.SCHEDULED;
  if (row.usageLimit !== null && row.uses >= row.usageLimit) return ReferenceCodeStatus.EXHAUSTED;
  return ReferenceCodeStatus.ACTIVE;
}

const t = referenceCodes;
const notExpired = (now: Date) => and(isNull(t.expiredAt), or(isNull(t.endsAt), gt(t.endsAt, now)))!;
const exhausted = sql`(${t.usageLimit} is not null and ${t.uses} >= ${t.usageLimit})`;

function statusCondition(status: ReferenceCodeStatus, now: Date): SQL {
  switch (status) {
    case ReferenceCodeStatus.EXPIRED:
      return or(isNotNull(t.expiredAt), lte(t.endsAt, now))!;
    case ReferenceCodeStatus.STOPPED:
      return and(notExpired(now), isNotNull(t.stoppedAt))!;
    case ReferenceCodeStatus.SCHEDULED:
      return and(notExpired(now), isNull(t.stoppedAt), gt(t.startsAt, now))!;
    case ReferenceCodeStatus.EXHAUSTED:
      return and(notExpired(now), isNull(t.stoppedAt), lte(t.startsAt, now), exhausted)!;
    case ReferenceCodeStatus.ACTIVE:
      return and(notExpired(now), isNull(t.stoppedAt), lte(t.startsAt, now), sql`not ${exhausted}`)!;
  }
}

/** Any of `statuses`; undefined for no condition. */
export function referenceCodeStatusesCondition(
  statuses: readonly ReferenceCodeStatus[] | null,
  now: Date,
): SQL | undefined {
  if (!statuses?.length) return undefined;
  return or(...statuses.map((status) => statusCondition(status, now)));
}
