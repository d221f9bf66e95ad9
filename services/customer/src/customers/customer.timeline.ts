import type { CustomerRow } from '../db/schema/index.ts';
import type { NewTimelineEntry } from '../timeline/timeline.service.ts';

/** Profile fields whose changes the timeline shows, in the order it lists them. */
const TRACKED = [
  'firstName',
  'lastName',
  'email',
  'phone',
  'gender',
  'birthDate',
  'country',
  'language',
  'tags',
  'isBusiness',
  'companyName',
  'taxOffice',
  'taxNumber',
  'vipMemberNumber',
  'vipVerificationCode',
] as const satisfies readonly (keyof CustomerRow)[];

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** C15: the entries for a profile edit: what changed (before and after), a status change, a note. */
export function profileChangeEntries(before: CustomerRow, after: CustomerRow, actor: string): NewTimelineEntry[] {
  const base = { storeId: after.storeId, customerId: after.id, actor, orderId: null };
  const entries: NewTimelineEntry[] = [];
  const changed = Object.fromEntries(
    TRACKED.filter((field) => !same(before[field], after[field])).map((field) => [
      field,
      { before: before[field], after: after[field] },
    ]),
  );
  if (Object.keys(changed).length) {
    entries.push({
      ...base,
      kind: 'edited',
      summary: `Edited ${Object.keys(changed).join(', ')}`,
      data: { changes: changed },
    });
  }
  if (before.status !== after.status) {
    const summary = after.status === 'blocked' ? 'Blocked' : `Status changed from ${before.status} to ${after.status}`;
    entries.push({ ...base, kind: 'status_changed', summary, data: { before: before.status, after: after.status } });
  }
  if (!same(before.notes, after.notes)) {
    entries.push({
      ...base,
      kind: 'note',
      summary: after.notes ? 'Note updated' : 'Note removed',
      data: { before: before.notes, after: after.notes },
    });
  }
  return entries;
}

export function createdEntry(customer: CustomerRow, actor: string): NewTimelineEntry {
  return {
    storeId: customer.storeId,
    customerId: customer.id,
    kind: 'created',
    summary: 'Customer created',
    data: { email: customer.email, phone: customer.phone, status: customer.status },
    actor,
    orderId: null,
    occurredAt: customer.createdAt,
  };
}
