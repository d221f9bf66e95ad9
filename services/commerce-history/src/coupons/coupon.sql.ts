import { and, gt, isNotNull, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import { coupons, type CouponRow } from '../db/schema.ts';
import { CouponStatus } from './coupon.enum.ts';

type StatusFields = Pick<CouponRow, 'startsAt' | 'expiresAt' | 'stoppedAt' | 'usageLimit' | 'timesUsed'>;

/**
 * O8's status rule, once for reading and once as SQL, both at the same instant `now`: a stopped
 * coupon is STOPPED whatever else holds; then SCHEDULED before `startsAt`, EXPIRED from
 * `expiresAt` on, USED_UP at its usage limit, ACTIVE otherwise.
 */
export function couponStatus(row: StatusFields, now: Date): CouponStatus {
  if (row.stoppedAt) return CouponStatus.STOPPED;
  if (now < row.startsAt) return CouponStatus.SCHEDULED;
  if (row.expiresAt && now >= row.expiresAt) return CouponStatus.EXPIRED;
  if (row.usageLimit !== null && row.timesUsed >= row.usageLimit) return CouponStatus.USED_UP;
  return CouponStatus.ACTIVE;
}

const notExpired = (now: Date) => or(isNull(coupons.expiresAt), gt(coupons.expiresAt, now))!;
const usedUp = sql`(${coupons.usageLimit} is not null and ${coupons.timesUsed} >= ${coupons.usageLimit})`;

function couponStatusCondition(status: CouponStatus, now: Date): SQL {
  switch (status) {
    case CouponStatus.STOPPED:
      return isNotNull(coupons.stoppedAt);
    case CouponStatus.SCHEDULED:
      return and(isNull(coupons.stoppedAt), gt(coupons.startsAt, now))!;
    case CouponStatus.EXPIRED:
      return and(isNull(coupons.stoppedAt), lte(coupons.startsAt, now), lte(coupons.expiresAt, now))!;
    case CouponStatus.USED_UP:
      return and(isNull(coupons.stoppedAt), lte(coupons.startsAt, now), notExpired(now), usedUp)!;
    case CouponStatus.ACTIVE:
      return and(isNull(coupons.stoppedAt), lte(coupons.startsAt, now), notExpired(now), sql`not ${usedUp}`)!;
  }
}

/** Any of `statuses`; undefined for no condition. */
export function couponStatusesCondition(statuses: readonly CouponStatus[] | null, now: Date): SQL | undefined {
  if (!statuses?.length) return undefined;
  return or(...statuses.map((status) => couponStatusCondition(status, now)));
}
