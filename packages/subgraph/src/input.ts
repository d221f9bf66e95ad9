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
  /** Trimmed text; empty becomes null; null or absent allowed. */
  optionalText: (max: number) =>
    z
      .string()
      .trim()
      .max(max)
      .transform((value) => value || null)
      .nullish(),
};
