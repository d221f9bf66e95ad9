import { and, eq, inArray } from 'drizzle-orm';
import { GraphQLError } from 'graphql';
import { parseInput, type BaseContext, type FieldError } from '@cg/subgraph';
import { orders } from '../db/schema.ts';
import type { CommerceHistoryDb } from '../context.ts';
import type { OrderService } from '../orders/order.service.ts';
import { DUPLICATE_ORDER_NUMBER } from '../orders/order.service.ts';
import type { RecordOrderInput } from '../orders/order.inputs.ts';
import { importOrdersSchema } from './import.inputs.ts';
import { ImportRowStatus, type ImportOrderRow, type ImportOrdersResult, type ImportRowError } from './import.type.ts';

/**
 * O1 bulk intake. Every row goes through `OrderService.record`, so a row is checked, recorded and
 * announced (order.recorded, audit) exactly as single intake does it; its writes run in a
 * savepoint, so a row that fails leaves nothing and the rows around it stay. Idempotent by order
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
    const rows: ImportOrderRow[] = [];
    const errors: ImportRowError[] = [];
    for (const [index, row] of input.entries()) {
      const number = typeof row.number === 'string' ? row.number : null;
      const existing = number === null ? undefined : known.get(number);
      if (existing) {
        rows.push({ index, number, status: ImportRowStatus.ALREADY_RECORDED, orderId: existing });
        continue;
      }
      try {
        const order = await this.orderService.record(row);
        known.set(order.number, order.id);
        rows.push({ index, number, status: ImportRowStatus.RECORDED, orderId: order.id });
      } catch (error) {
        // A concurrent import recorded the number first: the row is there, as a repeat would be.
        if (isDuplicateNumber(error) && number !== null) {
          const [raced] = [...(await this.knownNumbers([number])).values()];
          if (raced) {
            rows.push({ index, number, status: ImportRowStatus.ALREADY_RECORDED, orderId: raced });
            continue;
          }
        }
        errors.push(...rowErrors(index, error));
        rows.push({ index, number, status: ImportRowStatus.FAILED, orderId: null });
      }
    }
    const count = (status: ImportRowStatus) => rows.filter((row) => row.status === status).length;
    return {
      recorded: count(ImportRowStatus.RECORDED),
      alreadyRecorded: count(ImportRowStatus.ALREADY_RECORDED),
      failed: count(ImportRowStatus.FAILED),
      rows,
      errors,
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
 * `orders.<index>.…`. Anything but a GraphQL error (a fault, not bad input) fails the whole call.
 */
function rowErrors(index: number, error: unknown): ImportRowError[] {
  if (!(error instanceof GraphQLError)) throw error;
  const code = String(error.extensions.code ?? 'BAD_USER_INPUT');
  const fields = (error.extensions.fields as FieldError[] | undefined) ?? [];
  const rename = (field: string) => `orders.${index}${field.replace(/^input(?=\.|$)/, '')}`;
  if (fields.length === 0) return [{ index, field: null, code, message: error.message }];
  return fields.map((field) => ({ index, field: rename(field.field), code, message: field.message }));
}
