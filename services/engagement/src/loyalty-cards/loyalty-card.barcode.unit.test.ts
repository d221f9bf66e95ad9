import { describe, expect, it } from 'vitest';
import { gs1CheckDigit, isValidBarcode } from './loyalty-card.barcode.ts';

describe('loyalty card barcodes', () => {
  it('takes EAN-13 and EAN-8 codes whose check digit is right', () => {
    for (const code of ['4006381333931', '5901234123457', '2000000000015', '96385074', '73513537']) {
      expect(isValidBarcode(code), code).toBe(true);
    }
  });

  it('computes the GS1 check digit', () => {
    expect(gs1CheckDigit('400638133393')).toBe(1);
    expect(gs1CheckDigit('9638507')).toBe(4);
    expect(gs1CheckDigit('200000000001')).toBe(5);
    expect(gs1CheckDigit('000000000000')).toBe(0);
  });

  it('refuses a wrong check digit, other lengths, and anything but digits', () => {
    for (const code of [
      '4006381333932',
      '96385075',
      '400638133393',
      '40063813339311',
      '4006381-33393',
      ' 4006381333931',
      '400638133393a',
      '',
      '１２３４５６７８',
    ]) {
      expect(isValidBarcode(code), code).toBe(false);
    }
  });
});
