import type { Principal, StoreAccess } from '@cg/auth';
import { LoaderRegistry } from './loaders.ts';

/** What every resolver receives; services extend it with their own services. */
export interface BaseContext {
  principal: Principal;
  /** A staff caller's actions in this store (roles, shared access); absent for customers and guests. */
  access?: StoreAccess;
  /** The store every statement of this request is scoped to. */
  storeId: string;
  loaders: LoaderRegistry;
  ip?: string;
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
