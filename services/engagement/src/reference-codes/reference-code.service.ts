import { and, asc, count, eq, inArray, or, sql } from 'drizzle-orm';
import { GraphQLError } from 'graphql';
import { isUniqueViolation, type Tx } from '@cg/db';
import { auditChanges, auditSnapshot, recordEvents } from '@cg/events';
import {
  actsFor,
  conflict,
  connectionByParent,
  forbidden,
  invalidField,
  keysetSort,
  loadByParent,
  loadInStore,
  notFound,
  parseInput,
  requireId,
  rootConnection,
  startsWith,
  byKey,
  type BaseContext,
  type ConnectionResult,
  type CustomerDirectory,
} from '@cg/subgraph';
import {
  loyaltyTiers,
  outbox,
  referenceCodeAccesses,
  referenceCodeRewards,
  referenceCodes,
  referenceCodeStatusChanges,
  referenceCodeUses,
  type ReferenceCodeRewardRow,
  type ReferenceCodeRow,
  type ReferenceCodeStatusChangeRow,
  type ReferenceCodeUseRow,
} from '../db/schema.ts';
import { audit } from '../audit-trail.ts';
import type { EngagementDb } from '../context.ts';
import {
  ReferenceCodeAction,
  ReferenceCodeRefusal,
  ReferenceCodeStatus,
  ReferenceCodeType,
} from './reference-code.enum.ts';
import { generateReferenceCode } from './reference-code.generate.ts';
import {
  createReferenceCodeSchema,
  referenceCodeFilterSchema,
  referrerRewardIndex,
  updateReferenceCodeSchema,
  useReferenceCodeSchema,
  type CreateReferenceCodeInput,
  type ReferenceCodeFilter,
  type UpdateReferenceCodeInput,
  type UseReferenceCodeInput,
} from './reference-code.inputs.ts';
import { referenceCodeStatus, referenceCodeStatusesCondition } from './reference-code.status.ts';
import { failedRule, NO_RULES, type ReferenceCodeRewardTerm, type ReferenceCodeRules } from './reference-code.rules.ts';

const AUDIT_BOOKKEEPING = ['storeId', 'codeKey', 'nameKey', 'createdAt', 'updatedAt', 'createdBy'];
/** A generated code that meets one of the store's is made again; this many times at most. */
const GENERATE_ATTEMPTS = 5;

/** Newest first; served by reference_codes_store_created_idx (and _owner_idx for a customer's). */
const codeSort = keysetSort<ReferenceCodeRow>('referenceCodes:createdAt:desc', 'desc', [
  [referenceCodes.createdAt, 'timestamptz', (row) => row.createdAt],
  [referenceCodes.id, 'uuid', (row) => row.id],
]);

/** CONFLICT with the reason, naming the field it is about (and, for E9's rules, the rule that failed). */
function refused(reason: ReferenceCodeRefusal, field: string, message: string, rule?: string): GraphQLError {
  const error = conflict(message);
  Object.assign(error.extensions, { reason, fields: [{ field, message }], ...(rule ? { rule } : {}) });
  return error;
}

/** Why a code in `status` cannot be used now; null when it can (ACTIVE). */
function unusable(status: ReferenceCodeStatus, field: string): GraphQLError | null {
  switch (status) {
    case ReferenceCodeStatus.ACTIVE:
      return null;
    case ReferenceCodeStatus.SCHEDULED:
      return refused(ReferenceCodeRefusal.CODE_NOT_STARTED, field, 'This reference code has not started yet');
    case ReferenceCodeStatus.STOPPED:
      return refused(ReferenceCodeRefusal.CODE_STOPPED, field, 'This reference code is stopped');
    case ReferenceCodeStatus.EXPIRED:
      return refused(ReferenceCodeRefusal.CODE_EXPIRED, field, 'This reference code has expired');
    case ReferenceCodeStatus.EXHAUSTED:
      return refused(ReferenceCodeRefusal.CODE_EXHAUSTED, field, 'This reference code is used up');
  }
}

export class ReferenceCodeService {
  /** The instant of this request: statuses, filters and actions are decided against it. */
  readonly now = new Date();

  constructor(
    readonly db: EngagementDb,
    readonly ctx: BaseContext,
    private readonly directory: CustomerDirectory,
  ) {}

  load(id: string): Promise<ReferenceCodeRow | null> {
    return loadInStore<ReferenceCodeRow>(this.ctx, this.db, referenceCodes, id);
  }

  get(id: string): Promise<ReferenceCodeRow | null> {
    requireId(id);
    return this.load(id);
  }

  statusOf(row: ReferenceCodeRow): ReferenceCodeStatus {
    return referenceCodeStatus(row, this.now);
  }

  /** The store's codes, newest first, by type, derived status and a code or name prefix. */
  list(args: {
    first?: number | null;
    after?: string | null;
    filter?: ReferenceCodeFilter | null;
  }): Promise<ConnectionResult<ReferenceCodeRow>> {
    const filter = parseInput(referenceCodeFilterSchema, args.filter ?? {}, 'filter');
    const conditions = and(
      eq(referenceCodes.storeId, this.ctx.storeId),
      filter.types ? inArray(referenceCodes.type, filter.types) : undefined,
      referenceCodeStatusesCondition(filter.statuses, this.now),
      filter.search
        ? or(startsWith(referenceCodes.codeKey, filter.search), startsWith(referenceCodes.nameKey, filter.search))
        : undefined,
    );
    return rootConnection(codeSort, args, {
      page: ({ after, orderBy, limit }) =>
        this.db
          .select()
          .from(referenceCodes)
          .where(and(conditions, after))
          .orderBy(...orderBy)
          .limit(limit),
      count: () => this.db.select({ total: count() }).from(referenceCodes).where(conditions),
    });
  }

  /** E8: a new code; one is made when none is given, again on the rare collision. */
  async create(input: CreateReferenceCodeInput): Promise<ReferenceCodeRow> {
    const data = parseInput(createReferenceCodeSchema, input, 'input');
    if (data.customerId) await this.requireOwner(data.customerId);
    if (data.rules) await this.requireRuleTargets(data.rules);
    const { customerId, code: given, rules, rewards, ...rest } = data;
    for (let attempt = 1; ; attempt++) {
      const code = given ?? generateReferenceCode();
      try {
        return await this.db.transaction(async (tx) => {
          const [row] = await tx
            .insert(referenceCodes)
            .values({
              storeId: this.ctx.storeId,
              ...rest,
              startsAt: rest.startsAt ?? this.now,
              rules: rules ?? NO_RULES,
              rewards: rewards ?? [],
              code,
              ownerId: customerId,
              createdBy: this.ctx.principal.userId,
            })
            .returning();
          await this.recordChange(
            tx,
            row!,
            ReferenceCodeAction.CREATE,
            null,
            null,
            auditSnapshot(row!, AUDIT_BOOKKEEPING),
          );
          return row!;
        });
      } catch (error) {
        if (!isUniqueViolation(error, 'reference_codes_store_code_key')) throw error;
        if (given)
          throw refused(
            ReferenceCodeRefusal.DUPLICATE_CODE,
            'input.code',
            'Another reference code of the store has this code (codes ignore case)',
          );
        if (attempt >= GENERATE_ATTEMPTS) throw error;
      }
    }
  }

  /** A USER code's owner is a customer of the store (BAD_USER_INPUT on the field otherwise). */
  private async requireOwner(customerId: string): Promise<void> {
    try {
      await this.directory.require(customerId, 'record', 'input.customerId');
    } catch (error) {
      if (error instanceof GraphQLError && error.extensions.code === 'NOT_FOUND')
        throw invalidField('input.customerId', 'is not a customer of this store');
      throw error;
    }
  }

  /**
   * E9: the customers and tiers a rule names are the store's; BAD_USER_INPUT naming the entry
   * otherwise (`input.rules.customerIds.0`), before anything is written.
   */
  private async requireRuleTargets(rules: ReferenceCodeRules): Promise<void> {
    for (const [index, customerId] of (rules.customerIds ?? []).entries())
      await this.directory.requireNamed(customerId, 'record', `input.rules.customerIds.${index}`);
    if (!rules.tierIds) return;
    const known = await this.db
      .select({ id: loyaltyTiers.id })
      .from(loyaltyTiers)
      .where(and(eq(loyaltyTiers.storeId, this.ctx.storeId), inArray(loyaltyTiers.id, rules.tierIds)));
    const index = rules.tierIds.findIndex((tierId) => !known.some((tier) => tier.id === tierId));
    if (index >= 0) throw invalidField(`input.rules.tierIds.${index}`, 'is not a loyalty tier of this store');
  }

  /** E8's general settings and E9's rules and rewards; dates and limits are checked with the ones kept, the limit never below the uses. */
  async update(rawId: string, input: UpdateReferenceCodeInput): Promise<ReferenceCodeRow> {
    const id = requireId(rawId);
    const data = parseInput(updateReferenceCodeSchema, input, 'input');
    if (data.rules) await this.requireRuleTargets(data.rules);
    const { clear, ...set } = data;
    const changes: Partial<ReferenceCodeRow> = Object.fromEntries(
      Object.entries(set).filter(([, value]) => value !== undefined),
    );
    for (const field of clear) Object.assign(changes, { [field]: null });
    return this.db.transaction(async (tx) => {
      const current = await this.lock(tx, id);
      if (this.statusOf(current) === ReferenceCodeStatus.EXPIRED)
        throw refused(ReferenceCodeRefusal.CODE_EXPIRED, 'id', 'An expired reference code cannot be changed');
      const next = { ...current, ...changes };
      if (next.endsAt && next.endsAt <= next.startsAt)
        throw invalidField(data.endsAt ? 'input.endsAt' : 'input.startsAt', 'the planned end must be after the start');
      if (next.usageLimit !== null && next.usageLimit < current.uses)
        throw invalidField('input.usageLimit', `must not be below the ${current.uses} uses so far`);
      if (next.usageLimit !== null && next.perCustomerLimit !== null && next.perCustomerLimit > next.usageLimit)
        throw invalidField('input.perCustomerLimit', 'must not exceed usageLimit');
      const referrer = referrerRewardIndex(data.rewards);
      if (referrer >= 0 && current.type !== ReferenceCodeType.USER)
        throw invalidField(`input.rewards.${referrer}.beneficiary`, 'REFERRER is only for USER codes');
      const [row] = await tx
        .update(referenceCodes)
        .set({ ...changes, updatedAt: new Date() })
        .where(this.key(id))
        .returning();
      const changed = auditChanges(current, row!, AUDIT_BOOKKEEPING);
      await audit.record(tx, this.ctx, {
        action: 'reference_code.update',
        entityType: 'ReferenceCode',
        entityId: id,
        customerId: row!.ownerId,
        before: changed.before,
        after: changed.after,
      });
      return row!;
    });
  }

  /** "Stop validity": uses are refused until resumed. An expired code, or a stopped one, is refused. */
  stop(id: string): Promise<ReferenceCodeRow> {
    return this.transition(
      id,
      ReferenceCodeAction.STOP,
      (status) => {
        if (status === ReferenceCodeStatus.STOPPED)
          return refused(ReferenceCodeRefusal.ALREADY_STOPPED, 'id', 'This reference code is already stopped');
        return null;
      },
      { stoppedAt: this.now },
    );
  }

  /** Undoes a stop; only a STOPPED code (an expired one stays expired). */
  resume(id: string): Promise<ReferenceCodeRow> {
    return this.transition(
      id,
      ReferenceCodeAction.RESUME,
      (status) => {
        if (status !== ReferenceCodeStatus.STOPPED)
          return refused(ReferenceCodeRefusal.NOT_STOPPED, 'id', 'This reference code is not stopped');
        return null;
      },
      { stoppedAt: null },
    );
  }

  /** "Expire": final. */
  expire(id: string): Promise<ReferenceCodeRow> {
    return this.transition(id, ReferenceCodeAction.EXPIRE, () => null, { expiredAt: this.now });
  }

  /**
   * A lifecycle action under the code's lock: refused for an EXPIRED code (final), and for what
   * `refusal` says of the current status; recorded in the status history and the audit log.
   */
  private transition(
    rawId: string,
    action: ReferenceCodeAction,
    refusal: (status: ReferenceCodeStatus) => GraphQLError | null,
    set: Partial<ReferenceCodeRow>,
  ): Promise<ReferenceCodeRow> {
    const id = requireId(rawId);
    return this.db.transaction(async (tx) => {
      const current = await this.lock(tx, id);
      const from = this.statusOf(current);
      if (from === ReferenceCodeStatus.EXPIRED)
        throw refused(ReferenceCodeRefusal.CODE_EXPIRED, 'id', 'This reference code has expired; expiry is final');
      const error = refusal(from);
      if (error) throw error;
      const [row] = await tx
        .update(referenceCodes)
        .set({ ...set, updatedAt: new Date() })
        .where(this.key(id))
        .returning();
      await this.recordChange(tx, row!, action, from, { status: from }, { status: this.statusOf(row!) });
      return row!;
    });
  }

  /** The status history's entry and the audit log's, for an action. */
  private async recordChange(
    tx: Tx,
    row: ReferenceCodeRow,
    action: ReferenceCodeAction,
    from: ReferenceCodeStatus | null,
    before: Record<string, unknown> | null,
    after: Record<string, unknown> | null,
  ): Promise<void> {
    await tx.insert(referenceCodeStatusChanges).values({
      storeId: this.ctx.storeId,
      codeId: row.id,
      action,
      fromStatus: from,
      toStatus: this.statusOf(row),
      changedBy: this.ctx.principal.userId,
      changedAt: this.now,
    });
    await audit.record(tx, this.ctx, {
      action: `reference_code.${action}`,
      entityType: 'ReferenceCode',
      entityId: row.id,
      customerId: row.ownerId,
      before,
      after,
    });
  }

  private key(id: string) {
    return and(eq(referenceCodes.storeId, this.ctx.storeId), eq(referenceCodes.id, id));
  }

  private async lock(tx: Tx, id: string): Promise<ReferenceCodeRow> {
    const [row] = await tx.select().from(referenceCodes).where(this.key(id)).for('update');
    if (!row) throw notFound('Reference code', id);
    return row;
  }

  /** Oldest first: the code's lifecycle actions. */
  statusHistory(code: ReferenceCodeRow): Promise<ReferenceCodeStatusChangeRow[]> {
    return loadByParent<ReferenceCodeStatusChangeRow>(this.ctx, this.db, {
      relation: 'referenceCodeStatusChanges',
      table: referenceCodeStatusChanges,
      parentColumn: referenceCodeStatusChanges.codeId,
      parentId: code.id,
      orderBy: [asc(referenceCodeStatusChanges.changedAt), asc(referenceCodeStatusChanges.seq)],
    });
  }

  /** E9: the rewards a use granted, referee first: one statement for every use of the request. */
  grantedRewards(useId: string): Promise<ReferenceCodeRewardRow[]> {
    return loadByParent<ReferenceCodeRewardRow>(this.ctx, this.db, {
      relation: 'referenceCodeRewards',
      table: referenceCodeRewards,
      parentColumn: referenceCodeRewards.useId,
      parentId: useId,
      orderBy: [asc(referenceCodeRewards.beneficiary)],
    });
  }

  // ---- use and access ----

  /**
   * E8: a customer uses a code. The code's counter is claimed with one conditional UPDATE
   * (`claim_reference_code_use`, db/row-security.ts), which also locks the code's row until the
   * request commits: concurrent uses of the code queue there, and each sees the uses of the ones
   * before, so the usage limit holds, and the per-customer limit and the referral are judged one
   * use after the other. A customer is referred once per store (a unique key backs it against
   * concurrent uses of different codes).
   */
  async use(input: UseReferenceCodeInput): Promise<ReferenceCodeUseRow> {
    const data = parseInput(useReferenceCodeSchema, input, 'input');
    if (!actsFor(this.ctx, data.customerId)) throw forbidden('A customer may use a reference code only for themself');
    await this.directory.require(data.customerId, 'record');
    const { storeId } = this.ctx;
    try {
      return await this.db.transaction(async (tx) => {
        const code = await this.byCode(tx, data.code, 'input.code');
        const refusal = unusable(this.statusOf(code), 'input.code');
        if (refusal) throw refusal;
        if (code.ownerId === data.customerId)
          throw refused(ReferenceCodeRefusal.SELF_REFERRAL, 'input.customerId', 'A customer cannot use their own code');
        const rule = await failedRule(tx, storeId, code.rules, data, refused);
        if (rule) throw rule;
        const [claim] = await tx.execute<{ uses: number | null }>(
          sql`select engagement.claim_reference_code_use(${code.id}::uuid) as uses`,
        );
        if (claim?.uses === null || claim?.uses === undefined) {
          // Another use (or an action) got there first: say what the code is now.
          const now = await this.byCode(tx, data.code, 'input.code');
          throw (
            unusable(referenceCodeStatus(now, new Date()), 'input.code') ??
            unusable(ReferenceCodeStatus.EXHAUSTED, 'input.code')!
          );
        }
        const [mine] = await tx
          .select({
            here: sql<number>`count(*) filter (where ${referenceCodeUses.codeId} = ${code.id})::int`,
            rewarded: sql<boolean>`coalesce(bool_or(${referenceCodeUses.codeId} = ${code.id} and ${referenceCodeUses.rewards} <> '[]'::jsonb), false)`,
            referred: sql<boolean>`coalesce(bool_or(${referenceCodeUses.referral}), false)`,
            elsewhere: sql<boolean>`coalesce(bool_or(${referenceCodeUses.referral} and ${referenceCodeUses.codeId} <> ${code.id}), false)`,
          })
          .from(referenceCodeUses)
          .where(and(eq(referenceCodeUses.storeId, storeId), eq(referenceCodeUses.customerId, data.customerId)));
        if (mine?.elsewhere) throw alreadyReferred();
        if (code.perCustomerLimit !== null && (mine?.here ?? 0) >= code.perCustomerLimit)
          throw refused(
            ReferenceCodeRefusal.PER_CUSTOMER_LIMIT,
            'input.customerId',
            'This customer has used this reference code as often as it allows',
          );
        const [use] = await tx
          .insert(referenceCodeUses)
          .values({
            storeId,
            codeId: code.id,
            customerId: data.customerId,
            referrerId: code.ownerId,
            orderId: data.orderId,
            referral: !mine?.referred,
            rewards: owedRewards(code.rewards, mine?.rewarded ?? false),
            usedBy: this.ctx.principal.userId,
            usedAt: this.now,
          })
          .returning();
        await recordEvents(tx, outbox, [
          {
            type: 'reference_code.used',
            storeId,
            customerId: data.customerId,
            payload: {
              useId: use!.id,
              codeId: code.id,
              code: code.code,
              codeType: code.type,
              referrerId: code.ownerId,
              orderId: use!.orderId,
              referral: use!.referral,
              usedAt: use!.usedAt.toISOString(),
            },
          },
        ]);
        await audit.record(tx, this.ctx, {
          action: 'reference_code.use',
          entityType: 'ReferenceCode',
          entityId: code.id,
          customerId: data.customerId,
          before: { uses: claim.uses - 1 },
          after: { uses: claim.uses, useId: use!.id, orderId: use!.orderId, referral: use!.referral },
        });
        return use!;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'reference_code_uses_referee_key')) throw alreadyReferred();
      if (isUniqueViolation(error, 'reference_code_uses_order_key'))
        throw invalidField('input.orderId', 'has already used this reference code');
      throw error;
    }
  }

  /** E8: a visit through a code's link, from a storefront: the guest's session, or the customer. */
  async recordAccess(rawCode: string): Promise<{ id: string; accessedAt: Date }> {
    const { principal, storeId } = this.ctx;
    const code = rawCode.trim();
    if (!code || code.length > 50) throw invalidField('code', 'is not a reference code of this store');
    return this.db.transaction(async (tx) => {
      const row = await this.byCode(tx, code, 'code');
      const [access] = await tx
        .insert(referenceCodeAccesses)
        .values({
          storeId,
          codeId: row.id,
          sessionId: principal.userId,
          customerId: principal.kind === 'customer' ? principal.userId : null,
          accessedAt: this.now,
        })
        .returning({ id: referenceCodeAccesses.id, accessedAt: referenceCodeAccesses.accessedAt });
      return access!;
    });
  }

  private async byCode(tx: Tx, code: string, field: string): Promise<ReferenceCodeRow> {
    const [row] = await tx
      .select()
      .from(referenceCodes)
      .where(and(eq(referenceCodes.storeId, this.ctx.storeId), eq(referenceCodes.codeKey, code.toLowerCase())));
    if (!row) throw invalidField(field, 'is not a reference code of this store');
    return row;
  }

  // ---- the customer's ----

  /**
   * The codes a customer owns (USER codes, the ones they refer others with), newest first: one
   * statement for every customer of the request. A customer token sees only its own.
   */
  owned(customerId: string, args: { first?: number | null; after?: string | null }) {
    const { principal } = this.ctx;
    return connectionByParent<ReferenceCodeRow>(this.ctx, this.db, {
      relation: 'referenceCodesByOwner',
      parentId: customerId,
      table: referenceCodes,
      parentColumn: referenceCodes.ownerId,
      sort: codeSort,
      where: and(
        eq(referenceCodes.storeId, this.ctx.storeId),
        principal.kind === 'customer' ? eq(referenceCodes.ownerId, principal.userId) : undefined,
      ),
      args,
    });
  }

  /** The use that referred the customer, if any: one statement for every customer of the request. */
  referredBy(customerId: string): Promise<ReferenceCodeUseRow | null> {
    if (!actsFor(this.ctx, customerId) || !/^[0-9a-f-]{36}$/i.test(customerId)) return Promise.resolve(null);
    return this.ctx.loaders
      .get<string, ReferenceCodeUseRow | null>('referenceCodeReferrals', null, async (ids) => {
        const rows = await this.db
          .select()
          .from(referenceCodeUses)
          .where(
            and(
              eq(referenceCodeUses.storeId, this.ctx.storeId),
              eq(referenceCodeUses.referral, true),
              inArray(referenceCodeUses.customerId, [...ids]),
            ),
          );
        return byKey(ids, rows, (row) => row.customerId);
      })
      .load(customerId.toLowerCase());
  }
}

/**
 * E9: what a new use is owed: the code's rewards on the customer's first use of it (one reward
 * per referee), nothing on the others. They are granted once its order counts; a use at
 * registration waits for the customer's next order that counts (reference-code.rewards.ts).
 */
function owedRewards(rewards: ReferenceCodeRewardTerm[], rewardedBefore: boolean): ReferenceCodeRewardTerm[] {
  return rewardedBefore ? [] : rewards;
}

const alreadyReferred = () =>
  refused(
    ReferenceCodeRefusal.ALREADY_REFERRED,
    'input.customerId',
    'This customer was already referred in this store, by another code',
  );
