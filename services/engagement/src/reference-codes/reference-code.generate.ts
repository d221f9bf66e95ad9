import { randomInt } from 'node:crypto';

/**
 * E8: codes made when none is given: read aloud, typed from a flyer, so without the look-alikes
 * 0/O, 1/I/L and the vowels that spell words (U, besides those); upper case, as typed codes are
 * compared case-insensitively anyway.
 */
export const CODE_ALPHABET = '23456789BCDFGHJKMNPQRSTVWXYZ';
const CODE_LENGTH = 8;

/** 28^8 ≈ 3.8 × 10^11 codes: a collision with a store's codes is rare, and retried (the service). */
export function generateReferenceCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}
