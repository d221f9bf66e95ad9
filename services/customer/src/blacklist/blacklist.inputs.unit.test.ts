import { describe, expect, it } from 'vitest';
import { addBlacklistEntrySchema, blacklistPhone } from './blacklist.inputs.ts';

describe('blacklist input', () => {
  it('reads a phone with its country code in any spelling as one E.164 number', () => {
    for (const spelling of [
      '+90 532 123 45 67',
      '00905321234567',
      '+905321234567',
      ' +90 (532) 123-45-67 ',
      '0090 532 123 45 67',
    ])
      expect(blacklistPhone(spelling), spelling).toBe('+905321234567');
    for (const bad of ['0532 123 45 67', '5321234567', '+90 532', '000905321234567', 'call me'])
      expect(blacklistPhone(bad), bad).toBeUndefined();
  });

  it('trims and lower-cases an email, and needs a phone or an email', () => {
    expect(addBlacklistEntrySchema.parse({ email: ' Fraud@Example.COM ', reason: 'other' })).toMatchObject({
      email: 'fraud@example.com',
    });
    const neither = addBlacklistEntrySchema.safeParse({ reason: 'other', note: 'who?' });
    expect(neither.success).toBe(false);
    expect(neither.error?.issues[0]?.path).toEqual(['phone']);
  });
});
