import type { Principal, StoreAccess } from '@cg/auth';
import { LoaderRegistry } from './loaders.ts';
import type { CustomerLookup } from './directory/directory.lookup.ts';

/** What every resolver receives; services extend it with their own services. */
export interface BaseContext {
  principal: Principal;
  /** A staff caller's actions in this store (roles, shared access); absent for customers and guests. */
  access?: StoreAccess;
  /** The store every statement of this request is scoped to. */
  storeId: string;
  loaders: LoaderRegistry;
  ip?: string;
  /**
   * Asks the customer subgraph, with this request's credentials, about a customer of the store
   * (directory/directory.service.ts); absent in the customer subgraph itself.
   */
  lookupCustomer?: CustomerLookup;
}

/** A staff caller's store is the one their access assertion names (shared access, platform staff). */
export function baseContext(principal: Principal, ip?: string, access?: StoreAccess): BaseContext {
  return {
    principal,
    ...(access ? { access } : {}),
    storeId: access?.storeId ?? principal.storeId,
    loaders: new LoaderRegistry(),
    ...(ip ? { ip } : {}),
  };
}
