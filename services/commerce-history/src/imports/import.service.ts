import { and, eq, inArray } from 'drizzle-orm';
import { GraphQLError } from 'graphql';
import { conflict, parseInput, type BaseContext, type FieldError } from '@cg/subgraph';
import { orders } from '../db/schema.ts';
import type { CommerceHistoryDb } from '../context.ts';
import type { OrderService } from '../orders/order.service.ts';
import { DUPLICATE_ORDER_NUMBER } from '../orders/order.service.ts';
import type { RecordOrderInput } from '../orders/order.inputs.ts';
import { importOrdersSchema } from './import.inputs.ts';
import { ImportRowStatus, type ImportOrderRow, type ImportOrdersResult, type ImportRowError } from './import.type.ts';

/**
 * O1 bulk intake. The rows go through `OrderService.recordMany`, which single intake uses too, so
 * a row is checked, recorded and announced (order.recorded, audit) exactly as there; a row that
 * fails leaves nothing and the rows around it stay. Idempotent by order
 * number: a number already in the store, or earlier in the batch, is ALREADY_RECORDED.
 */
export class ImportService {
  constructor(
    private readonly db: CommerceHistoryDb,
    private readonly ctx: BaseContext,
    private readonly orderService: OrderService,
  ) {}

  async importOrders(input: RecordOrderInput[]): Promise<ImportOrdersResult> {
    parseInput(importOrdersSchema, input, 'orders');
    const known = await this.knownNumbers(input.map((row) => row.number));
    const rows: ImportOrderRow[] = new Array(input.length);
    const errors: ImportRowError[][] = input.map(() => []);
    const numberOf = (index: number) => (typeof input[index]!.number === 'string' ? input[index]!.number : null);
    let waiting = input.map((_, index) => index);
    // Rounds: each sends the first waiting row of every number not recorded yet; a repeat of a
    // number waits for the round after its predecessor, and is ALREADY_RECORDED if that one was.
    while (waiting.length) {
      const round: number[] = [];
      const later: number[] = [];
      const inRound = new Set<string>();
      for (const index of waiting) {
        const number = numberOf(index);
        const existing = number === null ? undefined : known.get(number);
        if (existing) rows[index] = { index, number, status: ImportRowStatus.ALREADY_RECORDED, orderId: existing };
        else if (number !== null && inRound.has(number)) later.push(index);
        else {
          if (number !== null) inRound.add(number);
          round.push(index);
        }
      }
      const results = await this.orderService.recordMany(round.map((index) => input[index]!));
      const raced: number[] = [];
      for (const [position, result] of results.entries()) {
        const index = round[position]!;
        const number = numberOf(index);
        if ('order' in result) {
          known.set(result.order.number, result.order.id);
          rows[index] = { index, number, status: ImportRowStatus.RECORDED, orderId: result.order.id };
        } else if (isDuplicateNumber(result.error) && number !== null) raced.push(index);
        else fail(index, result.error);
      }
      // Recorded by a concurrent import (or by a repeat that this batch refused): the row is there.
      if (raced.length) {
        const found = await this.knownNumbers(raced.map(numberOf));
        for (const index of raced) {
          const orderId = found.get(numberOf(index)!);
          if (orderId)
            rows[index] = { index, number: numberOf(index), status: ImportRowStatus.ALREADY_RECORDED, orderId };
          else fail(index, conflict(DUPLICATE_ORDER_NUMBER));
        }
      }
      waiting = later;
    }
    function fail(index: number, error: GraphQLError) {
      errors[index] = rowErrors(index, error);
      rows[index] = { index, number: numberOf(index), status: ImportRowStatus.FAILED, orderId: null };
    }
    const count = (status: ImportRowStatus) => rows.filter((row) => row.status === status).length;
    return {
      recorded: count(ImportRowStatus.RECORDED),
      alreadyRecorded: count(ImportRowStatus.ALREADY_RECORDED),
      failed: count(ImportRowStatus.FAILED),
      rows,
      errors: errors.flat(),
    };
  }

  /** Which of the numbers the store has, with their orders' ids, in one statement. */
  private async knownNumbers(numbers: unknown[]): Promise<Map<string, string>> {
    const valid = [...new Set(numbers.filter((value): value is string => typeof value === 'string'))];
    if (valid.length === 0) return new Map();
    const found = await this.db
      .select({ id: orders.id, number: orders.number })
      .from(orders)
      .where(and(eq(orders.storeId, this.ctx.storeId), inArray(orders.number, valid)));
    return new Map(found.map((row) => [row.number, row.id]));
  }
}

function isDuplicateNumber(error: unknown): boolean {
  return (
    error instanceof GraphQLError && error.extensions.code === 'CONFLICT' && error.message === DUPLICATE_ORDER_NUMBER
  );
}

/**
 * The errors single intake gave for the row, their fields renamed from `input.…` to
 * `orders.<index>.…`.
 */
function rowErrors(index: number, error: GraphQLError): ImportRowError[] {
  const code = String(error.extensions.code ?? 'BAD_USER_INPUT');
  const fields = (error.extensions.fields as FieldError[] | undefined) ?? [];
  const rename = (field: string) => `orders.${index}${field.replace(/^input(?=\.|$)/, '')}`;
  if (fields.length === 0) return [{ index, field: null, code, message: error.message }];
  return fields.map((field) => ({ index, field: rename(field.field), code, message: field.message }));
}
