import 'reflect-metadata';
import { fileURLToPath } from 'node:url';
import type { SubgraphDefinition } from '@cg/subgraph';
import { tables } from './db/schema.ts';
import { createContext, type CommerceHistoryContext } from './context.ts';
import { buildSchema } from './schema.ts';
import { orderLinkingHandlers } from './orders/order-linking.handlers.ts';
import { erasureHandlers } from './erasure/erasure.handlers.ts';
import { combineHandlers, directoryHandlers } from '@cg/events';
import { contactHashKey } from '@cg/auth';
import { blacklistHandlers } from './blacklist/blacklist.handlers.ts';
import { personalData } from './personal-data/personal-data.registry.ts';

export const commerceHistorySubgraph: SubgraphDefinition<typeof tables, CommerceHistoryContext> = {
  name: 'commerce-history',
  dbSchema: 'commerce_history',
  migrationsFolder: fileURLToPath(new URL('./db/migrations', import.meta.url)),
  tables,
  defaultPort: 4002,
  // C14: intake compares keyed hashes of contacts with the blacklist's (blacklist/blacklist.check.ts).
  checkKeys: () => void contactHashKey(),
  buildSchema,
  createContext,
  personalData,
  // A signed-in customer reads their own orders' lines, history, requests and campaigns, their
  // payments' history, and records their feedback.
  rowSecurity: {
    customerThrough: {
      order_items: { column: 'order_id', parent: 'orders', command: 'select' },
      order_status_changes: { column: 'order_id', parent: 'orders', command: 'select' },
      order_requests: { column: 'order_id', parent: 'orders', command: 'select' },
      order_feedback: { column: 'order_id', parent: 'orders', command: 'all' },
      order_campaigns: { column: 'order_id', parent: 'orders', command: 'select' },
      payment_status_changes: { column: 'payment_id', parent: 'payments', command: 'select' },
    },
    // A customer sees the campaigns of their orders, and the coupons of their redemptions (O8).
    customerReadable: ['campaigns', 'coupons'],
  },
  events: {
    outbox: tables.outbox,
    consumer: {
      applied: tables.appliedEvents,
      handlers: combineHandlers(
        directoryHandlers(tables.customerDirectory),
        orderLinkingHandlers,
        erasureHandlers,
        blacklistHandlers,
      ),
    },
  },
};

export { DUPLICATE_ORDER_NUMBER } from './orders/order.service.ts';
export { DUPLICATE_TRANSACTION_CODE } from './payments/payment.service.ts';
export type { CommerceHistoryDb } from './context.ts';
export { DUPLICATE_FEEDBACK } from './orders/order-feedback.service.ts';
export { orderFiguresByCustomer } from './orders/order-outcome.ts';
