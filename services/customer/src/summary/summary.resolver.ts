import { Arg, ID, Resolver, Root, Subscription, Authorized } from 'type-graphql';
import { StaffAction } from '@cg/auth';
import { Caller } from '@cg/subgraph';
import type { CustomerRow } from '../db/schema/index.ts';
import { Customer } from '../customers/customer.type.ts';
import { SUMMARY_CHANNEL } from './summary.notify.ts';

/**
 * Declares the live summary (C10) for the supergraph. The subgraph never serves it: Apollo's
 * gateway does not execute subscriptions, so the gateway serves it over graphql-ws itself,
 * listening on {@link SUMMARY_CHANNEL} and resolving the subscriber's selection as a
 * `customer(id:)` query through the supergraph (gateway/src/subscriptions/).
 */
@Resolver()
export class CustomerSummaryResolver {
  @Authorized(StaffAction.CUSTOMERS_READ, Caller.CUSTOMER)
  @Subscription(() => Customer, {
    topics: SUMMARY_CHANNEL,
    description:
      "A customer's live summary (C10). Served by the gateway itself over graphql-ws on its /graphql " +
      'path, with `{ "Authorization": "Bearer <token>" }` as the connection_init payload; not by this ' +
      'subgraph. Emits the selection once on subscribing, then again whenever its result changes after ' +
      "a change of this customer (orders, returns, wallet, loyalty points, profile). The selection may hold any subgraph's " +
      'Customer fields and is resolved like `customer(id:)`, with the same token and limits. A customer ' +
      "outside the token's store gives NOT_FOUND and ends the subscription.",
  })
  customerSummaryUpdated(@Arg('customerId', () => ID) _customerId: string, @Root() customer: CustomerRow): CustomerRow {
    return customer;
  }
}
