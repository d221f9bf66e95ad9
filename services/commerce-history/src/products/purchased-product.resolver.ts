import { Arg, Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { PageArgs, Shopper, SortDirection } from '@cg/subgraph';
import type { CommerceHistoryContext } from '../context.ts';
import { Customer, type CustomerRef } from '../customers/customer.type.ts';
import { PurchasedProductConnection, PurchasedProductSort } from './purchased-product.type.ts';

@Resolver(() => Customer)
export class CustomerPurchasedProductsResolver {
  @Shopper()
  @FieldResolver(() => PurchasedProductConnection, {
    nullable: true,
    description:
      "O6: the products of the customer's purchases (orders not draft, cancelled, expired or returned), by product id and SKU; units net of returns. Default: most units first.",
  })
  purchasedProducts(
    @Root() customer: CustomerRef,
    @Args(() => PageArgs) page: PageArgs,
    @Arg('sort', () => PurchasedProductSort, { nullable: true }) sort: PurchasedProductSort | null,
    @Arg('direction', () => SortDirection, { nullable: true }) direction: SortDirection | null,
    @Ctx() ctx: CommerceHistoryContext,
  ) {
    return ctx.purchasedProducts.forCustomer(customer.id, { ...page, sort, direction });
  }
}
