import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { compress, compressionMinBytes, negotiateEncoding } from './compression.ts';

describe('negotiateEncoding', () => {
  it('answers uncompressed without a header or with nothing we have', () => {
    expect(negotiateEncoding(undefined)).toBe('identity');
    expect(negotiateEncoding('')).toBe('identity');
    expect(negotiateEncoding('deflate, zstd')).toBe('identity');
    expect(negotiateEncoding('identity')).toBe('identity');
  });

  it('prefers brotli when the client likes both alike', () => {
    expect(negotiateEncoding('gzip, deflate, br')).toBe('br');
    expect(negotiateEncoding('gzip, deflate, br, zstd')).toBe('br');
    expect(negotiateEncoding('*')).toBe('br');
    expect(negotiateEncoding('GZIP, BR')).toBe('br');
  });

  it('follows q-values', () => {
    expect(negotiateEncoding('br;q=0.5, gzip;q=1.0')).toBe('gzip');
    expect(negotiateEncoding('gzip;q=0.8, br;q=0.9')).toBe('br');
    expect(negotiateEncoding('br;q=0, gzip')).toBe('gzip');
    expect(negotiateEncoding('gzip;q=0, br;q=0')).toBe('identity');
    expect(negotiateEncoding('*;q=0.1, br;q=0')).toBe('gzip');
    expect(negotiateEncoding('gzip;q=0.2, identity;q=0.5')).toBe('identity');
  });

  it('reads repeated headers together', () => {
    expect(negotiateEncoding(['gzip;q=0.5', 'br;q=0.4'])).toBe('gzip');
  });
});

describe('compress', () => {
  const body = JSON.stringify({ data: { customers: Array.from({ length: 50 }, (_, i) => ({ id: i, name: 'Ada' })) } });

  it('round-trips through gzip and brotli, smaller', async () => {
    const gzipped = await compress(body, 'gzip');
    const brotli = await compress(body, 'br');
    expect(gunzipSync(gzipped).toString()).toBe(body);
    expect(brotliDecompressSync(brotli).toString()).toBe(body);
    expect(gzipped.length).toBeLessThan(body.length / 3);
    expect(brotli.length).toBeLessThan(body.length / 3);
  });
});

describe('compressionMinBytes', () => {
  it('takes the option, then COMPRESSION_MIN_BYTES, then 1024', () => {
    expect(compressionMinBytes({ minBytes: 10 }, { COMPRESSION_MIN_BYTES: '20' })).toBe(10);
    expect(compressionMinBytes({}, { COMPRESSION_MIN_BYTES: '20' })).toBe(20);
    expect(compressionMinBytes({}, {})).toBe(1024);
    expect(() => compressionMinBytes({}, { COMPRESSION_MIN_BYTES: 'lots' })).toThrow(/non-negative integer/);
  });
});
