import { Args, Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import { PageArgs } from '@cg/subgraph';
import type { CommerceHistoryContext } from '../context.ts';
import { OrderConnection } from '../orders/order.type.ts';
import { Guest, type GuestRef } from './guest.type.ts';

@Resolver(() => Guest)
export class GuestOrdersResolver {
  @Directive('@requires(fields: "email phone")')
  @FieldResolver(() => OrderConnection, {
    nullable: true,
    description:
      "C13: orders placed as a guest with this guest's email or phone, newest first; they stay here after the guest registers.",
  })
  orders(@Root() guest: GuestRef, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: CommerceHistoryContext) {
    return ctx.orders.forGuest({ email: guest.email ?? null, phone: guest.phone ?? null }, page);
  }
}
