import 'reflect-metadata';
export {
  badUserInput,
  invalidField,
  forbidden,
  notFound,
  conflict,
  customerBlacklisted,
  type FieldError,
} from './errors.ts';
export { parseInput, refineCleared, zx } from './input.ts';
export {
  PageInfo,
  PageArgs,
  PAGE_SIZE,
  pageSize,
  encodeCursor,
  decodeCursor,
  toConnection,
  lazy,
  Connection,
  type Edge,
  type ConnectionResult,
} from './connection.ts';
export { Money, money } from './money.ts';
export { buildFederatedSchema, subgraphSdl, FEDERATION_LINK, type ReferenceResolvers } from './build.ts';
export { LoaderRegistry, byKey, groupByKey } from './loaders.ts';
export { baseContext, type BaseContext } from './context.ts';
export { startSubgraph, authenticate, type SubgraphDefinition, type RunningSubgraph } from './subgraph.ts';
export {
  keyset,
  keysetSort,
  rootConnection,
  tableConnection,
  pagedByParent,
  connectionByParent,
  connectionByParentQuery,
  parentsByColumn,
  type KeysetSort,
  type KeysetKey,
  type KeysetColumn,
  type ParentPage,
  type ParentRows,
} from './keyset.ts';
export { SortDirection } from './sort.ts';
export { runSubgraphMain } from './main.ts';
export { requireId, loadInStore, loadByParent, listByParent } from './entity.ts';
export {
  Caller,
  can,
  requireAction,
  actsFor,
  actorKind,
  ownRows,
  staffOnly,
  seesPersonalData,
  personal,
  maskEmail,
  maskPhone,
  maskIp,
  type Permission,
  type PersonalKind,
} from './authorization.ts';
export { startsWith } from './prefix.ts';
export { Shopper, Internal, InternalType } from './audience.ts';
export {
  CustomerDirectory,
  ERASED_CUSTOMER,
  BLOCKED_CUSTOMER,
  DELETED_CUSTOMER,
  type DirectoryEntry,
  type DirectoryUse,
} from './directory/directory.service.ts';
export { DIRECTORY_PATH, type DirectoryAnswer, type CustomerLookup } from './directory/directory.lookup.ts';
export {
  qualifiedName,
  throughParent,
  type PersonalDataRegistry,
  type PersonalDataTable,
} from './personal-data/personal-data.registry.ts';
export { PersonalDataExport } from './personal-data/personal-data.export.ts';
export { erasePersonalData } from './personal-data/personal-data.erase.ts';
