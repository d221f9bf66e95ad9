import { z } from 'zod';
import type { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { parseInput, refineCleared, zx } from './input.ts';

function fieldErrors(schema: z.ZodType, value: unknown, path?: string): unknown {
  try {
    parseInput(schema, value, path);
  } catch (error) {
    expect((error as GraphQLError).extensions.code).toBe('BAD_USER_INPUT');
    return { message: (error as GraphQLError).message, fields: (error as GraphQLError).extensions.fields };
  }
  throw new Error('expected a BAD_USER_INPUT error');
}

describe('parseInput', () => {
  const schema = z.object({ email: z.email({ message: 'must be an email' }), tags: z.array(zx.text(3)).optional() });

  it('returns the parsed output', () => {
    expect(parseInput(schema, { email: 'ada@example.com', tags: [' vip '] }, 'input')).toEqual({
      email: 'ada@example.com',
      tags: ['vip'],
    });
  });

  it('names every failing field under the argument’s path', () => {
    expect(fieldErrors(schema, { email: 'nope', tags: ['long tag'] }, 'input')).toEqual({
      message:
        'Invalid input: input.email: must be an email; input.tags.0: Too big: expected string to have <=3 characters',
      fields: [
        { field: 'input.email', message: 'must be an email' },
        { field: 'input.tags.0', message: 'Too big: expected string to have <=3 characters' },
      ],
    });
  });

  it('names the argument itself, or `input` without one, when the whole value fails', () => {
    expect(fieldErrors(zx.id, 'x', 'customerId')).toMatchObject({
      fields: [{ field: 'customerId', message: 'must be a valid id' }],
    });
    expect(fieldErrors(zx.id, 'x')).toMatchObject({ fields: [{ field: 'input', message: 'must be a valid id' }] });
    expect(fieldErrors(z.object({ id: zx.id }), { id: 'x' }, '')).toMatchObject({
      fields: [{ field: 'id', message: 'must be a valid id' }],
    });
  });
});

describe('zx', () => {
  it('email: trimmed before it is checked', () => {
    expect(zx.email.parse(' x@example.com ')).toBe('x@example.com');
    expect(zx.email.safeParse('not an email').error?.issues[0]?.message).toBe('must be a valid email address');
    expect(zx.email.safeParse('   ').success).toBe(false);
  });

  it('currency: an ISO 4217 code, trimmed and upper-cased', () => {
    expect(zx.currency.parse(' eur ')).toBe('EUR');
    expect(zx.currency.parse('TRY')).toBe('TRY');
    expect(zx.currency.safeParse('EURO').error?.issues[0]?.message).toBe('must be an ISO 4217 currency code');
    expect(zx.currency.safeParse('').success).toBe(false);
  });

  it('minorUnits: whole, safe integers of either sign', () => {
    expect(zx.minorUnits.parse(-1999)).toBe(-1999);
    expect(zx.minorUnits.parse(Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
    expect(zx.minorUnits.safeParse(19.99).error?.issues[0]?.message).toBe('must be whole minor units');
    expect(zx.minorUnits.safeParse(2 ** 53).error?.issues.map((issue) => issue.message)).toContain('is too large');
  });

  it('text and optionalText: trimmed, bounded; optional text turns empty into null', () => {
    expect(zx.text(5).parse('  abc ')).toBe('abc');
    expect(zx.text(5).safeParse('   ').error?.issues[0]?.message).toBe('must not be empty');
    expect(zx.text(5).safeParse('abcdef').success).toBe(false);
    expect(zx.optionalText(5).parse('  ')).toBeNull();
    expect(zx.optionalText(5).parse(null)).toBeNull();
    expect(zx.optionalText(5).parse(undefined)).toBeUndefined();
    expect(zx.optionalText(5).parse(' ab ')).toBe('ab');
  });

  it('id and ip', () => {
    expect(zx.id.safeParse('0b6c3a52-6a4e-4f0e-9d55-4c1c2b1e7a10').success).toBe(true);
    expect(zx.id.safeParse('0b6c3a52').success).toBe(false);
    expect(zx.ip.parse('192.0.2.1')).toBe('192.0.2.1');
    expect(zx.ip.parse('2001:db8::1')).toBe('2001:db8::1');
    expect(zx.ip.safeParse('example.com').error?.issues[0]?.message).toBe('must be an IPv4 or IPv6 address');
  });
});

describe('list filters and clear lists', () => {
  enum Colour {
    RED = 'RED',
    BLUE = 'BLUE',
  }
  const filter = z.object({ colours: zx.enumSet(Colour) });
  const update = z
    .object({
      limit: z
        .number()
        .nullish()
        .transform((value) => value ?? undefined),
      clear: zx.clearList(['limit']),
    })
    .superRefine(refineCleared);

  it('takes each enum value once, in a stable order, and treats an empty list as no filter', () => {
    expect(parseInput(filter, { colours: ['RED', 'BLUE'] })).toEqual({ colours: ['BLUE', 'RED'] });
    expect(parseInput(filter, { colours: ['RED', 'RED'] })).toEqual({ colours: ['RED'] });
    expect(parseInput(filter, { colours: [] })).toEqual({ colours: null });
    expect(parseInput(filter, {})).toEqual({ colours: null });
    expect(() => parseInput(filter, { colours: ['GREEN'] }, 'filter')).toThrow(/filter.colours.0/);
  });

  it('clears each field once, and refuses a field both set and cleared', () => {
    expect(parseInput(update, { clear: ['limit'] })).toEqual({ clear: ['limit'] });
    expect(parseInput(update, { limit: 3 })).toEqual({ limit: 3, clear: [] });
    expect(() => parseInput(update, { limit: 3, clear: ['limit'] }, 'input')).toThrow(/input.clear.0/);
  });
});
