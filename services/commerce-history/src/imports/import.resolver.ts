import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { StaffAction } from '@cg/auth';
import type { CommerceHistoryContext } from '../context.ts';
import { RecordOrderInput } from '../orders/order.inputs.ts';
import { MAX_IMPORT_ROWS } from './import.inputs.ts';
import { ImportOrdersResult } from './import.type.ts';

@Resolver()
export class ImportResolver {
  @Authorized(StaffAction.ORDERS_MANAGE)
  @Mutation(() => ImportOrdersResult, {
    description: `O1: records up to ${MAX_IMPORT_ROWS} orders from a sales platform, each as \`recordOrder\` would; idempotent by order number.`,
  })
  importOrders(
    @Arg('orders', () => [RecordOrderInput]) input: RecordOrderInput[],
    @Ctx() ctx: CommerceHistoryContext,
  ): Promise<ImportOrdersResult> {
    return ctx.imports.importOrders(input);
  }
}
