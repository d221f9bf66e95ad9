import { describe, expect, it } from 'vitest';
import { MissingKeysError } from './keys.ts';
import { contactHash, contactHashKey } from './contact-hash.ts';

const KEY = 'k'.repeat(40);

describe('contact hashes', () => {
  it('are keyed HMAC-SHA256 of the kind and the normalised value', () => {
    const env = { CONTACT_HASH_SECRET: KEY };
    const phone = contactHash('phone', '+905321234567', env);
    expect(phone).toMatch(/^[0-9a-f]{64}$/);
    expect(contactHash('phone', '+905321234567', env)).toBe(phone);
    expect(contactHash('email', '+905321234567', env)).not.toBe(phone);
    expect(contactHash('phone', '+905321234567', { CONTACT_HASH_SECRET: 'x'.repeat(40) })).not.toBe(phone);
  });

  it('refuse a missing, short or reused key', () => {
    expect(() => contactHashKey({})).toThrow(MissingKeysError);
    expect(() => contactHashKey({ CONTACT_HASH_SECRET: 'short' })).toThrow(/at least 32/);
    expect(() => contactHashKey({ CONTACT_HASH_SECRET: KEY, AUTH_SECRET: KEY })).toThrow(/differ/);
    expect(contactHashKey({ CONTACT_HASH_SECRET: KEY })).toBe(KEY);
  });
});
