import type { Tx } from '@cg/db';
import type { EventPayloads, NewEvent, SubgraphName } from './catalog.ts';
import { recordEvents } from './record.ts';
import type { OutboxTable } from './tables.ts';

/** What a request knows of its caller: every subgraph's context has these. */
export interface AuditActor {
  principal: { kind: 'staff' | 'customer' | 'guest'; userId: string; storeId: string };
  storeId?: string;
  ip?: string;
}

export interface AuditChange {
  action: string;
  entityType: string;
  entityId: string;
  /** The customer the change concerns, when there is one: the entry is listed under them. */
  customerId?: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** A row or value object as JSON would carry it (dates as ISO strings, no undefined). */
export function auditSnapshot<T extends object>(
  value: T | null | undefined,
  omit: readonly string[] = [],
): Record<string, unknown> | null {
  if (value === null || value === undefined) return null;
  const plain = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
  for (const key of omit) delete plain[key];
  return plain;
}

/**
 * Only the fields that differ, before and after: what an update changed. `updatedAt` and the
 * fields in `omit` are never compared.
 */
export function auditChanges(
  before: object,
  after: object,
  omit: readonly string[] = [],
): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const ignored = new Set(['updatedAt', ...omit]);
  const a = auditSnapshot(before) ?? {};
  const b = auditSnapshot(after) ?? {};
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((key) => !ignored.has(key));
  const changed = keys.filter((key) => JSON.stringify(a[key] ?? null) !== JSON.stringify(b[key] ?? null));
  return {
    before: Object.fromEntries(changed.map((key) => [key, a[key] ?? null])),
    after: Object.fromEntries(changed.map((key) => [key, b[key] ?? null])),
  };
}

/**
 * X5: a subgraph's audit entries, as events for its outbox. Each is recorded in the transaction of
 * its change, so the entry exists exactly when the change does; the customer subgraph keeps the log.
 */
export interface AuditTrail {
  /** The entry as an event, for a `recordEvents` call that records the change's other events too. */
  event(ctx: AuditActor, change: AuditChange): NewEvent<'audit.recorded'>;
  /** The same for an update, to spread into that call: no event when it changed nothing. */
  events(ctx: AuditActor, change: AuditChange): NewEvent<'audit.recorded'>[];
  /** Records the entry alone; an update that changed nothing records none. */
  record(tx: Tx, ctx: AuditActor, change: AuditChange): Promise<void>;
}

/**
 * An update whose before and after are alike (both empty, as `auditChanges` gives for an edit that
 * set every field to what it was) changed nothing: the log would show an edit that never happened.
 */
function changesNothing(change: AuditChange): boolean {
  return (
    change.before !== null && change.after !== null && JSON.stringify(change.before) === JSON.stringify(change.after)
  );
}

export function auditTrail(subgraph: SubgraphName, outbox: OutboxTable): AuditTrail {
  const event = (ctx: AuditActor, change: AuditChange) => auditEvent(ctx, subgraph, change);
  const events = (ctx: AuditActor, change: AuditChange) => (changesNothing(change) ? [] : [event(ctx, change)]);
  return {
    event,
    events,
    record: async (tx, ctx, change) => {
      const recorded = events(ctx, change);
      if (recorded.length) await recordEvents(tx, outbox, recorded);
    },
  };
}

function auditEvent(ctx: AuditActor, subgraph: SubgraphName, change: AuditChange): NewEvent<'audit.recorded'> {
  const actorKind = ctx.principal.kind;
  // Authorization lets no guest (a storefront without a signed-in customer) change anything.
  if (actorKind === 'guest') throw new Error(`A guest cannot ${change.action}`);
  const payload: EventPayloads['audit.recorded'] = {
    actorKind,
    actorId: ctx.principal.userId,
    ip: ctx.ip?.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1') || null,
    action: change.action,
    subgraph,
    entityType: change.entityType,
    entityId: change.entityId,
    before: change.before,
    after: change.after,
    occurredAt: new Date().toISOString(),
  };
  return {
    type: 'audit.recorded',
    storeId: ctx.storeId ?? ctx.principal.storeId,
    customerId: change.customerId ?? null,
    payload,
  };
}
