import type { Database, ScopedDatabase } from '@cg/db';
import { CustomerDirectory, PersonalDataExport, type BaseContext } from '@cg/subgraph';
import { customerDirectory, type tables } from './db/schema.ts';
import { personalData } from './personal-data/personal-data.registry.ts';
import { WalletService } from './wallet/wallet.service.ts';
import { LoyaltyService } from './loyalty/loyalty.service.ts';
import { LoyaltyTierService } from './loyalty-tiers/loyalty-tier.service.ts';
import { LoyaltyCardService } from './loyalty-cards/loyalty-card.service.ts';
import { ReferenceCodeService } from './reference-codes/reference-code.service.ts';

export type EngagementDb = Database<typeof tables>['orm'];

export interface EngagementContext extends BaseContext {
  personalData: PersonalDataExport;
  wallets: WalletService;
  loyalty: LoyaltyService;
  loyaltyTiers: LoyaltyTierService;
  loyaltyCards: LoyaltyCardService;
  referenceCodes: ReferenceCodeService;
}

export function createContext(base: BaseContext, db: ScopedDatabase<typeof tables>): EngagementContext {
  const directory = new CustomerDirectory(db.orm, base, customerDirectory);
  return {
    ...base,
    personalData: new PersonalDataExport(db.orm, base, personalData),
    wallets: new WalletService(db.orm, base, directory),
    loyalty: new LoyaltyService(db.orm, base, directory),
    loyaltyTiers: new LoyaltyTierService(db.orm, base),
    loyaltyCards: new LoyaltyCardService(db.orm, base, directory),
    referenceCodes: new ReferenceCodeService(db.orm, base, directory),
  };
}
