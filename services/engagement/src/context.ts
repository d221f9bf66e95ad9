import type { Database, ScopedDatabase } from '@cg/db';
import { CustomerDirectory, type BaseContext } from '@cg/subgraph';
import { customerDirectory, type tables } from './db/schema.ts';
import { WalletService } from './wallet/wallet.service.ts';

export type EngagementDb = Database<typeof tables>['orm'];

export interface EngagementContext extends BaseContext {
  wallets: WalletService;
}

export function createContext(base: BaseContext, db: ScopedDatabase<typeof tables>): EngagementContext {
  return {
    ...base,
    wallets: new WalletService(db.orm, base, new CustomerDirectory(db.orm, base, customerDirectory)),
  };
}
