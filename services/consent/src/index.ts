import 'reflect-metadata';
import { fileURLToPath } from 'node:url';
import type { SubgraphDefinition } from '@cg/subgraph';
import { tables } from './db/schema.ts';
import { createContext, type ConsentContext } from './context.ts';
import { buildSchema } from './schema.ts';
import { combineHandlers, directoryHandlers } from '@cg/events';
import { erasureHandlers } from './erasure/erasure.handlers.ts';
import { personalData } from './personal-data/personal-data.registry.ts';

export const consentSubgraph: SubgraphDefinition<typeof tables, ConsentContext> = {
  name: 'consent',
  dbSchema: 'consent',
  migrationsFolder: fileURLToPath(new URL('./db/migrations', import.meta.url)),
  tables,
  defaultPort: 4004,
  // Published documents are the store's, not a customer's: customers read them to consent.
  rowSecurity: { customerReadable: ['legal_documents'] },
  buildSchema,
  createContext,
  personalData,
  events: {
    outbox: tables.outbox,
    consumer: {
      applied: tables.appliedEvents,
      handlers: combineHandlers(directoryHandlers(tables.customerDirectory), erasureHandlers),
    },
  },
};

export type { ConsentDb } from './context.ts';
