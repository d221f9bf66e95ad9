import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Shopper } from '@cg/subgraph';
import type { CustomerRow, CustomerMetricsRow } from '../db/schema/index.ts';
import type { CustomerContext } from '../context.ts';
import { Customer } from '../customers/customer.type.ts';
import { CustomerMetrics } from './metrics.type.ts';
import { present } from './metrics.service.ts';

@Resolver(() => Customer)
export class CustomerMetricsResolver {
  @Shopper()
  @FieldResolver(() => CustomerMetrics, {
    description: 'Orders, spending, wallet balance, loyalty points and tier (C7, C10).',
  })
  metrics(@Root() customer: CustomerRow & { metrics?: CustomerMetricsRow }, @Ctx() ctx: CustomerContext) {
    // The customer list joins the metrics row already; elsewhere it is loaded in one batch.
    return customer.metrics ? present(customer.id, customer.metrics) : ctx.metrics.forCustomer(customer.id);
  }
}
