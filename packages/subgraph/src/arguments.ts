import {
  getNamedType,
  GraphQLID,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLFieldResolver,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { invalidField } from './errors.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What no text may carry: NUL, which PostgreSQL refuses in text and json, and UTF-16 surrogates
 * without their pair, which have no UTF-8 form (an event payload or a row would not hold them).
 */
const UNSAFE_TEXT = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a text is refused, or undefined when it is fine. */
export function unsafeText(value: string): string | undefined {
  const match = UNSAFE_TEXT.exec(value);
  if (!match) return undefined;
  return match[0] === '\0' ? 'must not contain NUL characters' : 'must not contain unpaired surrogates';
}

/**
 * The arguments of a field as its resolver gets them, after coercion (inline literals and variables
 * alike): refuses unsafe text with BAD_USER_INPUT naming the argument's path, and writes ids that
 * are uuids in lower case, the form they are stored in. Returns the arguments to resolve with.
 */
export function cleanArguments(
  definitions: readonly { name: string; type: GraphQLInputType }[],
  args: Record<string, unknown>,
): Record<string, unknown> {
  let cleaned: Record<string, unknown> | undefined;
  for (const definition of definitions) {
    if (!(definition.name in args)) continue;
    const value = args[definition.name];
    const clean = cleanValue(definition.type, value, definition.name);
    if (clean !== value) (cleaned ??= { ...args })[definition.name] = clean;
  }
  return cleaned ?? args;
}

function cleanValue(type: GraphQLInputType, value: unknown, path: string): unknown {
  if (value === null || value === undefined) return value;
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) {
    if (!Array.isArray(value)) return cleanValue(inner.ofType, value, path);
    let cleaned: unknown[] | undefined;
    value.forEach((item, index) => {
      const clean = cleanValue(inner.ofType, item, `${path}.${index}`);
      if (clean !== item) (cleaned ??= [...value])[index] = clean;
    });
    return cleaned ?? value;
  }
  if (isInputObjectType(inner)) {
    const fields = inner.getFields();
    let cleaned: Record<string, unknown> | undefined;
    for (const [name, field] of Object.entries(fields)) {
      const item = (value as Record<string, unknown>)[name];
      const clean = cleanValue(field.type, item, `${path}.${name}`);
      if (clean !== item) (cleaned ??= { ...(value as Record<string, unknown>) })[name] = clean;
    }
    return cleaned ?? value;
  }
  // Scalars: String, ID and custom ones (`_Any` representations) may hold text anywhere inside.
  checkText(value, path);
  if (getNamedType(inner) === GraphQLID && typeof value === 'string' && UUID.test(value)) return value.toLowerCase();
  return value;
}

function checkText(value: unknown, path: string): void {
  if (typeof value === 'string') {
    const reason = unsafeText(value);
    if (reason) throw invalidField(path, reason);
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => checkText(item, `${path}.${index}`));
  } else if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    for (const [key, item] of Object.entries(value)) {
      if (unsafeText(key)) throw invalidField(path, 'must not contain NUL characters or unpaired surrogates');
      checkText(item, `${path}.${key}`);
    }
  }
}

/**
 * Every field with arguments, in every type, cleans them before its resolver runs: one place for
 * the whole subgraph, whoever calls it (the gateway or a client of the subgraph itself).
 */
export function guardArguments(schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.args.length === 0) continue;
      const resolve: GraphQLFieldResolver<unknown, unknown> | undefined = field.resolve;
      const definitions = field.args;
      field.resolve = (source, args, context, info) => {
        const cleaned = cleanArguments(definitions, args);
        // A field without its own resolver reads the property, as graphql-js would.
        if (resolve) return resolve(source, cleaned, context, info);
        const property = (source as Record<string, unknown> | null)?.[info.fieldName];
        return typeof property === 'function' ? property.call(source, cleaned, context, info) : property;
      };
      if (field.subscribe) {
        const subscribe = field.subscribe;
        field.subscribe = (source, args, context, info) =>
          subscribe(source, cleanArguments(definitions, args), context, info);
      }
    }
  }
}
