export {
  EVENT_ROUTES,
  type OrderFacts,
  type ReturnedUnitsChange,
  type CancelledPart,
  type EventPayloads,
  type EventType,
  type DomainEvent,
  type NewEvent,
  type SubgraphName,
} from './catalog.ts';
export { outboxTable, appliedEventsTable, type OutboxTable, type AppliedEventsTable } from './tables.ts';
export { recordEvents, OUTBOX_CHANNEL } from './record.ts';
export {
  auditTrail,
  auditChanges,
  auditSnapshot,
  type AuditActor,
  type AuditChange,
  type AuditTrail,
} from './audit.ts';
export {
  startEventDelivery,
  applyEvent,
  applyEventIn,
  combineHandlers,
  toDomainEvent,
  partitionOf,
  type EventDelivery,
  type EventHandlers,
  type EventWiring,
} from './delivery.ts';
export { scrubPersonalData, scrubEventPayload, scrubOutbox, MASKED_PERSONAL_KEYS } from './erasure.ts';
export { replay, type ReplaySource } from './replay.ts';
export {
  customerDirectoryTable,
  directoryHandlers,
  DIRECTORY_DELETED,
  type CustomerDirectoryTable,
} from './directory.ts';
export { startScheduledTasks, type ScheduledTask, type ScheduledTasks } from './scheduled-tasks.ts';
