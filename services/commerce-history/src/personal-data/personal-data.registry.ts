import { throughParent, type PersonalDataRegistry } from '@cg/subgraph';
import {
  couponRedemptions,
  customerContacts,
  customerDirectory,
  orderCampaigns,
  orderFeedback,
  orderItems,
  orderRequests,
  orderStatusChanges,
  orders,
  outbox,
  paymentStatusChanges,
  payments,
} from '../db/schema.ts';

const FINANCIAL = "a financial record of the store, kept under the customer's id with nothing else about the person";
const ofOrder = { key: orders.id, customer: orders.customerId, store: orders.storeId };
const ofPayment = { key: payments.id, customer: payments.customerId, store: payments.storeId };

/**
 * C19 in commerce-history: orders and payments are financial records and stay, with their numbers,
 * items and amounts, under the customer's id (guest orders they registered with included); what
 * identified the person goes: the guest contact a linked order was placed with, IP addresses, the
 * free text of feedback and requests.
 */
export const personalData: PersonalDataRegistry = [
  {
    section: 'orders',
    table: orders,
    customerColumns: [orders.customerId],
    erasure: { kind: 'scrub', columns: [orders.guestName, orders.guestEmail, orders.guestPhone, orders.ip] },
  },
  {
    section: 'orderItems',
    table: orderItems,
    customerColumns: [],
    about: throughParent(orderItems.orderId, ofOrder),
    erasure: { kind: 'keep', why: FINANCIAL },
  },
  {
    section: 'orderStatusChanges',
    table: orderStatusChanges,
    customerColumns: [],
    about: throughParent(orderStatusChanges.orderId, ofOrder),
    erasure: { kind: 'scrub', columns: [orderStatusChanges.ip, orderStatusChanges.note] },
  },
  {
    section: 'orderRequests',
    table: orderRequests,
    customerColumns: [],
    about: throughParent(orderRequests.orderId, ofOrder),
    erasure: { kind: 'scrub', columns: [orderRequests.reason, orderRequests.note, orderRequests.ip] },
  },
  {
    section: 'orderFeedback',
    table: orderFeedback,
    customerColumns: [],
    about: throughParent(orderFeedback.orderId, ofOrder),
    erasure: { kind: 'scrub', columns: [orderFeedback.comment] },
  },
  {
    section: 'orderCampaigns',
    table: orderCampaigns,
    customerColumns: [],
    about: throughParent(orderCampaigns.orderId, ofOrder),
    erasure: { kind: 'keep', why: FINANCIAL },
  },
  {
    section: 'couponRedemptions',
    table: couponRedemptions,
    customerColumns: [couponRedemptions.customerId],
    erasure: { kind: 'keep', why: FINANCIAL },
  },
  {
    section: 'payments',
    table: payments,
    customerColumns: [payments.customerId],
    erasure: { kind: 'scrub', columns: [payments.ip] },
  },
  {
    section: 'paymentStatusChanges',
    table: paymentStatusChanges,
    customerColumns: [],
    about: throughParent(paymentStatusChanges.paymentId, ofPayment),
    erasure: { kind: 'scrub', columns: [paymentStatusChanges.ip] },
  },
  {
    // C14: an erased customer orders no more, so the keyed hashes of their contact go. The blacklist stays.
    section: 'contactHashes',
    table: customerContacts,
    customerColumns: [customerContacts.customerId],
    erasure: { kind: 'delete' },
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
    erasure: { kind: 'custom', why: "scrubOutbox removes the person's keys, from linked guest orders' events too" },
    notExported: 'the events repeat the rows of the sections above',
  },
];
