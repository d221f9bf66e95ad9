export { databaseUrlFor, withDatabase } from './config.ts';
export { startEmbeddedPostgres, freePort, EmbeddedInUseError, type EmbeddedDatabase } from './embedded.ts';
export { connect, type Database, type Tx, type ConnectOptions, type CapturedStatement } from './connect.ts';
export { migrate, ensureDatabase, dropDatabase } from './migrate.ts';
export { pgEnumValues } from './enum.ts';
export { pgError, isUniqueViolation, isForeignKeyViolation, isCheckViolation, isConnectionLoss } from './errors.ts';
export {
  applyRowSecurity,
  requestRole,
  quoteIdent,
  STORE_SETTING,
  CUSTOMER_SETTING,
  type RowSecurityRules,
} from './row-security.ts';
export {
  beginRequestTransaction,
  inStoreScope,
  isFramingStatement,
  type ScopedDatabase,
  type RequestScope,
  type RequestTransaction,
} from './request-transaction.ts';
export { timestamptz, createdAt, updatedAt, minorUnits } from './columns.ts';
