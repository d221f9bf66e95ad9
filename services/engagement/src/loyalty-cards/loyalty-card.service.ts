import { and, eq } from 'drizzle-orm';
import { GraphQLError } from 'graphql';
import { isForeignKeyViolation, isUniqueViolation, type Tx } from '@cg/db';
import { auditSnapshot } from '@cg/events';
import {
  conflict,
  connectionByParent,
  invalidField,
  keysetSort,
  loadInStore,
  notFound,
  parseInput,
  requireId,
  tableConnection,
  type BaseContext,
  type ConnectionResult,
  type CustomerDirectory,
} from '@cg/subgraph';
import { loyaltyCards, loyaltyCardTypes, type LoyaltyCardRow, type LoyaltyCardTypeRow } from '../db/schema.ts';
import { audit } from '../audit-trail.ts';
import type { EngagementDb } from '../context.ts';
import type { LoyaltyRef } from '../loyalty/loyalty.type.ts';
import { LoyaltyCardStatus } from './loyalty-card.enum.ts';
import {
  issueLoyaltyCardSchema,
  loyaltyCardTypeSchema,
  replaceLoyaltyCardSchema,
  updateLoyaltyCardTypeSchema,
  type IssueLoyaltyCardInput,
  type LoyaltyCardTypeInput,
  type ReplaceLoyaltyCardInput,
  type UpdateLoyaltyCardTypeInput,
} from './loyalty-card.inputs.ts';

/** `extensions.reason` of the CONFLICTs below, for clients that tell them apart. */
const DUPLICATE_BARCODE = 'DUPLICATE_BARCODE';
const CARD_REPLACED = 'CARD_REPLACED';

/** Newest first, in a customer's list and in the store's types alike. */
const cardSort = keysetSort<LoyaltyCardRow>('loyaltyCard', 'desc', [
  [loyaltyCards.createdAt, 'timestamptz', (row) => row.createdAt],
  [loyaltyCards.id, 'uuid', (row) => row.id],
]);
const cardTypeSort = keysetSort<LoyaltyCardTypeRow>('loyaltyCardType', 'desc', [
  [loyaltyCardTypes.createdAt, 'timestamptz', (row) => row.createdAt],
  [loyaltyCardTypes.id, 'uuid', (row) => row.id],
]);

function conflictOn(field: string, message: string, reason: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { ...conflict(message).extensions, reason, fields: [{ field, message }] },
  });
}

const duplicateBarcode = () =>
  conflictOn('input.barcode', 'This barcode is already on a card of the store', DUPLICATE_BARCODE);
const duplicateTypeName = () =>
  conflictOn('input.name', 'The store already has a card type of this name', 'DUPLICATE_NAME');
const cardReplaced = (field: string) =>
  conflictOn(field, 'This card was replaced; its replacement is the card in use', CARD_REPLACED);

/** A card as the audit log keeps it. */
const cardFigures = (card: LoyaltyCardRow) => auditSnapshot(card, ['storeId', 'createdAt', 'updatedAt', 'createdBy']);

export class LoyaltyCardService {
  constructor(
    private readonly db: EngagementDb,
    private readonly ctx: BaseContext,
    private readonly directory: CustomerDirectory,
  ) {}

  // ---- card types ----

  cardTypes(args: { first?: number | null; after?: string | null }): Promise<ConnectionResult<LoyaltyCardTypeRow>> {
    return tableConnection(this.db, {
      table: loyaltyCardTypes,
      sort: cardTypeSort,
      conditions: [eq(loyaltyCardTypes.storeId, this.ctx.storeId)],
      args,
    });
  }

  /** Batched with every other card of the request (one statement). */
  cardType(id: string): Promise<LoyaltyCardTypeRow | null> {
    return loadInStore<LoyaltyCardTypeRow>(this.ctx, this.db, loyaltyCardTypes, id);
  }

  async createCardType(input: LoyaltyCardTypeInput): Promise<LoyaltyCardTypeRow> {
    const data = parseInput(loyaltyCardTypeSchema, input, 'input');
    const { storeId } = this.ctx;
    try {
      return await this.db.transaction(async (tx) => {
        const [row] = await tx
          .insert(loyaltyCardTypes)
          .values({ storeId, ...data })
          .returning();
        await audit.record(tx, this.ctx, {
          action: 'loyalty_card_type.create',
          entityType: 'LoyaltyCardType',
          entityId: row!.id,
          before: null,
          after: auditSnapshot(row!, ['storeId', 'createdAt', 'updatedAt']),
        });
        return row!;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'loyalty_card_types_store_name_key')) throw duplicateTypeName();
      throw error;
    }
  }

  async updateCardType(input: UpdateLoyaltyCardTypeInput): Promise<LoyaltyCardTypeRow> {
    const { id: rawId, ...data } = parseInput(updateLoyaltyCardTypeSchema, input, 'input');
    const id = rawId.toLowerCase();
    const { storeId } = this.ctx;
    const key = and(eq(loyaltyCardTypes.storeId, storeId), eq(loyaltyCardTypes.id, id));
    try {
      return await this.db.transaction(async (tx) => {
        const [before] = await tx.select().from(loyaltyCardTypes).where(key).for('update');
        if (!before) throw notFound('Loyalty card type', id);
        const [row] = await tx
          .update(loyaltyCardTypes)
          .set({ ...data, updatedAt: new Date() })
          .where(key)
          .returning();
        const figures = (type: LoyaltyCardTypeRow) => auditSnapshot(type, ['storeId', 'createdAt', 'updatedAt']);
        await audit.record(tx, this.ctx, {
          action: 'loyalty_card_type.update',
          entityType: 'LoyaltyCardType',
          entityId: id,
          before: figures(before),
          after: figures(row!),
        });
        return row!;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'loyalty_card_types_store_name_key')) throw duplicateTypeName();
      throw error;
    }
  }

  /** Only a type without cards: a card's type is part of its history. */
  async deleteCardType(rawId: string): Promise<string> {
    const id = requireId(rawId);
    const { storeId } = this.ctx;
    const key = and(eq(loyaltyCardTypes.storeId, storeId), eq(loyaltyCardTypes.id, id));
    try {
      return await this.db.transaction(async (tx) => {
        const [row] = await tx.delete(loyaltyCardTypes).where(key).returning();
        if (!row) throw notFound('Loyalty card type', id);
        await audit.record(tx, this.ctx, {
          action: 'loyalty_card_type.delete',
          entityType: 'LoyaltyCardType',
          entityId: id,
          before: auditSnapshot(row, ['storeId', 'createdAt', 'updatedAt']),
          after: null,
        });
        return id;
      });
    } catch (error) {
      if (isForeignKeyViolation(error, 'loyalty_cards_card_type_fk')) {
        throw conflictOn('id', 'This card type has cards; it cannot be deleted', 'CARD_TYPE_IN_USE');
      }
      throw error;
    }
  }

  // ---- cards ----

  /**
   * A customer's cards across types, newest first: one statement for every customer of the
   * request that asks for the same page and status.
   */
  cards(
    loyalty: LoyaltyRef,
    args: { first?: number | null; after?: string | null },
    status: LoyaltyCardStatus | null | undefined,
  ): Promise<ConnectionResult<LoyaltyCardRow>> {
    return connectionByParent(this.ctx, this.db, {
      relation: 'loyaltyCardsByCustomer',
      parentId: loyalty.customerId,
      table: loyaltyCards,
      parentColumn: loyaltyCards.customerId,
      sort: cardSort,
      where: and(eq(loyaltyCards.storeId, this.ctx.storeId), status ? eq(loyaltyCards.status, status) : undefined),
      filterKey: status ?? null,
      args,
    });
  }

  /**
   * The store's cards, newest first: a card type's cards (S2 reaches a customer's card through its
   * type), a status, or the card a scanned barcode is on.
   */
  storeCards(
    filter: { cardTypeId?: string | null; status?: LoyaltyCardStatus | null; barcode?: string | null },
    args: { first?: number | null; after?: string | null },
  ): Promise<ConnectionResult<LoyaltyCardRow>> {
    const cardTypeId = filter.cardTypeId ? requireId(filter.cardTypeId, 'cardTypeId') : null;
    const barcode = filter.barcode?.trim() || null;
    return tableConnection(this.db, {
      table: loyaltyCards,
      sort: cardSort,
      conditions: [
        eq(loyaltyCards.storeId, this.ctx.storeId),
        cardTypeId ? eq(loyaltyCards.cardTypeId, cardTypeId) : undefined,
        filter.status ? eq(loyaltyCards.status, filter.status) : undefined,
        barcode ? eq(loyaltyCards.barcode, barcode) : undefined,
      ],
      args,
    });
  }

  card(id: string): Promise<LoyaltyCardRow | null> {
    return loadInStore<LoyaltyCardRow>(this.ctx, this.db, loyaltyCards, id);
  }

  /** E5: a new ACTIVE card of a customer of the store, of one of its types. */
  async issue(input: IssueLoyaltyCardInput): Promise<LoyaltyCardRow> {
    const parsed = parseInput(issueLoyaltyCardSchema, input, 'input');
    const data = {
      ...parsed,
      customerId: parsed.customerId.toLowerCase(),
      cardTypeId: parsed.cardTypeId.toLowerCase(),
    };
    const { storeId } = this.ctx;
    // Only a customer of the store, not erased, gets a card (BAD_USER_INPUT on the field, CONFLICT when erased), as every write naming one.
    await this.directory.requireNamed(data.customerId, 'record');
    try {
      return await this.db.transaction(async (tx) => {
        const [type] = await tx
          .select({ id: loyaltyCardTypes.id })
          .from(loyaltyCardTypes)
          .where(and(eq(loyaltyCardTypes.storeId, storeId), eq(loyaltyCardTypes.id, data.cardTypeId)))
          .for('share');
        if (!type) throw invalidField('input.cardTypeId', 'is not a card type of this store');
        const [card] = await tx
          .insert(loyaltyCards)
          .values({ storeId, ...data, createdBy: this.ctx.principal.userId })
          .returning();
        await audit.record(tx, this.ctx, {
          action: 'loyalty_card.issue',
          entityType: 'LoyaltyCard',
          entityId: card!.id,
          customerId: card!.customerId,
          before: null,
          after: cardFigures(card!),
        });
        return card!;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'loyalty_cards_store_barcode_key')) throw duplicateBarcode();
      throw error;
    }
  }

  block(id: string): Promise<LoyaltyCardRow> {
    return this.setStatus(id, LoyaltyCardStatus.BLOCKED, 'loyalty_card.block');
  }

  unblock(id: string): Promise<LoyaltyCardRow> {
    return this.setStatus(id, LoyaltyCardStatus.ACTIVE, 'loyalty_card.unblock');
  }

  /** Blocking a blocked card (or unblocking an active one) changes nothing and records nothing. */
  private async setStatus(rawId: string, status: LoyaltyCardStatus, action: string): Promise<LoyaltyCardRow> {
    const id = requireId(rawId);
    const { storeId } = this.ctx;
    return this.db.transaction(async (tx) => {
      const before = await this.lockCard(tx, id);
      if (before.status === status) return before;
      const [card] = await tx
        .update(loyaltyCards)
        .set({ status, updatedAt: new Date() })
        .where(and(eq(loyaltyCards.storeId, storeId), eq(loyaltyCards.id, id)))
        .returning();
      await audit.record(tx, this.ctx, {
        action,
        entityType: 'LoyaltyCard',
        entityId: id,
        customerId: card!.customerId,
        before: { status: before.status },
        after: { status: card!.status },
      });
      return card!;
    });
  }

  /**
   * E5: a new ACTIVE card with a new barcode takes the place of an ACTIVE or BLOCKED one, with all
   * its VIP points; the old card is REPLACED with none left. The old card's row is locked first,
   * so of concurrent replacements one moves the points and the others find it REPLACED (CONFLICT):
   * the points move exactly once.
   */
  async replace(input: ReplaceLoyaltyCardInput): Promise<{ card: LoyaltyCardRow; replaced: LoyaltyCardRow }> {
    const data = parseInput(replaceLoyaltyCardSchema, input, 'input');
    const { storeId } = this.ctx;
    try {
      return await this.db.transaction(async (tx) => {
        const old = await this.lockCard(tx, data.cardId.toLowerCase(), 'input.cardId');
        const [card] = await tx
          .insert(loyaltyCards)
          .values({
            storeId,
            customerId: old.customerId,
            cardTypeId: old.cardTypeId,
            barcode: data.barcode,
            vipPoints: old.vipPoints,
            createdBy: this.ctx.principal.userId,
          })
          .returning();
        const [replaced] = await tx
          .update(loyaltyCards)
          .set({ status: 'replaced', vipPoints: 0, replacedById: card!.id, updatedAt: new Date() })
          .where(and(eq(loyaltyCards.storeId, storeId), eq(loyaltyCards.id, old.id)))
          .returning();
        await audit.record(tx, this.ctx, {
          action: 'loyalty_card.replace',
          entityType: 'LoyaltyCard',
          entityId: old.id,
          customerId: old.customerId,
          before: cardFigures(old),
          after: { replaced: cardFigures(replaced!), card: cardFigures(card!) },
        });
        return { card: card!, replaced: replaced! };
      });
    } catch (error) {
      if (isUniqueViolation(error, 'loyalty_cards_store_barcode_key')) throw duplicateBarcode();
      throw error;
    }
  }

  /** The card, locked for the transaction; NOT_FOUND outside the store, CONFLICT once REPLACED. */
  private async lockCard(tx: Tx, id: string, field = 'id'): Promise<LoyaltyCardRow> {
    const [card] = await tx
      .select()
      .from(loyaltyCards)
      .where(and(eq(loyaltyCards.storeId, this.ctx.storeId), eq(loyaltyCards.id, id)))
      .for('update');
    if (!card) throw notFound('Loyalty card', id);
    if (card.status === 'replaced') throw cardReplaced(field);
    return card;
  }
}
