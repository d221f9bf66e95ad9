import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '@cg/db';
import {
  loyaltyAccounts,
  loyaltyEntries,
  loyaltyOrderUnits,
  loyaltyPrograms,
  type LoyaltyEntryRow,
} from '../db/schema.ts';
import { reviewTier } from '../loyalty-tiers/loyalty-tier.review.ts';
import { announceAccount, announceEntries } from './loyalty.events.ts';
import type { LoyaltyBonus } from './loyalty.enum.ts';
import { earningBlocked } from '../loyalty-cards/loyalty-card.guard.ts';
import { pointsEarned, ruleOf, shareOf, unitsGone, type LoyaltyRule } from './loyalty.rule.ts';

/**
 * The points ledger's writes (E4), shared by the event handlers (earning, reversal) and the
 * mutations (redemption, adjustment). Every write locks the account row first, then touches its
 * entries: one lock order, so handlers and requests on the same customer queue rather than
 * deadlock, and 50 concurrent redemptions are judged one after the other against the real balance.
 *
 * Pending → spendable is lazy in this slice (a scheduled job comes later): an EARNED entry's
 * `pending` counts as spendable as soon as its `available_at` has passed. Reads compute it so
 * (loyalty.service.ts); every write first moves what is due into `points` (`mature`) in its own
 * transaction, so the stored figures never lag what a write judges by.
 */

interface Account {
  points: number;
  pendingPoints: number;
}

const accountOf = (storeId: string, customerId: string) =>
  and(eq(loyaltyAccounts.storeId, storeId), eq(loyaltyAccounts.customerId, customerId));

/**
 * The customer's account, created on first use, locked for the rest of the transaction; what is
 * due by `at` (default: the database's clock) matured, and what has expired by then written off.
 */
export async function lockAccount(tx: Tx, storeId: string, customerId: string, at?: Date): Promise<Account> {
  await tx.insert(loyaltyAccounts).values({ storeId, customerId }).onConflictDoNothing();
  const [account] = await tx
    .select({ points: loyaltyAccounts.points, pendingPoints: loyaltyAccounts.pendingPoints })
    .from(loyaltyAccounts)
    .where(accountOf(storeId, customerId))
    .for('update');
  if (!account) throw new Error('Loyalty account vanished after its insert');
  const clock = at ? sql`${at.toISOString()}::timestamptz` : sql`now()`;
  return lapse(tx, storeId, customerId, clock, await mature(tx, storeId, customerId, clock, account));
}

/**
 * Writes the EXPIRED entries of the account's lots whose expiry has passed, each taking what its
 * lot still holds, and takes them off the spendable points. A lot expires after it matured
 * (its expiry counts from then), so only spendable points expire.
 */
async function lapse(tx: Tx, storeId: string, customerId: string, at: SQL, account: Account): Promise<Account> {
  const rows = (await tx.execute(sql`
    with lapsed as (
      select id, remaining from ${loyaltyEntries}
      where store_id = ${storeId} and customer_id = ${customerId} and remaining > 0 and expires_at <= ${at}
      for update
    ), cut as (
      update ${loyaltyEntries} e set remaining = 0 from lapsed
      where e.store_id = ${storeId} and e.id = lapsed.id
      returning lapsed.id, lapsed.remaining
    )
    insert into ${loyaltyEntries} (store_id, customer_id, kind, points, lot_id, reason)
    select ${storeId}, ${customerId}, 'expired', -cut.remaining, cut.id, 'Points expired' from cut
    returning id::text, points, reason`)) as unknown as { id: string; points: number; reason: string }[];
  if (rows.length === 0) return account;
  const expired = -rows.reduce((sum, row) => sum + Number(row.points), 0);
  await announceEntries(
    tx,
    rows.map((row) => ({ ...row, points: Number(row.points), storeId, customerId, kind: 'expired' })),
  );
  return move(tx, storeId, customerId, { points: -expired, pendingPoints: 0 });
}

/**
 * Takes `points` off the account's open lots, soonest-expiring first (`first`, the lot of the
 * order being reversed, before all). Spendable parts only: pending points are not spent. The
 * caller holds the account's lock, which serializes every writer of its lots.
 */
async function consume(tx: Tx, storeId: string, customerId: string, points: number, first?: string): Promise<void> {
  if (points <= 0) return;
  await tx.execute(sql`
    with open as (
      select id, remaining - pending as spendable,
        (sum(remaining - pending) over (
          order by id = ${first ?? null}::uuid desc nulls last, expires_at asc nulls last, seq asc))::bigint
          - (remaining - pending) as before
      from ${loyaltyEntries}
      where store_id = ${storeId} and customer_id = ${customerId} and remaining > pending
    ), spent as (
      select id, least(spendable, ${points}::bigint - before)::int as amount from open where before < ${points}::bigint
    )
    update ${loyaltyEntries} e set remaining = e.remaining - spent.amount from spent
    where e.store_id = ${storeId} and e.id = spent.id`);
}

/** When a lot written now, or spendable from `from`, expires under the store's program; null: never. */
function expiryOf(expiryMonths: number | null | undefined, from?: Date) {
  if (!expiryMonths) return null;
  const start = from ? sql`${from.toISOString()}::timestamptz` : sql`now()`;
  return sql`${start} + make_interval(months => ${expiryMonths}::int)`;
}

/** Moves the pending points whose `available_at` has passed into the spendable points. */
async function mature(tx: Tx, storeId: string, customerId: string, at: SQL, account: Account): Promise<Account> {
  const rows = (await tx.execute(sql`
    with due as (
      select id, pending from ${loyaltyEntries}
      where store_id = ${storeId} and customer_id = ${customerId} and pending > 0 and available_at <= ${at}
      for update
    ), zeroed as (
      update ${loyaltyEntries} e set pending = 0 from due
      where e.store_id = ${storeId} and e.id = due.id
      returning due.pending as moved
    )
    select coalesce(sum(moved), 0)::int as moved from zeroed`)) as unknown as { moved: number }[];
  const moved = Number(rows[0]?.moved ?? 0);
  if (moved === 0) return account;
  return move(tx, storeId, customerId, { points: moved, pendingPoints: -moved });
}

/**
 * Adds the (signed) changes to the locked account; its checks refuse a figure below zero. Every
 * change of an account comes through here, so this is where the customer subgraph's projection
 * (list sort, statistics, live summary) hears of it: `loyalty.changed`, in the same transaction.
 */
async function move(tx: Tx, storeId: string, customerId: string, change: Account): Promise<Account> {
  const [updated] = await tx
    .update(loyaltyAccounts)
    .set({
      points: sql`${loyaltyAccounts.points} + ${change.points}`,
      pendingPoints: sql`${loyaltyAccounts.pendingPoints} + ${change.pendingPoints}`,
      updatedAt: new Date(),
    })
    .where(accountOf(storeId, customerId))
    .returning({ points: loyaltyAccounts.points, pendingPoints: loyaltyAccounts.pendingPoints });
  await announceAccount(tx, storeId, customerId);
  return updated!;
}

/** An entry that changes the spendable points only (REDEEMED, ADJUSTED); the caller checked the balance. */
export async function writeSpendableEntry(
  tx: Tx,
  entry: {
    storeId: string;
    customerId: string;
    kind: 'redeemed' | 'adjusted';
    points: number;
    orderId?: string | null;
    reason?: string | null;
    /** A negative ADJUSTED entry's points owed that the balance no longer had (a reversed reward's). */
    shortfall?: number;
    createdBy: string | null;
  },
): Promise<{ entry: LoyaltyEntryRow; account: Account }> {
  let lot: { remaining?: number; expiresAt?: ReturnType<typeof expiryOf> } = {};
  if (entry.points > 0) {
    const [program] = await tx
      .select({ expiryMonths: loyaltyPrograms.expiryMonths })
      .from(loyaltyPrograms)
      .where(eq(loyaltyPrograms.storeId, entry.storeId));
    lot = { remaining: entry.points, expiresAt: expiryOf(program?.expiryMonths) };
  } else {
    await consume(tx, entry.storeId, entry.customerId, -entry.points);
  }
  const [row] = await tx
    .insert(loyaltyEntries)
    .values({ ...entry, ...lot })
    .returning();
  await announceEntries(tx, [row!]);
  const account = await move(tx, entry.storeId, entry.customerId, { points: entry.points, pendingPoints: 0 });
  return { entry: row!, account };
}

interface EarningOrder {
  orderId: string;
  /** Minor units the points are earned on. */
  amount: number;
  currency: string;
  units: number;
  /** Units partial cancellations took off before it earned (left out of `amount`). */
  cancelledUnits: number;
  skus: string[];
  placedAt: string;
}

/**
 * E4: an order that counts as a purchase earns floor(amount × rate) under the store's program as
 * it is now, pending until placedAt + pending days. An order earns once (the partial unique
 * index): a replayed event, or one that came back after a cancellation, earns nothing more.
 */
export async function earn(tx: Tx, storeId: string, customerId: string, order: EarningOrder): Promise<void> {
  const [program] = await tx.select().from(loyaltyPrograms).where(eq(loyaltyPrograms.storeId, storeId));
  if (!program?.enabled) return;
  if (await earningBlocked(tx, storeId, customerId)) return;
  const points = pointsEarned(order.amount, { points: program.ratePoints, perMinorUnits: program.ratePerMinorUnits });
  if (points <= 0) return;
  await lockAccount(tx, storeId, customerId);
  const availableAt = new Date(new Date(order.placedAt).getTime() + program.pendingDays * 86_400_000);
  const [entry] = await tx
    .insert(loyaltyEntries)
    .values({
      storeId,
      customerId,
      kind: 'earned',
      points,
      pending: points,
      remaining: points,
      availableAt,
      expiresAt: expiryOf(program.expiryMonths, availableAt),
      orderId: order.orderId,
      rule: ruleOf(program, {
        amount: order.amount,
        currency: order.currency,
        units: order.units,
        cancelledUnits: order.cancelledUnits,
        skus: order.skus,
        placedAt: order.placedAt,
      }),
    })
    .onConflictDoNothing()
    .returning({ id: loyaltyEntries.id });
  if (!entry) return;
  const account = await move(tx, storeId, customerId, { points: 0, pendingPoints: points });
  // An order placed longer ago than the pending period is spendable at once.
  await mature(tx, storeId, customerId, sql`now()`, account);
  await reviewTier(tx, storeId, customerId);
}

/**
 * How much of what an order earned should be reversed by now: all of it, or the share of the
 * units returned and cancelled so far (cumulative figures, as the events carry them; either may
 * be absent when an event reports only the other).
 */
type ReversalTarget =
  { all: true; reason: string } | { returnedUnits?: number; cancelledUnits?: number; reason: string };

/**
 * E4: brings an order's reversals up to `target`, exactly out of what its EARNED entry holds (not
 * today's rate): the entry's still-pending points first, then spendable points. What the balance
 * no longer has is recorded as the entry's shortfall, not hidden, and counts as reversed, so a
 * later return does not ask for it again. A target below what is already reversed changes
 * nothing: reversals are final (an order moved out of CANCELLED does not earn again; staff can
 * adjust), which keeps every replay and every order of events harmless.
 */
export async function reverse(
  tx: Tx,
  storeId: string,
  customerId: string,
  orderId: string,
  target: ReversalTarget,
): Promise<void> {
  const forOrder = and(eq(loyaltyEntries.storeId, storeId), eq(loyaltyEntries.orderId, orderId));
  const [earned] = await tx
    .select({
      id: loyaltyEntries.id,
      points: loyaltyEntries.points,
      customerId: loyaltyEntries.customerId,
      rule: loyaltyEntries.rule,
    })
    .from(loyaltyEntries)
    .where(and(forOrder, eq(loyaltyEntries.kind, 'earned')));
  // The account the points went to, even if the event names another customer since.
  if (!earned || earned.customerId !== customerId) return;
  const account = await lockAccount(tx, storeId, customerId);
  const [entry] = await tx
    .select({ pending: loyaltyEntries.pending })
    .from(loyaltyEntries)
    .where(and(eq(loyaltyEntries.storeId, storeId), eq(loyaltyEntries.id, earned.id)))
    .for('update');
  const [done] = await tx
    .select({ reversed: sql<number>`coalesce(sum(${loyaltyEntries.shortfall} - ${loyaltyEntries.points}), 0)::int` })
    .from(loyaltyEntries)
    .where(and(forOrder, eq(loyaltyEntries.kind, 'reversed')));
  const wanted =
    'all' in target ? earned.points : await partShare(tx, storeId, orderId, earned.points, earned.rule!, target);
  const owed = wanted - Number(done?.reversed ?? 0);
  if (owed <= 0) return;

  const fromPending = Math.min(owed, entry!.pending);
  const fromPoints = Math.min(owed - fromPending, account.points);
  if (fromPending > 0) {
    await tx
      .update(loyaltyEntries)
      .set({
        pending: sql`${loyaltyEntries.pending} - ${fromPending}`,
        remaining: sql`${loyaltyEntries.remaining} - ${fromPending}`,
      })
      .where(and(eq(loyaltyEntries.storeId, storeId), eq(loyaltyEntries.id, earned.id)));
  }
  // What the order's own lot still holds goes first: the points it earned, where they are left.
  await consume(tx, storeId, customerId, fromPoints, earned.id);
  const [reversal] = await tx
    .insert(loyaltyEntries)
    .values({
      storeId,
      customerId,
      kind: 'reversed',
      points: -(fromPending + fromPoints),
      orderId,
      reason: target.reason,
      shortfall: owed - fromPending - fromPoints,
    })
    .returning();
  await announceEntries(tx, [reversal!]);
  await move(tx, storeId, customerId, { points: -fromPoints, pendingPoints: -fromPending });
  // Never down before the period ends, but a tier the store removed meanwhile goes.
  await reviewTier(tx, storeId, customerId);
}

/**
 * The points the order's returned and cancelled units take back, once this event's figures are
 * kept with the others' (the account is locked, so concurrent events of the order queue here).
 */
async function partShare(
  tx: Tx,
  storeId: string,
  orderId: string,
  points: number,
  rule: LoyaltyRule,
  target: { returnedUnits?: number; cancelledUnits?: number },
): Promise<number> {
  const returnedUnits = target.returnedUnits ?? 0;
  const cancelledUnits = target.cancelledUnits ?? 0;
  const [units] = await tx
    .insert(loyaltyOrderUnits)
    .values({ storeId, orderId, returnedUnits, cancelledUnits })
    .onConflictDoUpdate({
      target: [loyaltyOrderUnits.storeId, loyaltyOrderUnits.orderId],
      set: {
        returnedUnits: sql`greatest(${loyaltyOrderUnits.returnedUnits}, excluded.returned_units)`,
        cancelledUnits: sql`greatest(${loyaltyOrderUnits.cancelledUnits}, excluded.cancelled_units)`,
        updatedAt: new Date(),
      },
    })
    .returning({ returnedUnits: loyaltyOrderUnits.returnedUnits, cancelledUnits: loyaltyOrderUnits.cancelledUnits });
  const gone = unitsGone(rule, units!);
  return shareOf(points, gone.units, gone.orderUnits);
}

/**
 * E3: a bonus of the program, spendable at once, at most once per customer and period: the
 * unique indexes (one sign-up bonus per customer, one birthday bonus per customer and year)
 * decide between concurrent deliveries, and a replay finds its bonus and grants nothing. A
 * REFERRAL bonus (E9) is kept once by its reward's row instead. Returns the entry's id, null
 * when nothing was granted.
 */
export async function grantBonus(
  tx: Tx,
  storeId: string,
  customerId: string,
  bonus: { kind: `${LoyaltyBonus}`; year?: number; points: number; reason: string; expiryMonths: number | null },
): Promise<string | null> {
  if (bonus.points <= 0) return null;
  await lockAccount(tx, storeId, customerId);
  const [entry] = await tx
    .insert(loyaltyEntries)
    .values({
      storeId,
      customerId,
      kind: 'bonus',
      bonus: bonus.kind,
      bonusYear: bonus.year ?? null,
      points: bonus.points,
      remaining: bonus.points,
      expiresAt: expiryOf(bonus.expiryMonths),
      reason: bonus.reason,
    })
    .onConflictDoNothing()
    .returning();
  if (!entry) return null;
  await announceEntries(tx, [entry]);
  await move(tx, storeId, customerId, { points: bonus.points, pendingPoints: 0 });
  return entry.id;
}
