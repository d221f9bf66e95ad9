/**
 * E5: a card's barcode is a GS1 code of the kinds POS scanners print on loyalty cards: EAN-13
 * (13 digits; stores number their own cards in the 20–29 prefix range) or EAN-8 (8 digits), its
 * last digit the GS1 mod-10 check digit. Nothing else is taken: a mistyped digit fails the check
 * here instead of issuing a card that no till will ever scan. Digits only, no spaces or hyphens
 * (callers trim first).
 */
export const BARCODE_RULE = 'must be an EAN-13 or EAN-8 code (13 or 8 digits) with a valid check digit';

/** The GS1 check digit of `body` (the code without its last digit). */
export function gs1CheckDigit(body: string): number {
  let sum = 0;
  // Weights alternate 3, 1, ... from the rightmost digit of the body.
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

export function isValidBarcode(code: string): boolean {
  if (!/^(\d{8}|\d{13})$/.test(code)) return false;
  return gs1CheckDigit(code.slice(0, -1)) === Number(code.at(-1));
}
