import { buildFederatedSchema } from '@cg/subgraph';
import { Customer } from './customers/customer.type.ts';
import { customerReference } from './customers/customer.reference.ts';
import { CustomerOrdersResolver, OrderResolver } from './orders/order.resolver.ts';
import { orderReference } from './orders/order.reference.ts';
import { OrderRequestResolver, OrderRequestsResolver } from './orders/order-request.resolver.ts';
import { CustomerPaymentsResolver, OrderPaymentsResolver, PaymentResolver } from './payments/payment.resolver.ts';
import { paymentReference } from './payments/payment.reference.ts';

export function buildSchema() {
  return buildFederatedSchema({
    resolvers: [
      CustomerOrdersResolver,
      OrderResolver,
      OrderRequestsResolver,
      OrderRequestResolver,
      CustomerPaymentsResolver,
      OrderPaymentsResolver,
      PaymentResolver,
    ],
    // Customer is only extended here (its fields come from field resolvers).
    orphanedTypes: [Customer],
    references: { ...customerReference, ...orderReference, ...paymentReference },
  });
}
