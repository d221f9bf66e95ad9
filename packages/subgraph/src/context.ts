import type { Principal } from '@cg/auth';
import { LoaderRegistry } from './loaders.ts';

/** What every resolver receives; services extend it with their own services. */
export interface BaseContext {
  principal: Principal;
  /** The store every statement of this request is scoped to. */
  storeId: string;
  loaders: LoaderRegistry;
  ip?: string;
}

export function baseContext(principal: Principal, ip?: string): BaseContext {
  return { principal, storeId: principal.storeId, loaders: new LoaderRegistry(), ...(ip ? { ip } : {}) };
}
