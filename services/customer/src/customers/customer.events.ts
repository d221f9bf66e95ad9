import { auditChanges, auditSnapshot, type AuditChange, type NewEvent } from '@cg/events';
import { AUDIT_BOOKKEEPING } from '../audit-trail.ts';
import type { CustomerRow } from '../db/schema/index.ts';

/** Columns the audit log leaves out of a profile: derived or bookkeeping. */
const AUDIT_OMIT = [...AUDIT_BOOKKEEPING, 'nameKey', 'lastNameKey', 'emailKey', 'identityId'];

const customerAudit = (
  action: string,
  id: string,
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
) => ({
  action,
  entityType: 'Customer',
  entityId: id,
  customerId: id,
  before,
  after,
});

/** X5: a new profile as the audit log keeps it. */
export function createdAudit(row: CustomerRow): AuditChange {
  return customerAudit('customer.create', row.id, null, auditSnapshot(row, AUDIT_OMIT));
}

/** X5: the columns an edit changed, before and after. */
export function updatedAudit(before: CustomerRow, after: CustomerRow): AuditChange {
  const changed = auditChanges(before, after, AUDIT_OMIT);
  return customerAudit('customer.update', after.id, changed.before, changed.after);
}

/**
 * `customer.updated` with the fields an edit changed, and `customer.status_changed` apart. Internal
 * notes are named among the fields but their text never leaves this subgraph.
 */
export function profileEvents(before: CustomerRow, after: CustomerRow): NewEvent[] {
  const events: NewEvent[] = [];
  const base = { storeId: after.storeId, customerId: after.id };
  const changed = auditChanges(before, after, [...AUDIT_OMIT, 'status']);
  const fields = Object.keys(changed.after);
  if (fields.length) {
    delete changed.before.notes;
    delete changed.after.notes;
    events.push({
      ...base,
      type: 'customer.updated',
      payload: { fields, before: changed.before, after: changed.after },
    });
  }
  if (before.status !== after.status) {
    events.push({ ...base, type: 'customer.status_changed', payload: { from: before.status, to: after.status } });
  }
  return events;
}
