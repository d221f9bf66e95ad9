import 'reflect-metadata';
import { fileURLToPath } from 'node:url';
import { tables } from './db/schema/index.ts';
import { createContext, type CustomerContext } from './context.ts';
import { buildSchema } from './schema.ts';
import { rowSecurity } from './db/row-security.ts';
import { combineHandlers } from '@cg/events';
import { metricsHandlers } from './metrics/metrics.projection.ts';
import { timelineHandlers } from './timeline/timeline.handlers.ts';
import { guestHandlers } from './guests/guest.service.ts';
import { auditHandlers } from './audit/audit.handlers.ts';
import { accessRoute } from './access/access.route.ts';
import { directoryRoute } from './directory/directory.route.ts';
import { birthdaySchedule } from './birthdays/birthday.schedule.ts';
import { deletionSchedule } from './deletion/deletion.schedule.ts';
import { DIRECTORY_PATH, type SubgraphDefinition } from '@cg/subgraph';
import { contactHashKey } from '@cg/auth';
import { personalData } from './personal-data/personal-data.registry.ts';
import { messageHandlers } from './messages/message.handlers.ts';

export const customerSubgraph: SubgraphDefinition<typeof tables, CustomerContext> = {
  name: 'customer',
  dbSchema: 'customer',
  migrationsFolder: fileURLToPath(new URL('./db/migrations', import.meta.url)),
  tables,
  defaultPort: 4001,
  rowSecurity,
  // C14: blacklist.changed carries keyed hashes of the contacts (blacklist/blacklist.service.ts).
  checkKeys: () => void contactHashKey(),
  buildSchema,
  createContext,
  personalData,
  routes: (db) => ({ '/access': accessRoute(db), [DIRECTORY_PATH]: directoryRoute(db) }),
  schedule: [...birthdaySchedule, ...deletionSchedule],
  events: {
    outbox: tables.outbox,
    consumer: {
      applied: tables.appliedEvents,
      handlers: combineHandlers(metricsHandlers, timelineHandlers, guestHandlers, auditHandlers, messageHandlers),
    },
  },
};

export { createStore, findStore, findStoreByName } from './stores/store.service.ts';
export { addOwner } from './access/staff-member.service.ts';
export { announceBirthdays } from './birthdays/birthday.schedule.ts';
export { DUPLICATE_CONTACT } from './customers/customer.service.ts';
export type { CustomerDb } from './context.ts';
export { NOT_PURCHASES, metricsHandlers } from './metrics/metrics.projection.ts';
