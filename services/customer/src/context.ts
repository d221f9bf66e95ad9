import type { Database } from '@cg/db';
import type { BaseContext } from '@cg/subgraph';
import type { tables } from './db/schema.ts';
import { StoreService } from './stores/store.service.ts';
import { CustomerService } from './customers/customer.service.ts';
import { AddressService } from './addresses/address.service.ts';
import { MetricsService } from './metrics/metrics.service.ts';

export type CustomerDb = Database<typeof tables>['orm'];

export interface CustomerContext extends BaseContext {
  stores: StoreService;
  customers: CustomerService;
  addresses: AddressService;
  metrics: MetricsService;
}

export function createContext(base: BaseContext, db: Database<typeof tables>): CustomerContext {
  return {
    ...base,
    stores: new StoreService(db.orm, base),
    customers: new CustomerService(db.orm, base),
    addresses: new AddressService(db.orm, base),
    metrics: new MetricsService(db.orm, base),
  };
}
