/**
 * The values of a TypeScript string enum (or `as const` object), in declaration order, as the
 * tuple a drizzle `pgEnum` takes: the enum stays the one list of values, and the column is typed
 * as their string literals rather than as the enum, so that code may write `'active'` as well as
 * `CustomerStatus.ACTIVE`.
 */
export function pgEnumValues<E extends Record<string, string>>(values: E): [`${E[keyof E]}`, ...`${E[keyof E]}`[]] {
  return Object.values(values) as [`${E[keyof E]}`, ...`${E[keyof E]}`[]];
}
