import { throughParent, type PersonalDataRegistry } from '@cg/subgraph';
import {
  customerDirectory,
  loyaltyAccounts,
  loyaltyCards,
  loyaltyEntries,
  outbox,
  referenceCodeAccesses,
  referenceCodeOrders,
  referenceCodeRewards,
  referenceCodeStatusChanges,
  referenceCodeUses,
  referenceCodes,
  walletEntries,
  wallets,
} from '../db/schema.ts';

const LEDGER =
  "a ledger of the store's money or points, kept under the customer's id with nothing else about the person";
const IDS_ONLY = "ids and times only, kept under the customer's id as the ledgers are";

/**
 * C19 in engagement: the wallet and loyalty ledgers are financial records and stay under the
 * customer's id; cards keep their barcodes (pseudonymous ids, as customer ids are). An erased
 * referrer's USER codes lose the code and name that were often the person's own
 * (reference-codes/reference-code.handlers.ts).
 */
export const personalData: PersonalDataRegistry = [
  { section: 'wallets', table: wallets, customerColumns: [wallets.customerId], erasure: { kind: 'keep', why: LEDGER } },
  {
    section: 'walletEntries',
    table: walletEntries,
    customerColumns: [walletEntries.customerId],
    erasure: { kind: 'keep', why: LEDGER },
  },
  {
    section: 'loyaltyAccounts',
    table: loyaltyAccounts,
    customerColumns: [loyaltyAccounts.customerId],
    erasure: { kind: 'keep', why: LEDGER },
  },
  {
    section: 'loyaltyEntries',
    table: loyaltyEntries,
    customerColumns: [loyaltyEntries.customerId],
    erasure: { kind: 'keep', why: LEDGER },
  },
  {
    section: 'loyaltyCards',
    table: loyaltyCards,
    customerColumns: [loyaltyCards.customerId],
    erasure: { kind: 'keep', why: 'barcodes are pseudonymous ids, as customer ids are' },
  },
  {
    section: 'referenceCodes',
    table: referenceCodes,
    customerColumns: [referenceCodes.ownerId],
    erasure: { kind: 'custom', why: 'the codes expire and lose their code and name (reference-code.handlers.ts)' },
  },
  {
    section: 'referenceCodeStatusChanges',
    table: referenceCodeStatusChanges,
    customerColumns: [],
    about: throughParent(referenceCodeStatusChanges.codeId, {
      key: referenceCodes.id,
      customer: referenceCodes.ownerId,
      store: referenceCodes.storeId,
    }),
    erasure: { kind: 'keep', why: IDS_ONLY },
  },
  {
    section: 'referenceCodeUses',
    table: referenceCodeUses,
    customerColumns: [referenceCodeUses.customerId, referenceCodeUses.referrerId],
    erasure: { kind: 'keep', why: IDS_ONLY },
  },
  {
    section: 'referenceCodeAccesses',
    table: referenceCodeAccesses,
    customerColumns: [referenceCodeAccesses.customerId],
    erasure: { kind: 'keep', why: IDS_ONLY },
  },
  {
    section: 'referenceCodeRewards',
    table: referenceCodeRewards,
    customerColumns: [referenceCodeRewards.customerId, referenceCodeRewards.refereeId],
    erasure: {
      kind: 'keep',
      why: "the rewards paid into the ledgers (ids and amounts), kept under the customer's id as they are",
    },
  },
  {
    section: 'referenceCodeOrders',
    table: referenceCodeOrders,
    customerColumns: [referenceCodeOrders.customerId],
    erasure: {
      kind: 'keep',
      why: 'order ids, whether they count and their sales platform, as commerce-history has them',
    },
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
