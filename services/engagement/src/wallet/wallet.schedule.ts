import type { ScheduledTask } from '@cg/events';
import type { tables } from '../db/schema.ts';
import { expireWalletCredits } from './wallet.service.ts';

/**
 * E1: every minute, once across every process (graphile-worker's cron, as the loyalty task), the
 * EXPIRY entries of credits that lapsed by the run's due time. Reads already leave lapsed credit
 * out of every balance, so a run made up for after downtime only writes what was due.
 */
export const walletSchedule: ScheduledTask<typeof tables>[] = [
  {
    name: 'engagement:wallet-expiry',
    pattern: '* * * * *',
    catchUpHours: 1,
    run: async (db, at) => {
      await expireWalletCredits(db.orm, at);
    },
  },
];
