import { appliedEventsTable, customerDirectoryTable, outboxTable } from '@cg/events';
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  char,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgSchema,
  primaryKey,
  text,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, minorUnits, pgEnumValues, timestamptz, updatedAt } from '@cg/db';
import { WalletEntryKind } from '../wallet/wallet.enum.ts';
import { LoyaltyBonus, LoyaltyEntryKind, LoyaltyRounding } from '../loyalty/loyalty.enum.ts';
import { LoyaltyTierBasis } from '../loyalty-tiers/loyalty-tier.enum.ts';
import type { LoyaltyRule } from '../loyalty/loyalty.rule.ts';
import { LoyaltyCardStatus } from '../loyalty-cards/loyalty-card.enum.ts';
import {
  ReferenceCodeAction,
  ReferenceCodeType,
  ReferenceRewardBeneficiary,
  ReferenceRewardKind,
  ReferenceRewardStatus,
} from '../reference-codes/reference-code.enum.ts';
import type { ReferenceCodeRules, ReferenceCodeRewardTerm } from '../reference-codes/reference-code.rules.ts';

export const engagementSchema = pgSchema('engagement');

export const walletEntryKind = engagementSchema.enum('wallet_entry_kind', pgEnumValues(WalletEntryKind));

/**
 * E1: one wallet per customer of a store. `balance` always equals the sum of the wallet's ledger
 * entries and the sum of its credits' `remaining`; it is only changed while the row is locked.
 */
export const wallets = engagementSchema.table(
  'wallets',
  {
    storeId: uuid('store_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    /** Set by the first adjustment; never changes. */
    currency: char('currency', { length: 3 }).notNull(),
    /** Minor units. */
    balance: minorUnits('balance').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: 'wallets_pkey', columns: [t.storeId, t.customerId] }),
    // Target of the entries' foreign key: an entry cannot be in another currency than its wallet.
    unique('wallets_store_customer_currency_key').on(t.storeId, t.customerId, t.currency),
    // The backstop of "never below zero": the service checks first and answers BAD_USER_INPUT.
    check('wallets_balance_check', sql`${t.balance} >= 0`),
  ],
);

/**
 * E1/E2: the append-only wallet ledger (a trigger refuses deletes and any update but lowering a
 * credit's `remaining`). Amounts are signed minor units: credits positive, debits and expiries
 * negative. A credit's `remaining` is what debits and expiry have not yet taken from it.
 */
export const walletEntries = engagementSchema.table(
  'wallet_entries',
  {
    id: uuid('id').notNull().defaultRandom(),
    /** Insertion order: breaks ties between entries written in one transaction. */
    seq: bigint('seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    storeId: uuid('store_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    kind: walletEntryKind('kind').notNull(),
    amount: minorUnits('amount').notNull(),
    currency: char('currency', { length: 3 }).notNull(),
    reason: text('reason').notNull(),
    /** Credits only: from this instant the unspent rest no longer counts. */
    expiresAt: timestamptz('expires_at'),
    /** Credits only. */
    remaining: minorUnits('remaining'),
    /** Expiry entries only: the credit whose rest expired. */
    expiredCreditId: uuid('expired_credit_id'),
    /** Staff user id from the access token; null for entries the system writes (expiry). */
    createdBy: text('created_by'),
    /** The staff asked for the customer to be notified (sending is not implemented yet). */
    notifyCustomer: boolean('notify_customer').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: 'wallet_entries_pkey', columns: [t.storeId, t.id] }),
    foreignKey({
      columns: [t.storeId, t.customerId, t.currency],
      foreignColumns: [wallets.storeId, wallets.customerId, wallets.currency],
      name: 'wallet_entries_wallet_fk',
    }),
    foreignKey({
      columns: [t.storeId, t.expiredCreditId],
      foreignColumns: [t.storeId, t.id],
      name: 'wallet_entries_expired_credit_fk',
    }),
    check(
      'wallet_entries_amount_check',
      sql`(${t.kind} = 'credit' and ${t.amount} > 0) or (${t.kind} in ('debit', 'expiry') and ${t.amount} < 0)`,
    ),
    check(
      'wallet_entries_remaining_check',
      sql`case when ${t.kind} = 'credit' then ${t.remaining} is not null and ${t.remaining} between 0 and ${t.amount} else ${t.remaining} is null end`,
    ),
    check('wallet_entries_expires_at_check', sql`${t.kind} = 'credit' or ${t.expiresAt} is null`),
    check('wallet_entries_expired_credit_check', sql`(${t.kind} = 'expiry') = (${t.expiredCreditId} is not null)`),
    // A credit expires once.
    uniqueIndex('wallet_entries_expired_credit_key')
      .on(t.storeId, t.expiredCreditId)
      .where(sql`${t.expiredCreditId} is not null`),
    // Wallet history per customer and for the whole store, newest first.
    index('wallet_entries_customer_idx').on(t.storeId, t.customerId, t.createdAt, t.seq),
    index('wallet_entries_store_idx').on(t.storeId, t.createdAt, t.seq),
    // Open credits of a wallet in spending order (soonest expiry first), and lapsed ones.
    index('wallet_entries_open_credits_idx')
      .on(t.storeId, t.customerId, t.expiresAt, t.seq)
      .where(sql`${t.kind} = 'credit' and ${t.remaining} > 0`),
    // The expiry sweep across all stores.
    index('wallet_entries_open_expiry_idx')
      .on(t.expiresAt)
      .where(sql`${t.kind} = 'credit' and ${t.remaining} > 0 and ${t.expiresAt} is not null`),
  ],
);

export const loyaltyEntryKind = engagementSchema.enum('loyalty_entry_kind', pgEnumValues(LoyaltyEntryKind));
export const loyaltyRounding = engagementSchema.enum('loyalty_rounding', pgEnumValues(LoyaltyRounding));
export const loyaltyBonus = engagementSchema.enum('loyalty_bonus', pgEnumValues(LoyaltyBonus));
export const loyaltyTierBasis = engagementSchema.enum('loyalty_tier_basis', pgEnumValues(LoyaltyTierBasis));

/**
 * E3: a store's loyalty program. The earning rate is a rational, `rate_points` points per
 * `rate_per_minor_units` minor units of an order's total, so that "1 point per 1.00" needs no
 * fractions. Editing it never touches points already earned: each EARNED entry keeps a snapshot
 * of the rule (and `version`) that earned it, and reversals read that, not this row.
 */
export const loyaltyPrograms = engagementSchema.table(
  'loyalty_programs',
  {
    storeId: uuid('store_id').notNull(),
    enabled: boolean('enabled').notNull(),
    ratePoints: integer('rate_points').notNull(),
    ratePerMinorUnits: integer('rate_per_minor_units').notNull(),
    rounding: loyaltyRounding('rounding').notNull().default('floor_per_order'),
    /** The return window: earned points become spendable this many days after the order was placed. */
    pendingDays: integer('pending_days').notNull(),
    /** Points granted once, when a customer first joins the store (0: none). */
    signUpBonus: integer('sign_up_bonus').notNull().default(0),
    /** Points granted once a year, on the customer's birthday (0: none). */
    birthdayBonus: integer('birthday_bonus').notNull().default(0),
    /**
     * Points expire this many months after they became spendable (null: never). Each entry keeps
     * the expiry it was given, so editing this changes only later points.
     */
    expiryMonths: integer('expiry_months'),
    /** What the tiers' thresholds count (loyalty-tiers/). */
    tierBasis: loyaltyTierBasis('tier_basis').notNull().default('points_earned'),
    /** Starts at 1 and goes up with every edit; EARNED entries name the version that earned them. */
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: 'loyalty_programs_pkey', columns: [t.storeId] }),
    check('loyalty_programs_rate_check', sql`${t.ratePoints} > 0 and ${t.ratePerMinorUnits} > 0`),
    check('loyalty_programs_pending_days_check', sql`${t.pendingDays} between 0 and 365`),
    check('loyalty_programs_version_check', sql`${t.version} > 0`),
    check('loyalty_programs_sign_up_bonus_check', sql`${t.signUpBonus} between 0 and 1000000000`),
    check('loyalty_programs_birthday_bonus_check', sql`${t.birthdayBonus} between 0 and 1000000000`),
    check('loyalty_programs_expiry_months_check', sql`${t.expiryMonths} between 1 and 120`),
  ],
);

/**
 * E3: a store's tiers. A customer holds the highest whose threshold their rolling 12 months reach
 * (in the program's `tier_basis`): at once when they reach it, and keep it until the end of its
 * 12-month period even if they fall below, when it is reviewed.
 */
export const loyaltyTiers = engagementSchema.table(
  'loyalty_tiers',
  {
    storeId: uuid('store_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    name: text('name').notNull(),
    /** Points, or minor units of the store's currency, per the program's basis. */
    threshold: bigint('threshold', { mode: 'number' }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: 'loyalty_tiers_pkey', columns: [t.storeId, t.id] }),
    check('loyalty_tiers_threshold_check', sql`${t.threshold} >= 0`),
    uniqueIndex('loyalty_tiers_threshold_key').on(t.storeId, t.threshold),
    uniqueIndex('loyalty_tiers_name_key').on(t.storeId, sql`lower(${t.name})`),
  ],
);

/**
 * E4: a customer's points in a store. `points` (spendable) plus `pending_points` always equals the
 * sum of the account's ledger entries, and `pending_points` the sum of their `pending`. Both are
 * changed only while the row is locked; the checks are the backstop of "never below zero".
 */
export const loyaltyAccounts = engagementSchema.table(
  'loyalty_accounts',
  {
    storeId: uuid('store_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    points: integer('points').notNull().default(0),
    pendingPoints: integer('pending_points').notNull().default(0),
    /** E3: the tier held, since when, and until when before it is reviewed (the end of its period). */
    tierId: uuid('tier_id'),
    tierSince: timestamptz('tier_since'),
    tierUntil: timestamptz('tier_until'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: 'loyalty_accounts_pkey', columns: [t.storeId, t.customerId] }),
    foreignKey({
      columns: [t.storeId, t.tierId],
      foreignColumns: [loyaltyTiers.storeId, loyaltyTiers.id],
      name: 'loyalty_accounts_tier_fk',
    }),
    check(
      'loyalty_accounts_tier_check',
      sql`(${t.tierId} is null) = (${t.tierSince} is null) and (${t.tierId} is null) = (${t.tierUntil} is null)`,
    ),
    // The sweep across stores: tiers whose period has ended.
    index('loyalty_accounts_tier_until_idx')
      .on(t.tierUntil)
      .where(sql`${t.tierUntil} is not null`),
    check('loyalty_accounts_points_check', sql`${t.points} >= 0`),
    check('loyalty_accounts_pending_points_check', sql`${t.pendingPoints} >= 0`),
  ],
);

/**
 * E4: the append-only points ledger (a trigger refuses deletes and any update but lowering an
 * entry's `pending`). `points` is signed: EARNED, BONUS and positive ADJUSTED add, the rest take.
 * `pending` is the part of an EARNED entry not yet spendable: it drops to zero once `available_at`
 * has passed (matured) and goes down when a reversal takes it back first.
 */
export const loyaltyEntries = engagementSchema.table(
  'loyalty_entries',
  {
    id: uuid('id').notNull().defaultRandom(),
    /** Insertion order: breaks ties between entries written in one transaction. */
    seq: bigint('seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    storeId: uuid('store_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    kind: loyaltyEntryKind('kind').notNull(),
    points: integer('points').notNull(),
    pending: integer('pending').notNull().default(0),
    /**
     * Entries that add points (EARNED, BONUS, a positive ADJUSTED) are lots: `remaining` is the part
     * not yet spent, reversed or expired (its `pending` part included). Spending takes from the
     * soonest-expiring lots first. Null for entries that take points.
     */
    remaining: integer('remaining'),
    /** A lot's expiry (the program's, when it was written); null: never. */
    expiresAt: timestamptz('expires_at'),
    /** EXPIRED: the lot whose remaining points it took. */
    lotId: uuid('lot_id'),
    /** EARNED: when its points become spendable (placed at + the program's pending days). */
    availableAt: timestamptz('available_at'),
    /** EARNED and REVERSED: the order; REDEEMED: the order the points paid for, if any. */
    orderId: uuid('order_id'),
    /** EARNED: the rule and the order's figures that gave its points (loyalty.rule.ts). */
    rule: jsonb('rule').$type<LoyaltyRule>(),
    reason: text('reason'),
    /** BONUS: which bonus; each is granted at most once per its period (the unique indexes below). */
    bonus: loyaltyBonus('bonus'),
    /** BIRTHDAY: the year whose birthday it is. */
    bonusYear: integer('bonus_year'),
    /** REVERSED (and a negative ADJUSTED): points owed that the balance no longer had. */
    shortfall: integer('shortfall').notNull().default(0),
    /** Staff user id from the access token; null for entries the system writes (orders). */
    createdBy: text('created_by'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: 'loyalty_entries_pkey', columns: [t.storeId, t.id] }),
    foreignKey({
      columns: [t.storeId, t.customerId],
      foreignColumns: [loyaltyAccounts.storeId, loyaltyAccounts.customerId],
      name: 'loyalty_entries_account_fk',
    }),
    check(
      'loyalty_entries_points_check',
      sql`case ${t.kind}
        when 'earned' then ${t.points} > 0 and ${t.orderId} is not null and ${t.rule} is not null and ${t.availableAt} is not null
        when 'bonus' then ${t.points} > 0 and ${t.bonus} is not null
        when 'adjusted' then ${t.points} <> 0 and ${t.reason} is not null
        when 'reversed' then ${t.points} <= 0 and ${t.orderId} is not null
        else ${t.points} < 0 end`,
    ),
    check('loyalty_entries_pending_check', sql`${t.pending} >= 0 and ${t.pending} <= greatest(${t.points}, 0)`),
    check('loyalty_entries_shortfall_check', sql`${t.shortfall} >= 0`),
    check('loyalty_entries_bonus_check', sql`(${t.kind} = 'bonus') = (${t.bonus} is not null)`),
    check(
      'loyalty_entries_remaining_check',
      sql`(${t.points} > 0) = (${t.remaining} is not null)
        and (${t.remaining} is null or ${t.remaining} between ${t.pending} and ${t.points})
        and (${t.expiresAt} is null or ${t.remaining} is not null)`,
    ),
    check('loyalty_entries_lot_check', sql`(${t.kind} = 'expired') = (${t.lotId} is not null)`),
    // A customer's open lots, soonest expiry first: what spending and the lazy expiry read.
    index('loyalty_entries_open_lots_idx')
      .on(t.storeId, t.customerId, t.expiresAt, t.seq)
      .where(sql`${t.remaining} > 0`),
    // The sweep across stores: lots whose expiry has come (wallet_entries_open_expiry_idx's twin).
    index('loyalty_entries_open_expiry_idx')
      .on(t.expiresAt)
      .where(sql`${t.remaining} > 0 and ${t.expiresAt} is not null`),
    check(
      'loyalty_entries_bonus_year_check',
      sql`coalesce(${t.bonus} = 'birthday', false) = (${t.bonusYear} is not null)`,
    ),
    // The birthday bonus once per customer and year, however often the day is announced.
    uniqueIndex('loyalty_entries_birthday_bonus_key')
      .on(t.storeId, t.customerId, t.bonusYear)
      .where(sql`${t.bonus} = 'birthday'`),
    // The sign-up bonus once per customer and store, however often the registration is delivered.
    uniqueIndex('loyalty_entries_sign_up_bonus_key')
      .on(t.storeId, t.customerId)
      .where(sql`${t.bonus} = 'sign_up'`),
    // An order earns once: a replayed or repeated event finds this and earns nothing.
    uniqueIndex('loyalty_entries_earned_order_key')
      .on(t.storeId, t.orderId, t.kind)
      .where(sql`${t.kind} = 'earned'`),
    // An order's entries (its EARNED and REVERSED), for reversals.
    index('loyalty_entries_order_idx')
      .on(t.storeId, t.orderId)
      .where(sql`${t.orderId} is not null`),
    // A customer's history, newest first.
    index('loyalty_entries_customer_idx').on(t.storeId, t.customerId, t.createdAt, t.seq),
    // Pending points of an account, by when they mature.
    index('loyalty_entries_pending_idx')
      .on(t.storeId, t.customerId, t.availableAt)
      .where(sql`${t.pending} > 0`),
  ],
);

/**
 * E4: how many of an order's units returns and partial cancellations have taken back so far, as
 * their events report them (cumulative figures, kept with greatest(): replays and any order of
 * delivery leave the highest). A reversal is brought up to the share these give, so a return and
 * a cancellation of the same order each count once.
 */
export const loyaltyOrderUnits = engagementSchema.table(
  'loyalty_order_units',
  {
    storeId: uuid('store_id').notNull(),
    orderId: uuid('order_id').notNull(),
    returnedUnits: integer('returned_units').notNull().default(0),
    cancelledUnits: integer('cancelled_units').notNull().default(0),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: 'loyalty_order_units_pkey', columns: [t.storeId, t.orderId] }),
    check('loyalty_order_units_check', sql`${t.returnedUnits} >= 0 and ${t.cancelledUnits} >= 0`),
  ],
);

export const loyaltyCardStatus = engagementSchema.enum('loyalty_card_status', pgEnumValues(LoyaltyCardStatus));

/**
 * E5: a store's kinds of loyalty card (S2: "card types", each with a sponsorship group and a
 * customer type, both the store's own words). A type with cards cannot be deleted (the cards'
 * foreign key).
 */
export const loyaltyCardTypes = engagementSchema.table(
  'loyalty_card_types',
  {
    storeId: uuid('store_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    name: text('name').notNull(),
    /** The sponsorship group the card belongs to (S2), e.g. a partner programme. */
    sponsorshipGroup: text('sponsorship_group'),
    /** The kind of customer it is for (S2), e.g. "Employee", "Student". */
    customerType: text('customer_type'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: 'loyalty_card_types_pkey', columns: [t.storeId, t.id] }),
    uniqueIndex('loyalty_card_types_store_name_key').on(t.storeId, sql`lower(${t.name})`),
    index('loyalty_card_types_list_idx').on(t.storeId, t.createdAt, t.id),
  ],
);

/**
 * E5: a customer's loyalty card of a type. The barcode is unique in the store, a replaced card's
 * included: the old plastic still carries it. `vip_points` are the card's own balance (S2), moved
 * whole to the new card by a replacement, only while both rows are locked.
 */
export const loyaltyCards = engagementSchema.table(
  'loyalty_cards',
  {
    storeId: uuid('store_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    customerId: uuid('customer_id').notNull(),
    cardTypeId: uuid('card_type_id').notNull(),
    barcode: text('barcode').notNull(),
    vipPoints: integer('vip_points').notNull().default(0),
    status: loyaltyCardStatus('status').notNull().default('active'),
    /** REPLACED: the card that took its place and its VIP points. */
    replacedById: uuid('replaced_by_id'),
    /** Staff user id from the access token. */
    createdBy: text('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: 'loyalty_cards_pkey', columns: [t.storeId, t.id] }),
    foreignKey({
      columns: [t.storeId, t.cardTypeId],
      foreignColumns: [loyaltyCardTypes.storeId, loyaltyCardTypes.id],
      name: 'loyalty_cards_card_type_fk',
    }),
    foreignKey({
      columns: [t.storeId, t.replacedById],
      foreignColumns: [t.storeId, t.id],
      name: 'loyalty_cards_replaced_by_fk',
    }),
    uniqueIndex('loyalty_cards_store_barcode_key').on(t.storeId, t.barcode),
    check('loyalty_cards_vip_points_check', sql`${t.vipPoints} >= 0`),
    check('loyalty_cards_replaced_check', sql`(${t.status} = 'replaced') = (${t.replacedById} is not null)`),
    // A customer's cards, newest first; also what the earning guard reads.
    index('loyalty_cards_customer_idx').on(t.storeId, t.customerId, t.createdAt, t.id),
    index('loyalty_cards_card_type_idx').on(t.storeId, t.cardTypeId),
  ],
);

export const referenceCodeType = engagementSchema.enum('reference_code_type', pgEnumValues(ReferenceCodeType));
export const referenceCodeAction = engagementSchema.enum('reference_code_action', pgEnumValues(ReferenceCodeAction));
export const referenceRewardBeneficiary = engagementSchema.enum(
  'reference_reward_beneficiary',
  pgEnumValues(ReferenceRewardBeneficiary),
);
export const referenceRewardKind = engagementSchema.enum('reference_reward_kind', pgEnumValues(ReferenceRewardKind));
export const referenceRewardStatus = engagementSchema.enum(
  'reference_reward_status',
  pgEnumValues(ReferenceRewardStatus),
);

/**
 * E8: a store's reference (referral) codes. The code is unique in the store whatever its case
 * (`code_key`, a generated column: index conditions under row-level security must be leakproof).
 * `uses` counts the uses so far; a use claims one with a single conditional UPDATE (`uses <
 * usage_limit`) under the row's lock, and the check is the backstop. The status is derived when
 * read (reference-code.status.ts) from the dates, the stop and expiry by hand and `uses`.
 */
export const referenceCodes = engagementSchema.table(
  'reference_codes',
  {
    storeId: uuid('store_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    code: text('code').notNull(),
    codeKey: text('code_key')
      .notNull()
      .generatedAlwaysAs(sql`lower(code)`),
    name: text('name').notNull(),
    /** The name's search key (prefix search by code or name). */
    nameKey: text('name_key')
      .notNull()
      .generatedAlwaysAs(sql`lower(name)`),
    type: referenceCodeType('type').notNull(),
    /** USER: the referring customer who owns the code; null for PLATFORM and SELLER codes. */
    ownerId: uuid('owner_id'),
    /** Uses in total; null for no limit. */
    usageLimit: integer('usage_limit'),
    /** Uses per customer; null for no limit. */
    perCustomerLimit: integer('per_customer_limit'),
    uses: integer('uses').notNull().default(0),
    startsAt: timestamptz('starts_at').notNull().defaultNow(),
    /** The planned end, exclusive; null for none. */
    endsAt: timestamptz('ends_at'),
    /** While stopped by hand ("stop validity"); a resume clears it. */
    stoppedAt: timestamptz('stopped_at'),
    /** Expired by hand; final. */
    expiredAt: timestamptz('expired_at'),
    /** E9: who may use it (reference-code.rules.ts); judged at each use. */
    rules: jsonb('rules')
      .$type<ReferenceCodeRules>()
      .notNull()
      .default(sql`'{"newCustomersOnly": false, "tierIds": null, "platforms": null, "customerIds": null}'::jsonb`),
    /** E9: what a use tied to an order grants, at most one reward per beneficiary. */
    rewards: jsonb('rewards')
      .$type<ReferenceCodeRewardTerm[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    /** Staff user id from the access token. */
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: 'reference_codes_pkey', columns: [t.storeId, t.id] }),
    uniqueIndex('reference_codes_store_code_key').on(t.storeId, t.codeKey),
    index('reference_codes_store_created_idx').on(t.storeId, t.createdAt, t.id),
    // Customer.referenceCodes: the codes a customer owns.
    index('reference_codes_owner_idx')
      .on(t.storeId, t.ownerId, t.createdAt, t.id)
      .where(sql`${t.ownerId} is not null`),
    check('reference_codes_owner_check', sql`(${t.type} = 'user') = (${t.ownerId} is not null)`),
    check(
      'reference_codes_limits_check',
      sql`(${t.usageLimit} is null or ${t.usageLimit} >= 0) and (${t.perCustomerLimit} is null or ${t.perCustomerLimit} >= 0)`,
    ),
    check(
      'reference_codes_uses_check',
      sql`${t.uses} >= 0 and (${t.usageLimit} is null or ${t.uses} <= ${t.usageLimit})`,
    ),
    check('reference_codes_dates_check', sql`${t.endsAt} is null or ${t.endsAt} > ${t.startsAt}`),
  ],
);

/** E8: every lifecycle action on a code (created, stopped, resumed, expired), when and by whom. */
export const referenceCodeStatusChanges = engagementSchema.table(
  'reference_code_status_changes',
  {
    storeId: uuid('store_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    codeId: uuid('code_id').notNull(),
    action: referenceCodeAction('action').notNull(),
    /** The derived status just before the action (null on creation) and just after it. */
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    /** The user id of the token that acted. */
    changedBy: text('changed_by').notNull(),
    changedAt: timestamptz('changed_at').notNull().defaultNow(),
    /** Insertion order: breaks ties between changes of one instant. */
    seq: bigint('seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
  },
  (t) => [
    primaryKey({ name: 'reference_code_status_changes_pkey', columns: [t.storeId, t.id] }),
    foreignKey({
      columns: [t.storeId, t.codeId],
      foreignColumns: [referenceCodes.storeId, referenceCodes.id],
      name: 'reference_code_status_changes_code_fk',
    }),
    index('reference_code_status_changes_code_idx').on(t.storeId, t.codeId, t.changedAt, t.seq),
  ],
);

/**
 * E8: each use of a code by a customer (the referee). A customer is referred once per store: their
 * first use is the referral (`referral`, a partial unique key); later uses of the same code (at
 * order intake) count against the limits but refer nobody again.
 */
export const referenceCodeUses = engagementSchema.table(
  'reference_code_uses',
  {
    storeId: uuid('store_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    codeId: uuid('code_id').notNull(),
    /** The referee. */
    customerId: uuid('customer_id').notNull(),
    /** USER codes: the referring customer (the code's owner at the time). */
    referrerId: uuid('referrer_id'),
    orderId: uuid('order_id'),
    referral: boolean('referral').notNull(),
    /**
     * E9: the code's rewards this use is owed, as the code had them when it was used: the
     * customer's first use of the code gets them, later ones none. The referee's DISCOUNT is read
     * from here by order intake; all are granted once the use's order counts, or for a use at
     * registration the customer's next order that counts (reference_code_rewards).
     */
    rewards: jsonb('rewards')
      .$type<ReferenceCodeRewardTerm[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    /** The user id of the token that recorded it (staff, or the customer themself). */
    usedBy: text('used_by').notNull(),
    usedAt: timestamptz('used_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'reference_code_uses_pkey', columns: [t.storeId, t.id] }),
    foreignKey({
      columns: [t.storeId, t.codeId],
      foreignColumns: [referenceCodes.storeId, referenceCodes.id],
      name: 'reference_code_uses_code_fk',
    }),
    // One referral per referee and store, however many codes or requests race for it.
    uniqueIndex('reference_code_uses_referee_key')
      .on(t.storeId, t.customerId)
      .where(sql`${t.referral}`),
    // An order uses a code once.
    uniqueIndex('reference_code_uses_order_key')
      .on(t.storeId, t.codeId, t.orderId)
      .where(sql`${t.orderId} is not null`),
    // E10: the dashboard's daily uses of a code.
    index('reference_code_uses_code_idx').on(t.storeId, t.codeId, t.usedAt),
    // A customer's uses: the per-customer limit and Customer.referredBy.
    index('reference_code_uses_customer_idx').on(t.storeId, t.customerId, t.codeId),
    // E9: the uses of an order, when its status changes.
    index('reference_code_uses_order_idx')
      .on(t.storeId, t.orderId)
      .where(sql`${t.orderId} is not null`),
    check('reference_code_uses_self_check', sql`${t.referrerId} is null or ${t.referrerId} <> ${t.customerId}`),
  ],
);

/**
 * E8: each visit through a code's link, recorded from a storefront token: the guest's session or
 * the signed-in customer.
 */
export const referenceCodeAccesses = engagementSchema.table(
  'reference_code_accesses',
  {
    storeId: uuid('store_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    codeId: uuid('code_id').notNull(),
    /** The storefront token's session: a guest's session id, or a customer's id. */
    sessionId: text('session_id').notNull(),
    /** A signed-in customer's id; null for a guest. */
    customerId: uuid('customer_id'),
    accessedAt: timestamptz('accessed_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'reference_code_accesses_pkey', columns: [t.storeId, t.id] }),
    foreignKey({
      columns: [t.storeId, t.codeId],
      foreignColumns: [referenceCodes.storeId, referenceCodes.id],
      name: 'reference_code_accesses_code_fk',
    }),
    // E10: the dashboard's daily accesses of a code.
    index('reference_code_accesses_code_idx').on(t.storeId, t.codeId, t.accessedAt),
  ],
);

/**
 * E10: a code's uses, referrals and accesses per quarter hour (UTC), kept by triggers on
 * reference_code_uses and reference_code_accesses (migration 0014), so the dashboard adds up at
 * most 96 rows a day instead of every use and visit. Every time zone's midnight falls on a quarter
 * hour, so the days of any store's zone are sums of whole buckets.
 */
export const referenceCodeActivity = engagementSchema.table(
  'reference_code_activity',
  {
    storeId: uuid('store_id').notNull(),
    codeId: uuid('code_id').notNull(),
    bucket: timestamptz('bucket').notNull(),
    uses: integer('uses').notNull().default(0),
    referrals: integer('referrals').notNull().default(0),
    accesses: integer('accesses').notNull().default(0),
    /** E9: rewards granted in the bucket (by grant time) and not reversed since. */
    rewards: integer('rewards').notNull().default(0),
  },
  (t) => [
    primaryKey({ name: 'reference_code_activity_pkey', columns: [t.storeId, t.codeId, t.bucket] }),
    foreignKey({
      columns: [t.storeId, t.codeId],
      foreignColumns: [referenceCodes.storeId, referenceCodes.id],
      name: 'reference_code_activity_code_fk',
    }),
    check(
      'reference_code_activity_counts_check',
      sql`${t.uses} >= 0 and ${t.referrals} >= 0 and ${t.accesses} >= 0 and ${t.referrals} <= ${t.uses}`,
    ),
    check('reference_code_activity_rewards_check', sql`${t.rewards} >= 0`),
  ],
);

/**
 * E9: the store's orders as far as reference codes need them, kept from commerce-history's order
 * events (reference-code-reward.handlers.ts): whose they are, the sales platform they came from
 * and whether they count as a purchase now. The rules judge a use by it (new customers only, the
 * platform rule), and the rewards wait for the use's order to count.
 */
export const referenceCodeOrders = engagementSchema.table(
  'reference_code_orders',
  {
    storeId: uuid('store_id').notNull(),
    orderId: uuid('order_id').notNull(),
    /** Null for a guest's order until it is linked to a profile. */
    customerId: uuid('customer_id'),
    /** As the order was recorded; null when it named none (or only its status changes were seen). */
    platform: text('platform'),
    /** A purchase: not a draft, not cancelled, expired or returned (as loyalty counts them). */
    counts: boolean('counts').notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: 'reference_code_orders_pkey', columns: [t.storeId, t.orderId] }),
    // "New customers only": has the customer a purchase in the store?
    index('reference_code_orders_customer_idx')
      .on(t.storeId, t.customerId)
      .where(sql`${t.counts}`),
  ],
);

/**
 * E9: each reward a use granted, to the referee or the referrer, with the ledger entry that paid
 * it and, once its order stopped counting, the one that took it back (ledgers are never
 * rewritten). Once per use and beneficiary, whatever replays or races (the primary key), and one
 * standing reward per referee, code and beneficiary.
 */
export const referenceCodeRewards = engagementSchema.table(
  'reference_code_rewards',
  {
    storeId: uuid('store_id').notNull(),
    useId: uuid('use_id').notNull(),
    beneficiary: referenceRewardBeneficiary('beneficiary').notNull(),
    codeId: uuid('code_id').notNull(),
    /** Who gets it: the referee or the referrer. */
    customerId: uuid('customer_id').notNull(),
    refereeId: uuid('referee_id').notNull(),
    orderId: uuid('order_id').notNull(),
    kind: referenceRewardKind('kind').notNull(),
    /** Points, or minor units of `currency`. */
    amount: integer('amount').notNull(),
    currency: char('currency', { length: 3 }),
    status: referenceRewardStatus('status').notNull(),
    /** POINTS: the BONUS entry; WALLET: the CREDIT entry. */
    entryId: uuid('entry_id'),
    /** The entry that took it back (ADJUSTED points, a wallet DEBIT). */
    reversalEntryId: uuid('reversal_entry_id'),
    /** What the reversal could not take back (spent since): points or minor units. */
    shortfall: integer('shortfall').notNull().default(0),
    grantedAt: timestamptz('granted_at').notNull().defaultNow(),
    reversedAt: timestamptz('reversed_at'),
  },
  (t) => [
    primaryKey({ name: 'reference_code_rewards_pkey', columns: [t.storeId, t.useId, t.beneficiary] }),
    foreignKey({
      columns: [t.storeId, t.useId],
      foreignColumns: [referenceCodeUses.storeId, referenceCodeUses.id],
      name: 'reference_code_rewards_use_fk',
    }),
    // One reward standing per referee, code and beneficiary: a second use cannot be paid twice.
    uniqueIndex('reference_code_rewards_referee_key')
      .on(t.storeId, t.codeId, t.refereeId, t.beneficiary)
      .where(sql`${t.status} = 'granted'`),
    // Reversal when the order stops counting.
    index('reference_code_rewards_order_idx').on(t.storeId, t.orderId),
    check('reference_code_rewards_amount_check', sql`${t.amount} > 0 and ${t.shortfall} >= 0`),
    check('reference_code_rewards_currency_check', sql`(${t.kind} = 'points') = (${t.currency} is null)`),
    check('reference_code_rewards_reversed_check', sql`(${t.status} = 'reversed') = (${t.reversedAt} is not null)`),
  ],
);

/** Domain events of this subgraph (packages/events). */
/**
 * T1: this subgraph's copy of each store's settings, kept from the customer subgraph's
 * `store.settings_changed` (stores/store-settings.handlers.ts): the zone its days are counted in.
 * `event_seq` is the customer outbox position of the event the row holds; an event at or below it
 * (a redelivery, an older change delivered late) changes nothing. A store without a row is in UTC.
 */
export const storeSettings = engagementSchema.table('store_settings', {
  storeId: uuid('store_id').primaryKey(),
  timeZone: text('time_zone').notNull(),
  eventSeq: bigint('event_seq', { mode: 'number' }).notNull(),
  /** When the customer subgraph changed the settings (the event's time). */
  updatedAt: timestamptz('updated_at').notNull(),
});

export const outbox = outboxTable(engagementSchema);

/** Events of other subgraphs applied here (the customer directory's), so a redelivery changes nothing. */
export const appliedEvents = appliedEventsTable(engagementSchema);

/** The customers of each store, kept from the customer subgraph's events (@cg/events' directory.ts). */
export const customerDirectory = customerDirectoryTable(engagementSchema);

export const tables = {
  wallets,
  walletEntries,
  walletEntryKind,
  loyaltyEntryKind,
  loyaltyRounding,
  loyaltyPrograms,
  loyaltyAccounts,
  loyaltyBonus,
  loyaltyTierBasis,
  loyaltyTiers,
  loyaltyEntries,
  loyaltyOrderUnits,
  loyaltyCardStatus,
  loyaltyCardTypes,
  loyaltyCards,
  storeSettings,
  referenceCodeType,
  referenceCodeAction,
  referenceCodes,
  referenceCodeStatusChanges,
  referenceCodeUses,
  referenceCodeAccesses,
  referenceCodeActivity,
  referenceRewardBeneficiary,
  referenceRewardKind,
  referenceRewardStatus,
  referenceCodeOrders,
  referenceCodeRewards,
  outbox,
  appliedEvents,
  customerDirectory,
};
export type WalletRow = typeof wallets.$inferSelect;
export type WalletEntryRow = typeof walletEntries.$inferSelect;
export type LoyaltyProgramRow = typeof loyaltyPrograms.$inferSelect;
export type LoyaltyEntryRow = typeof loyaltyEntries.$inferSelect;
export type LoyaltyTierRow = typeof loyaltyTiers.$inferSelect;
export type LoyaltyCardTypeRow = typeof loyaltyCardTypes.$inferSelect;
export type LoyaltyCardRow = typeof loyaltyCards.$inferSelect;
export type ReferenceCodeRow = typeof referenceCodes.$inferSelect;
export type ReferenceCodeStatusChangeRow = typeof referenceCodeStatusChanges.$inferSelect;
export type ReferenceCodeUseRow = typeof referenceCodeUses.$inferSelect;
export type ReferenceCodeRewardRow = typeof referenceCodeRewards.$inferSelect;
