import type { Database } from '@cg/db';
import type { BaseContext } from '@cg/subgraph';
import type { tables } from './db/schema.ts';
import { WalletService } from './wallet/wallet.service.ts';

export type EngagementDb = Database<typeof tables>['orm'];

export interface EngagementContext extends BaseContext {
  wallets: WalletService;
}

export function createContext(base: BaseContext, db: Database<typeof tables>): EngagementContext {
  return {
    ...base,
    wallets: new WalletService(db.orm, base),
  };
}
