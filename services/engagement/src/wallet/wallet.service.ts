import { recordEvents, type NewEvent } from '@cg/events';
import { and, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { isCheckViolation, type Tx } from '@cg/db';
import {
  badUserInput,
  byKey,
  forbidden,
  actsFor,
  parseInput,
  zx,
  type BaseContext,
  type ConnectionResult,
  type CustomerDirectory,
  connectionByParent,
  keysetSort,
  tableConnection,
} from '@cg/subgraph';
import { outbox, walletEntries, wallets, type WalletEntryRow } from '../db/schema.ts';
import { audit } from '../audit-trail.ts';
import type { EngagementDb } from '../context.ts';
import {
  adjustWalletSchema,
  walletEntryFilterSchema,
  type AdjustWalletInput,
  type WalletEntryFilter,
} from './wallet.inputs.ts';
import type { CustomerRef } from '../customers/customer.type.ts';
import type { WalletRef, WalletState } from './wallet.type.ts';

export const INSUFFICIENT_BALANCE = 'Insufficient wallet balance';
const EXPIRY_REASON = 'Credit expired';

/**
 * A wallets column qualified by its table. drizzle writes a selected expression's columns bare
 * ("store_id"), which inside a subquery on wallet_entries would name wallet_entries' own column.
 */
const outer = (column: typeof wallets.storeId | typeof wallets.customerId) =>
  sql`${wallets}.${sql.identifier(column.name)}`;

/** Newest first; `seq` orders entries written in one transaction and makes every key unique. */
const entrySort = keysetSort<WalletEntryRow>('walletEntry', 'desc', [
  [walletEntries.createdAt, 'timestamptz', (row) => row.createdAt],
  [walletEntries.seq, 'bigint', (row) => row.seq],
]);

export class WalletService {
  constructor(
    private readonly db: EngagementDb,
    private readonly ctx: BaseContext,
    private readonly directory: CustomerDirectory,
  ) {}

  /** `Customer.wallet`: costs nothing until one of its fields is asked for. */
  forCustomer(customerId: string): WalletRef {
    if (!actsFor(this.ctx, customerId)) throw forbidden('A customer can only see their own wallet');
    return { customerId: customerId.toLowerCase() };
  }

  /** Currency and balance, for every customer of the request in one statement; null without a wallet. */
  state(wallet: WalletRef): Promise<WalletState | null> {
    if (wallet.state !== undefined) return Promise.resolve(wallet.state);
    if (!zx.id.safeParse(wallet.customerId).success) return Promise.resolve(null);
    return this.stateLoader().load(wallet.customerId.toLowerCase());
  }

  /**
   * Credit whose expiry has passed leaves the balance at once, whether or not the sweep has written
   * its EXPIRY entry yet: the stored balance minus the unspent rest of lapsed credits.
   */
  private stateLoader() {
    return this.ctx.loaders.get<string, WalletState | null>('walletByCustomer', null, async (customerIds) => {
      const rows = await this.db
        .select({
          customerId: wallets.customerId,
          currency: wallets.currency,
          balance: sql<number>`(${wallets.balance} - coalesce((
            select sum(${walletEntries.remaining}) from ${walletEntries}
            where ${walletEntries.storeId} = ${outer(wallets.storeId)} and ${walletEntries.customerId} = ${outer(wallets.customerId)}
              and ${walletEntries.kind} = 'credit' and ${walletEntries.remaining} > 0 and ${walletEntries.expiresAt} <= now()
          ), 0))::bigint`.mapWith(Number),
        })
        .from(wallets)
        .where(and(eq(wallets.storeId, this.ctx.storeId), inArray(wallets.customerId, [...customerIds])));
      return byKey(customerIds, rows, (row) => row.customerId).map((row) =>
        row ? { currency: row.currency, balance: row.balance } : null,
      );
    });
  }

  /** One statement for every customer of the request that asks for the same page. */
  async entries(
    wallet: WalletRef,
    args: { first?: number | null; after?: string | null },
  ): Promise<ConnectionResult<WalletEntryRow>> {
    return connectionByParent(this.ctx, this.db, {
      relation: 'walletEntriesByCustomer',
      parentId: wallet.customerId,
      table: walletEntries,
      parentColumn: walletEntries.customerId,
      sort: entrySort,
      where: eq(walletEntries.storeId, this.ctx.storeId),
      args,
    });
  }

  /** E2 across all customers: the store's ledger, newest first. */
  async list(args: {
    first?: number | null;
    after?: string | null;
    filter?: WalletEntryFilter | null;
  }): Promise<ConnectionResult<WalletEntryRow>> {
    const filter = parseInput(walletEntryFilterSchema, args.filter ?? undefined, 'filter');
    const conditions: SQL[] = [eq(walletEntries.storeId, this.ctx.storeId)];
    if (filter?.customerId) conditions.push(eq(walletEntries.customerId, filter.customerId));
    if (filter?.kind) conditions.push(eq(walletEntries.kind, filter.kind));
    if (filter?.from) conditions.push(gte(walletEntries.createdAt, filter.from));
    if (filter?.to) conditions.push(lt(walletEntries.createdAt, filter.to));
    return tableConnection(this.db, { table: walletEntries, sort: entrySort, conditions: conditions, args });
  }

  /**
   * E1: adds (positive amount) or deducts (negative amount) in one transaction on the locked wallet:
   * lapsed credits expire first, a debit must be covered by the balance and spends the
   * soonest-expiring credits first. The balance check on the table is the backstop.
   */
  async adjust(input: AdjustWalletInput): Promise<{ entry: WalletEntryRow; wallet: WalletRef; customer: CustomerRef }> {
    const data = parseInput(adjustWalletSchema, input, 'input');
    const { storeId } = this.ctx;
    const customerId = data.customerId.toLowerCase();
    const isCredit = data.amount > 0;
    // Only a customer of the store, not erased, gets new entries (NOT_FOUND, CONFLICT).
    await this.directory.require(customerId, 'record');
    try {
      const result = await this.db.transaction(async (tx) => {
        await tx.insert(wallets).values({ storeId, customerId, currency: data.currency }).onConflictDoNothing();
        const [wallet] = await tx
          .select()
          .from(wallets)
          .where(and(eq(wallets.storeId, storeId), eq(wallets.customerId, customerId)))
          .for('update');
        if (!wallet) throw new Error('Wallet vanished after its insert');
        if (wallet.currency !== data.currency) {
          const message = `must be ${wallet.currency}, the currency of the wallet`;
          throw badUserInput(`Invalid input.currency: ${message}`, [{ field: 'input.currency', message }]);
        }

        const [expired] = await expireCredits(
          tx,
          sql`store_id = ${storeId} and customer_id = ${customerId}`,
          sql`now()`,
        );
        const balance = expired?.balance ?? wallet.balance;

        if (!isCredit) {
          const needed = -data.amount;
          if (balance < needed) throw insufficientBalance(balance, wallet.currency);
          await spendCredits(tx, storeId, customerId, needed);
        }

        const [entry] = await tx
          .insert(walletEntries)
          .values({
            storeId,
            customerId,
            kind: isCredit ? 'credit' : 'debit',
            amount: data.amount,
            currency: wallet.currency,
            reason: data.reason,
            expiresAt: isCredit ? (data.expiresAt ?? null) : null,
            remaining: isCredit ? data.amount : null,
            createdBy: this.ctx.principal.userId,
            notifyCustomer: data.notifyCustomer ?? false,
          })
          .returning();
        const [updated] = await tx
          .update(wallets)
          .set({ balance: sql`${wallets.balance} + ${data.amount}`, updatedAt: new Date() })
          .where(and(eq(wallets.storeId, storeId), eq(wallets.customerId, customerId)))
          .returning();
        await recordEvents(tx, outbox, [
          ...expiredEvents(expired ? [expired] : []),
          {
            type: 'wallet.changed',
            storeId,
            customerId,
            payload: {
              balance: updated!.balance,
              currency: updated!.currency,
              amount: data.amount,
              kind: entry!.kind,
              reason: data.reason,
              recordedBy: entry!.createdBy,
              notifyCustomer: data.notifyCustomer ?? false,
            },
          },
          audit.event(this.ctx, {
            action: 'wallet.adjust',
            entityType: 'Wallet',
            entityId: customerId,
            customerId,
            before: { balance: wallet.balance, currency: wallet.currency },
            after: {
              balance: updated!.balance,
              currency: updated!.currency,
              entryId: entry!.id,
              kind: entry!.kind,
              amount: data.amount,
              reason: data.reason,
              expiresAt: entry!.expiresAt?.toISOString() ?? null,
              ...(expired ? { expiredFirst: expired.expired } : {}),
            },
          }),
        ]);
        return { entry: entry!, state: { currency: updated!.currency, balance: updated!.balance } };
      });
      this.stateLoader().clear(customerId).prime(customerId, result.state);
      return { entry: result.entry, wallet: { customerId, state: result.state }, customer: { id: customerId } };
    } catch (error) {
      if (isCheckViolation(error, 'wallets_balance_check')) throw insufficientBalance();
      throw error;
    }
  }
}

/**
 * E9: a credit the system writes in a handler's transaction (a reference code's reward). The
 * wallet is opened in `currency` if the customer has none; one in another currency gets nothing
 * (null), since a credit cannot be converted.
 */
export async function creditWallet(
  tx: Tx,
  entry: { storeId: string; customerId: string; amount: number; currency: string; reason: string },
): Promise<string | null> {
  const { storeId, customerId, amount, currency, reason } = entry;
  await tx.insert(wallets).values({ storeId, customerId, currency }).onConflictDoNothing();
  const wallet = await lockWallet(tx, storeId, customerId);
  if (wallet.currency !== currency) return null;
  const [written] = await tx
    .insert(walletEntries)
    .values({ storeId, customerId, kind: 'credit', amount, currency, reason, remaining: amount })
    .returning({ id: walletEntries.id });
  await changeBalance(tx, storeId, customerId, amount, 'credit', reason, []);
  return written!.id;
}

/**
 * E9: takes back a system credit (a reversed reward) with a DEBIT entry, as far as the balance
 * still has it: what was spent since is the shortfall, recorded by the caller, never a negative
 * balance. Lapsed credits expire first, as for any debit.
 */
export async function debitWallet(
  tx: Tx,
  entry: { storeId: string; customerId: string; amount: number; reason: string },
): Promise<{ entryId: string | null; shortfall: number }> {
  const { storeId, customerId, amount, reason } = entry;
  const wallet = await lockWallet(tx, storeId, customerId);
  const expired = await expireCredits(tx, sql`store_id = ${storeId} and customer_id = ${customerId}`, sql`now()`);
  const balance = expired[0]?.balance ?? wallet.balance;
  const taken = Math.min(balance, amount);
  if (taken <= 0) {
    await recordEvents(tx, outbox, expiredEvents(expired));
    return { entryId: null, shortfall: amount };
  }
  await spendCredits(tx, storeId, customerId, taken);
  const [written] = await tx
    .insert(walletEntries)
    .values({ storeId, customerId, kind: 'debit', amount: -taken, currency: wallet.currency, reason })
    .returning({ id: walletEntries.id });
  await changeBalance(tx, storeId, customerId, -taken, 'debit', reason, expired);
  return { entryId: written!.id, shortfall: amount - taken };
}

async function lockWallet(tx: Tx, storeId: string, customerId: string) {
  const [wallet] = await tx
    .select()
    .from(wallets)
    .where(and(eq(wallets.storeId, storeId), eq(wallets.customerId, customerId)))
    .for('update');
  if (!wallet) throw new Error('Wallet vanished after its insert');
  return wallet;
}

/** The locked wallet's balance moves by `amount`; the customer subgraph hears of it (`wallet.changed`). */
async function changeBalance(
  tx: Tx,
  storeId: string,
  customerId: string,
  amount: number,
  kind: 'credit' | 'debit',
  reason: string,
  expired: ExpiredWallet[],
): Promise<void> {
  const [updated] = await tx
    .update(wallets)
    .set({ balance: sql`${wallets.balance} + ${amount}`, updatedAt: new Date() })
    .where(and(eq(wallets.storeId, storeId), eq(wallets.customerId, customerId)))
    .returning();
  await recordEvents(tx, outbox, [
    ...expiredEvents(expired),
    {
      type: 'wallet.changed',
      storeId,
      customerId,
      payload: { balance: updated!.balance, currency: updated!.currency, amount, kind, reason, recordedBy: null },
    },
  ]);
}

/** Expiry lowers a balance like any debit; consumers hear of it the same way. */
function expiredEvents(expired: ExpiredWallet[]): NewEvent[] {
  return expired.map((wallet) => ({
    type: 'wallet.changed' as const,
    storeId: wallet.storeId,
    customerId: wallet.customerId,
    payload: {
      balance: wallet.balance,
      currency: wallet.currency,
      amount: -wallet.expired,
      kind: 'expiry',
      reason: EXPIRY_REASON,
      recordedBy: null,
    },
  }));
}

function insufficientBalance(balance?: number, currency?: string) {
  const message =
    balance === undefined ? 'exceeds the wallet balance' : `exceeds the wallet balance of ${balance} ${currency}`;
  return badUserInput(INSUFFICIENT_BALANCE, [{ field: 'input.amount', message }]);
}

/**
 * Spends `amount` from the open credits of a locked wallet, soonest expiry first (credits that
 * never expire last), then oldest first. The caller has checked that the balance covers it.
 */
async function spendCredits(tx: Tx, storeId: string, customerId: string, amount: number): Promise<void> {
  await tx.execute(sql`
    with open as (
      select id, remaining,
        (sum(remaining) over (order by expires_at asc nulls last, seq asc))::bigint - remaining as before
      from ${walletEntries}
      where store_id = ${storeId} and customer_id = ${customerId} and kind = 'credit' and remaining > 0
    ), spent as (
      select id, least(remaining, ${amount}::bigint - before) as amount from open where before < ${amount}::bigint
    )
    update ${walletEntries} set remaining = remaining - spent.amount
    from spent where ${walletEntries}.store_id = ${storeId} and ${walletEntries}.id = spent.id`);
}

interface ExpiredWallet {
  storeId: string;
  customerId: string;
  /** The stored balance after the expiry. */
  balance: number;
  currency: string;
  credits: number;
  /** Minor units that left the balance. */
  expired: number;
}

/**
 * Expires the lapsed credits of wallets the caller has locked (`scope` is a condition on
 * wallet_entries' store_id/customer_id): each gets an EXPIRY entry for its unspent rest, its
 * `remaining` drops to zero and its wallet's balance goes down by as much. One statement.
 */
async function expireCredits(tx: Tx, scope: SQL, at: SQL): Promise<ExpiredWallet[]> {
  const rows = await tx.execute<Record<string, unknown>>(sql`
    with lapsed as (
      select id, store_id, customer_id, currency, remaining from ${walletEntries}
      where ${scope} and kind = 'credit' and remaining > 0 and expires_at <= ${at}
      for update
    ), zeroed as (
      update ${walletEntries} set remaining = 0 where (store_id, id) in (select store_id, id from lapsed) returning id
    ), written as (
      insert into ${walletEntries} (store_id, customer_id, kind, amount, currency, reason, expired_credit_id)
      select store_id, customer_id, 'expiry', -remaining, currency, ${EXPIRY_REASON}, id from lapsed
      returning store_id, customer_id, amount
    ), totals as (
      select store_id, customer_id, sum(amount)::bigint as amount, count(*)::int as credits
      from written group by store_id, customer_id
    )
    update ${wallets} as w set balance = w.balance + t.amount, updated_at = now()
    from totals t where w.store_id = t.store_id and w.customer_id = t.customer_id
    returning w.store_id, w.customer_id, w.balance, w.currency, t.credits, -t.amount as expired`);
  return (rows as unknown as Record<string, unknown>[]).map((row) => ({
    storeId: String(row.store_id),
    customerId: String(row.customer_id),
    balance: Number(row.balance),
    currency: String(row.currency),
    credits: Number(row.credits),
    expired: Number(row.expired),
  }));
}

/**
 * E1: writes the EXPIRY entries of every credit, in every store, whose expiry is at or before `now`
 * (default: the database's clock), in batches of wallets, one transaction each. Wallets that a
 * request holds are skipped (that request expires them itself), so it never waits on traffic and
 * several replicas may run it at once. Returns the number of credits expired. Reads do not depend
 * on it: lapsed credit is left out of every balance as soon as it lapses.
 */
export async function expireWalletCredits(
  db: EngagementDb,
  now?: Date,
  options: { batchSize?: number } = {},
): Promise<number> {
  const batchSize = options.batchSize ?? 500;
  const at = now ? sql`${now.toISOString()}::timestamptz` : sql`now()`;
  let expired = 0;
  for (;;) {
    const batch = await db.transaction(async (tx) => {
      const locked = (await tx.execute<Record<string, unknown>>(sql`
        select store_id::text, customer_id::text from ${wallets}
        where (store_id, customer_id) in (
          select store_id, customer_id from ${walletEntries}
          where kind = 'credit' and remaining > 0 and expires_at <= ${at})
        order by store_id, customer_id
        limit ${batchSize}
        for update skip locked`)) as unknown as { store_id: string; customer_id: string }[];
      if (locked.length === 0) return { wallets: 0, credits: 0 };
      const storeIds = `{${locked.map((row) => row.store_id).join(',')}}`;
      const customerIds = `{${locked.map((row) => row.customer_id).join(',')}}`;
      const done = await expireCredits(
        tx,
        sql`(store_id, customer_id) in (select * from unnest(${storeIds}::uuid[], ${customerIds}::uuid[]))`,
        at,
      );
      await recordEvents(tx, outbox, expiredEvents(done));
      return { wallets: locked.length, credits: done.reduce((sum, row) => sum + row.credits, 0) };
    });
    expired += batch.credits;
    if (batch.wallets < batchSize) return expired;
  }
}
