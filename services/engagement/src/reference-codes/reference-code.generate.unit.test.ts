import { describe, expect, it } from 'vitest';
import { CODE_ALPHABET, generateReferenceCode } from './reference-code.generate.ts';

describe('generateReferenceCode', () => {
  it('makes 8 characters of the unambiguous alphabet, different each time', () => {
    const codes = Array.from({ length: 500 }, generateReferenceCode);
    for (const code of codes) expect(code).toMatch(new RegExp(`^[${CODE_ALPHABET}]{8}$`));
    expect(new Set(codes).size).toBe(codes.length);
    expect(CODE_ALPHABET).not.toMatch(/[01OILU]/);
  });
});
