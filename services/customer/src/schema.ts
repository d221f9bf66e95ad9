import { buildFederatedSchema } from '@cg/subgraph';
import { StoreResolver } from './stores/store.resolver.ts';
import { storeReference } from './stores/store.reference.ts';
import { CustomerResolver } from './customers/customer.resolver.ts';
import { customerReference } from './customers/customer.reference.ts';
import { AddressResolver, CustomerAddressesResolver } from './addresses/address.resolver.ts';
import { CustomerMetricsResolver } from './metrics/metrics.resolver.ts';

export function buildSchema() {
  return buildFederatedSchema({
    resolvers: [StoreResolver, CustomerResolver, CustomerAddressesResolver, AddressResolver, CustomerMetricsResolver],
    references: { ...storeReference, ...customerReference },
  });
}
