import type { DomainEvent, EventHandlers, OrderFacts } from '@cg/events';
import type { Tx } from '@cg/db';
import { eq } from 'drizzle-orm';
import { loyaltyPrograms } from '../db/schema.ts';
import { earn, grantBonus, reverse } from './loyalty.ledger.ts';

/**
 * Orders that count as a purchase, as the customer's metrics count them (customer subgraph's
 * metrics.projection.ts): not drafts, and not undone by cancellation, expiry or return.
 */
const NOT_PURCHASES = ['draft', 'cancelled', 'expired', 'returned'];
export const isPurchase = (status: string) => !NOT_PURCHASES.includes(status);

/** A recorded order, or a guest's order linked to the profile (C1), earns when it counts; its returns so far come off. */
async function orderEarns(tx: Tx, event: DomainEvent<'order.recorded' | 'order.linked'>): Promise<void> {
  const order: OrderFacts = event.payload;
  if (!event.customerId || !isPurchase(order.status)) return;
  await earn(tx, event.storeId, event.customerId, {
    orderId: order.orderId,
    amount: order.total - (order.cancelled?.amount ?? 0),
    currency: order.currency,
    units: order.units,
    cancelledUnits: order.cancelled?.units ?? 0,
    skus: order.skus ?? [],
    placedAt: order.placedAt,
  });
  if (order.returnedUnits) {
    await reverse(tx, event.storeId, event.customerId, order.orderId, {
      returnedUnits: order.returnedUnits,
      cancelledUnits: order.cancelled?.units ?? 0,
      reason: `Order ${order.number}: ${order.returnedUnits} of ${order.units} units returned`,
    });
  }
}

const programOf = async (tx: Tx, storeId: string) =>
  (await tx.select().from(loyaltyPrograms).where(eq(loyaltyPrograms.storeId, storeId)))[0];

/**
 * E4: points follow the orders commerce-history records. Each handler runs in the transaction that
 * records the event as applied, and is idempotent besides (an order earns once, a reversal is
 * brought up to a target rather than added), so a replay changes nothing. A guest's order earns
 * nothing until it is linked to a profile.
 */
export const loyaltyHandlers: EventHandlers = {
  'order.recorded': orderEarns,
  'order.linked': orderEarns,

  'order.status_changed': async (tx, event) => {
    const change = event.payload;
    if (!event.customerId) return;
    if (!isPurchase(change.to)) {
      if (isPurchase(change.from)) {
        await reverse(tx, event.storeId, event.customerId, change.orderId, {
          all: true,
          reason: `Order ${change.number} ${change.to}`,
        });
      }
      return;
    }
    // A draft that becomes a purchase earns now, its return window counted from now (the event
    // has no placing date). One that earned before (then was cancelled) earns nothing again.
    if (!isPurchase(change.from)) {
      await earn(tx, event.storeId, event.customerId, {
        orderId: change.orderId,
        amount: change.total - (change.cancelled?.amount ?? 0),
        currency: change.currency,
        units: change.units,
        cancelledUnits: change.cancelled?.units ?? 0,
        skus: [],
        placedAt: event.occurredAt,
      });
    }
  },

  /** A partial return takes back its share of what the order earned (cumulatively exact). */
  'order.return_recorded': async (tx, event) => {
    const { orderId, number, units, orderUnits, returnedUnits } = event.payload;
    if (!event.customerId || returnedUnits.to <= returnedUnits.from) return;
    await reverse(tx, event.storeId, event.customerId, orderId, {
      returnedUnits: returnedUnits.to,
      reason: `Order ${number}: ${units} of ${orderUnits} units returned`,
    });
  },

  /** A partial cancellation takes back its units' share, as a return does (the two add up). */
  'order.cancellation_recorded': async (tx, event) => {
    const { orderId, number, units, orderUnits, cancelled } = event.payload;
    if (!event.customerId || cancelled.to.units <= cancelled.from.units) return;
    await reverse(tx, event.storeId, event.customerId, orderId, {
      cancelledUnits: cancelled.to.units,
      reason: `Order ${number}: ${units} of ${orderUnits} units cancelled`,
    });
  },

  /**
   * E3: the sign-up bonus, when the customer first joins the store and the program is on. Once:
   * a replay or a concurrent delivery of the registration meets the bonus's unique index.
   */
  'customer.registered': async (tx, event) => {
    if (!event.customerId) return;
    const program = await programOf(tx, event.storeId);
    if (!program?.enabled) return;
    await grantBonus(tx, event.storeId, event.customerId, {
      kind: 'sign_up',
      points: program.signUpBonus,
      reason: 'Sign-up bonus',
      expiryMonths: program.expiryMonths,
    });
  },

  /** E3: the birthday bonus, once per customer and year, however often the day is announced. */
  'customer.birthday': async (tx, event) => {
    if (!event.customerId) return;
    const program = await programOf(tx, event.storeId);
    if (!program?.enabled) return;
    await grantBonus(tx, event.storeId, event.customerId, {
      kind: 'birthday',
      year: event.payload.year,
      points: program.birthdayBonus,
      reason: `Birthday bonus ${event.payload.year}`,
      expiryMonths: program.expiryMonths,
    });
  },
};
