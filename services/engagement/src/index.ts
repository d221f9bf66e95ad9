import 'reflect-metadata';
import { fileURLToPath } from 'node:url';
import type { SubgraphDefinition } from '@cg/subgraph';
import { tables } from './db/schema.ts';
import { rowSecurity } from './db/row-security.ts';
import { createContext, type EngagementContext } from './context.ts';
import { buildSchema } from './schema.ts';
import { walletSchedule } from './wallet/wallet.schedule.ts';
import { combineHandlers, directoryHandlers } from '@cg/events';
import { loyaltyHandlers } from './loyalty/loyalty.handlers.ts';
import { loyaltySchedule } from './loyalty/loyalty.schedule.ts';
import { storeSettingsHandlers } from './stores/store-settings.handlers.ts';
import { referenceCodeHandlers } from './reference-codes/reference-code.handlers.ts';
import { erasureHandlers } from './erasure/erasure.handlers.ts';
import { personalData } from './personal-data/personal-data.registry.ts';

export const engagementSubgraph: SubgraphDefinition<typeof tables, EngagementContext> = {
  name: 'engagement',
  dbSchema: 'engagement',
  migrationsFolder: fileURLToPath(new URL('./db/migrations', import.meta.url)),
  tables,
  rowSecurity,
  defaultPort: 4003,
  buildSchema,
  createContext,
  personalData,
  events: {
    outbox: tables.outbox,
    consumer: {
      applied: tables.appliedEvents,
      handlers: combineHandlers(
        directoryHandlers(tables.customerDirectory),
        loyaltyHandlers,
        storeSettingsHandlers,
        referenceCodeHandlers,
        erasureHandlers,
      ),
    },
  },
  schedule: [...loyaltySchedule, ...walletSchedule],
};

export { gs1CheckDigit } from './loyalty-cards/loyalty-card.barcode.ts';
export { settleLoyaltyAccounts } from './loyalty/loyalty.schedule.ts';
export { expireWalletCredits, INSUFFICIENT_BALANCE } from './wallet/wallet.service.ts';
export type { EngagementDb } from './context.ts';
