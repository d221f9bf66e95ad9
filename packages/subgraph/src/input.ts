import { z } from 'zod';
import { badUserInput } from './errors.ts';

/**
 * Parses a mutation's arguments at the edge: on failure nothing runs and the caller gets
 * BAD_USER_INPUT naming every failing field (`input.email`, `first`, ...).
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, path?: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => ({
    field: [path, ...issue.path.map(String)].filter(Boolean).join('.') || (path ?? 'input'),
    message: issue.message,
  }));
  const summary = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
  throw badUserInput(`Invalid input: ${summary}`, fields);
}

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** Reusable zod pieces for inputs every subgraph takes. */
export const zx = {
  id: z.uuid({ message: 'must be a valid id' }),
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .refine((code) => CURRENCIES.has(code), { message: 'must be an ISO 4217 currency code' }),
  /** Money in minor units (cents); never fractional. */
  minorUnits: z
    .number()
    .int({ message: 'must be whole minor units' })
    .refine(Number.isSafeInteger, { message: 'is too large' }),
  /** Trimmed before it is checked: a pasted address keeps its surrounding spaces. */
  email: z
    .string()
    .trim()
    .max(254)
    .pipe(z.email({ message: 'must be a valid email address' })),
  ip: z.union([z.ipv4(), z.ipv6()], { message: 'must be an IPv4 or IPv6 address' }),
  /** Trimmed, non-empty text of at most `max` characters. */
  text: (max: number) => z.string().trim().min(1, 'must not be empty').max(max),
  /**
   * A list filter on an enum (statuses, types): each value once, in a stable order; absent, null
   * or empty is no filter (null). At most every value once.
   */
  enumSet: <const T extends Record<string, string>>(values: T) =>
    z
      .array(z.enum(values))
      .max(Object.keys(values).length)
      .nullish()
      .transform((list) => (list?.length ? [...new Set(list)].sort() : null)),
  /**
   * The `clear` list of an update whose omitted fields stay as they are: the nullable fields set
   * to null, each once. `refineCleared` refuses a field both set and cleared.
   */
  clearList: <const T extends readonly [string, ...string[]]>(fields: T) =>
    z
      .array(z.enum(fields))
      .max(fields.length)
      .nullish()
      .transform((list) => [...new Set(list ?? [])]),
  /** Trimmed text; empty becomes null; null or absent allowed. */
  optionalText: (max: number) =>
    z
      .string()
      .trim()
      .max(max)
      .transform((value) => value || null)
      .nullish(),
};

/** For an update with `zx.clearList`: a field both given a value and cleared is refused at `clear.<i>`. */
export function refineCleared<T extends { clear: readonly string[] }>(data: T, ctx: z.RefinementCtx): void {
  data.clear.forEach((field, index) => {
    if ((data as Record<string, unknown>)[field] !== undefined)
      ctx.addIssue({ code: 'custom', path: ['clear', index], message: `${field} is both set and cleared` });
  });
}
