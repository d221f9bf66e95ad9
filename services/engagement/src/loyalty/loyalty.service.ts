import { eq, inArray, and, sql } from 'drizzle-orm';
import { GraphQLError } from 'graphql';
import { isCheckViolation } from '@cg/db';
import {
  actsFor,
  byKey,
  conflict,
  connectionByParent,
  forbidden,
  keysetSort,
  parseInput,
  zx,
  type BaseContext,
  type ConnectionResult,
  type CustomerDirectory,
} from '@cg/subgraph';
import {
  loyaltyAccounts,
  loyaltyEntries,
  loyaltyPrograms,
  type LoyaltyEntryRow,
  type LoyaltyProgramRow,
} from '../db/schema.ts';
import { audit } from '../audit-trail.ts';
import type { EngagementDb } from '../context.ts';
import type { CustomerRef } from '../customers/customer.type.ts';
import {
  adjustLoyaltyPointsSchema,
  redeemLoyaltyPointsSchema,
  updateLoyaltyProgramSchema,
  type AdjustLoyaltyPointsInput,
  type RedeemLoyaltyPointsInput,
  type UpdateLoyaltyProgramInput,
} from './loyalty.inputs.ts';
import { lockAccount, writeSpendableEntry } from './loyalty.ledger.ts';
import { refuseBlockedRedemption } from '../loyalty-cards/loyalty-card.guard.ts';
import type { LoyaltyRef, LoyaltyState } from './loyalty.type.ts';

/** `extensions.reason` of the CONFLICT a redemption or deduction gets when the points are not there. */
const INSUFFICIENT_POINTS = 'INSUFFICIENT_POINTS';

/** A loyalty_accounts column qualified by its table, for the subquery on loyalty_entries below. */
const outer = (column: typeof loyaltyAccounts.storeId | typeof loyaltyAccounts.customerId) =>
  sql`${loyaltyAccounts}.${sql.identifier(column.name)}`;

/** Newest first; `seq` orders entries written in one transaction and makes every key unique. */
const entrySort = keysetSort<LoyaltyEntryRow>('loyaltyEntry', 'desc', [
  [loyaltyEntries.createdAt, 'timestamptz', (row) => row.createdAt],
  [loyaltyEntries.seq, 'bigint', (row) => row.seq],
]);

const NO_POINTS: LoyaltyState = { points: 0, pendingPoints: 0 };

function insufficientPoints(available?: number): GraphQLError {
  const message =
    available === undefined ? 'Insufficient loyalty points' : `Insufficient loyalty points: ${available} spendable`;
  const error = conflict(message);
  return new GraphQLError(message, { extensions: { ...error.extensions, reason: INSUFFICIENT_POINTS } });
}

export class LoyaltyService {
  constructor(
    private readonly db: EngagementDb,
    private readonly ctx: BaseContext,
    private readonly directory: CustomerDirectory,
  ) {}

  /** E3: the store's program; null until it is first set. */
  async program(): Promise<LoyaltyProgramRow | null> {
    const [row] = await this.db.select().from(loyaltyPrograms).where(eq(loyaltyPrograms.storeId, this.ctx.storeId));
    return row ?? null;
  }

  /**
   * E3: sets the program as a whole. Only later orders earn under it: each EARNED entry keeps the
   * rule it was earned by, and reversals read that.
   */
  async updateProgram(input: UpdateLoyaltyProgramInput): Promise<LoyaltyProgramRow> {
    const data = parseInput(updateLoyaltyProgramSchema, input, 'input');
    const { storeId } = this.ctx;
    const values = {
      enabled: data.enabled,
      ratePoints: data.rate.points,
      ratePerMinorUnits: data.rate.perMinorUnits,
      pendingDays: data.pendingDays,
      signUpBonus: data.signUpBonus,
      birthdayBonus: data.birthdayBonus,
      expiryMonths: data.expiryMonths ?? null,
    };
    return this.db.transaction(async (tx) => {
      const [before] = await tx
        .select()
        .from(loyaltyPrograms)
        .where(eq(loyaltyPrograms.storeId, storeId))
        .for('update');
      const [row] = await tx
        .insert(loyaltyPrograms)
        .values({ storeId, ...values })
        .onConflictDoUpdate({
          target: loyaltyPrograms.storeId,
          set: { ...values, version: sql`${loyaltyPrograms.version} + 1`, updatedAt: new Date() },
        })
        .returning();
      const figures = (program: LoyaltyProgramRow) => ({
        enabled: program.enabled,
        ratePoints: program.ratePoints,
        ratePerMinorUnits: program.ratePerMinorUnits,
        rounding: program.rounding,
        pendingDays: program.pendingDays,
        signUpBonus: program.signUpBonus,
        birthdayBonus: program.birthdayBonus,
        expiryMonths: program.expiryMonths,
        version: program.version,
      });
      await audit.record(tx, this.ctx, {
        action: 'loyalty_program.update',
        entityType: 'LoyaltyProgram',
        entityId: storeId,
        customerId: null,
        before: before ? figures(before) : null,
        after: figures(row!),
      });
      return row!;
    });
  }

  /** `Customer.loyalty`: costs nothing until one of its fields is asked for. */
  forCustomer(customerId: string): LoyaltyRef {
    if (!actsFor(this.ctx, customerId)) throw forbidden('A customer can only see their own loyalty points');
    return { customerId: customerId.toLowerCase() };
  }

  /** Points and pending points, for every customer of the request in one statement. */
  state(loyalty: LoyaltyRef): Promise<LoyaltyState> {
    if (loyalty.state) return Promise.resolve(loyalty.state);
    if (!zx.id.safeParse(loyalty.customerId).success) return Promise.resolve(NO_POINTS);
    return this.stateLoader().load(loyalty.customerId.toLowerCase());
  }

  /**
   * Pending points whose `available_at` has passed count as spendable at once, and lots whose
   * expiry has passed are gone, whether or not a write or the hourly task has moved them yet
   * (loyalty.ledger.ts): the stored figures, less and plus what is due.
   */
  private stateLoader() {
    return this.ctx.loaders.get<string, LoyaltyState>('loyaltyByCustomer', null, async (customerIds) => {
      const due = sql`coalesce((
        select sum(${loyaltyEntries.pending}) from ${loyaltyEntries}
        where ${loyaltyEntries.storeId} = ${outer(loyaltyAccounts.storeId)} and ${loyaltyEntries.customerId} = ${outer(loyaltyAccounts.customerId)}
          and ${loyaltyEntries.pending} > 0 and ${loyaltyEntries.availableAt} <= now()
      ), 0)`;
      // A lot expires after it matured, so what lapsed is its whole remaining part.
      const lapsed = sql`coalesce((
        select sum(${loyaltyEntries.remaining}) from ${loyaltyEntries}
        where ${loyaltyEntries.storeId} = ${outer(loyaltyAccounts.storeId)} and ${loyaltyEntries.customerId} = ${outer(loyaltyAccounts.customerId)}
          and ${loyaltyEntries.remaining} > 0 and ${loyaltyEntries.expiresAt} <= now()
      ), 0)`;
      const rows = await this.db
        .select({
          customerId: loyaltyAccounts.customerId,
          points: sql<number>`(${loyaltyAccounts.points} + ${due} - ${lapsed})::int`.mapWith(Number),
          pendingPoints: sql<number>`(${loyaltyAccounts.pendingPoints} - ${due})::int`.mapWith(Number),
        })
        .from(loyaltyAccounts)
        .where(
          and(eq(loyaltyAccounts.storeId, this.ctx.storeId), inArray(loyaltyAccounts.customerId, [...customerIds])),
        );
      return byKey(customerIds, rows, (row) => row.customerId).map((row) =>
        row ? { points: row.points, pendingPoints: row.pendingPoints } : NO_POINTS,
      );
    });
  }

  /** One statement for every customer of the request that asks for the same page. */
  entries(
    loyalty: LoyaltyRef,
    args: { first?: number | null; after?: string | null },
  ): Promise<ConnectionResult<LoyaltyEntryRow>> {
    return connectionByParent(this.ctx, this.db, {
      relation: 'loyaltyEntriesByCustomer',
      parentId: loyalty.customerId,
      table: loyaltyEntries,
      parentColumn: loyaltyEntries.customerId,
      sort: entrySort,
      where: eq(loyaltyEntries.storeId, this.ctx.storeId),
      args,
    });
  }

  /** E4: a manual change with a reason; a deduction must be covered by the spendable points. */
  adjust(input: AdjustLoyaltyPointsInput) {
    const data = parseInput(adjustLoyaltyPointsSchema, input, 'input');
    return this.change(data.customerId, data.points, {
      kind: 'adjusted',
      reason: data.reason,
      action: 'loyalty.adjust',
    });
  }

  /**
   * E4: spends points on the locked account, so concurrent redemptions are judged one after the
   * other against the real balance; the account's check is the backstop.
   */
  redeem(input: RedeemLoyaltyPointsInput) {
    const data = parseInput(redeemLoyaltyPointsSchema, input, 'input');
    return this.change(data.customerId, -data.points, {
      kind: 'redeemed',
      orderId: data.orderId?.toLowerCase() ?? null,
      action: 'loyalty.redeem',
    });
  }

  private async change(
    rawCustomerId: string,
    points: number,
    what: { kind: 'adjusted' | 'redeemed'; reason?: string; orderId?: string | null; action: string },
  ): Promise<{ entry: LoyaltyEntryRow; loyalty: LoyaltyRef; customer: CustomerRef }> {
    const { storeId } = this.ctx;
    const customerId = rawCustomerId.toLowerCase();
    // Only a customer of the store, not erased, gets new entries (BAD_USER_INPUT on the field, CONFLICT when erased).
    await this.directory.requireNamed(customerId, 'record');
    try {
      const result = await this.db.transaction(async (tx) => {
        const before = await lockAccount(tx, storeId, customerId);
        if (what.kind === 'redeemed') await refuseBlockedRedemption(tx, storeId, customerId);
        if (points < 0 && before.points < -points) throw insufficientPoints(before.points);
        const { entry, account } = await writeSpendableEntry(tx, {
          storeId,
          customerId,
          kind: what.kind,
          points,
          orderId: what.orderId ?? null,
          reason: what.reason ?? null,
          createdBy: this.ctx.principal.userId,
        });
        await audit.record(tx, this.ctx, {
          action: what.action,
          entityType: 'CustomerLoyalty',
          entityId: customerId,
          customerId,
          before: { points: before.points, pendingPoints: before.pendingPoints },
          after: {
            points: account.points,
            pendingPoints: account.pendingPoints,
            entryId: entry.id,
            kind: entry.kind,
            change: points,
            reason: entry.reason,
            orderId: entry.orderId,
          },
        });
        return { entry, state: account };
      });
      this.stateLoader().clear(customerId).prime(customerId, result.state);
      return { entry: result.entry, loyalty: { customerId, state: result.state }, customer: { id: customerId } };
    } catch (error) {
      if (isCheckViolation(error, 'loyalty_accounts_points_check')) throw insufficientPoints();
      throw error;
    }
  }
}
