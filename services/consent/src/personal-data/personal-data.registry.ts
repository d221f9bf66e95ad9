import type { PersonalDataRegistry } from '@cg/subgraph';
import { customerDirectory, outbox, permissionRecords, permissionStates } from '../db/schema.ts';

/**
 * C19 against P2: permission records are the store's proof of what the customer consented to,
 * which it must be able to show even after erasure (GDPR art. 7(1)), so they stay, under the
 * customer's id; they name no one but that id. The IP address they were given from is the one
 * personal datum they hold, and the only change the append-only trigger lets erasure make
 * (migration 0003).
 */
export const personalData: PersonalDataRegistry = [
  {
    section: 'permissionRecords',
    table: permissionRecords,
    customerColumns: [permissionRecords.customerId],
    erasure: { kind: 'scrub', columns: [permissionRecords.ip] },
  },
  {
    section: 'permissions',
    table: permissionStates,
    customerColumns: [permissionStates.customerId],
    erasure: { kind: 'scrub', columns: [permissionStates.ip] },
  },
  {
    section: 'directory',
    table: customerDirectory,
    customerColumns: [customerDirectory.customerId],
    erasure: { kind: 'custom', why: 'the directory handlers mark the customer erased, for good' },
  },
  {
    section: 'events',
    table: outbox,
    customerColumns: [outbox.customerId],
    erasure: { kind: 'custom', why: "scrubOutbox removes the person's keys from the events" },
    notExported: 'the events repeat the rows of the sections above',
  },
];
