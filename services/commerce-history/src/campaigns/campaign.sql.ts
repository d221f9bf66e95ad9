import { and, gt, isNotNull, isNull, lte, or, type SQL } from 'drizzle-orm';
import { campaigns, type CampaignRow } from '../db/schema.ts';
import { CampaignStatus } from './campaign.enum.ts';

/**
 * O7's status rule, once for reading and once as SQL, both at the same instant `now`: a stopped
 * campaign is STOPPED whatever its dates; otherwise SCHEDULED before `startsAt`, ENDED from
 * `endsAt` on, ACTIVE in between.
 */
export function campaignStatus(row: Pick<CampaignRow, 'startsAt' | 'endsAt' | 'stoppedAt'>, now: Date): CampaignStatus {
  if (row.stoppedAt) return CampaignStatus.STOPPED;
  if (now < row.startsAt) return CampaignStatus.SCHEDULED;
  if (now >= row.endsAt) return CampaignStatus.ENDED;
  return CampaignStatus.ACTIVE;
}

function campaignStatusCondition(status: CampaignStatus, now: Date): SQL {
  switch (status) {
    case CampaignStatus.STOPPED:
      return isNotNull(campaigns.stoppedAt);
    case CampaignStatus.SCHEDULED:
      return and(isNull(campaigns.stoppedAt), gt(campaigns.startsAt, now))!;
    case CampaignStatus.ENDED:
      return and(isNull(campaigns.stoppedAt), lte(campaigns.endsAt, now))!;
    case CampaignStatus.ACTIVE:
      return and(isNull(campaigns.stoppedAt), lte(campaigns.startsAt, now), gt(campaigns.endsAt, now))!;
  }
}

/** Any of `statuses`; undefined for no condition. */
export function campaignStatusesCondition(statuses: readonly CampaignStatus[] | null, now: Date): SQL | undefined {
  if (!statuses?.length) return undefined;
  return or(...statuses.map((status) => campaignStatusCondition(status, now)));
}
