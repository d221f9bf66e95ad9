import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import Negotiator from 'negotiator';
import { appendVary } from '@cg/http';

export type ContentEncoding = 'br' | 'gzip' | 'identity';

export interface CompressionOptions {
  /** Bodies smaller than this are sent as they are; falls back to `COMPRESSION_MIN_BYTES`, then 1024. */
  minBytes?: number;
}

const DEFAULT_COMPRESSION_MIN_BYTES = 1024;

/** Ours first when the client likes several equally: brotli is smaller at the same speed. */
const PREFERRED: ContentEncoding[] = ['br', 'gzip', 'identity'];

/**
 * The encoding to answer with for an `Accept-Encoding` header, by its q-values (negotiator, which
 * also reads `*`, `identity;q=0` and case as RFC 9110 says), ties going to brotli. No header, or
 * nothing acceptable that we have, is answered uncompressed.
 */
export function negotiateEncoding(acceptEncoding: string | string[] | undefined): ContentEncoding {
  const header = Array.isArray(acceptEncoding) ? acceptEncoding.join(', ') : acceptEncoding;
  const negotiator = new Negotiator({ headers: { 'accept-encoding': header } }) as WithPreferred;
  const [best] = negotiator.encodings(PREFERRED, { preferred: PREFERRED });
  return (best as ContentEncoding | undefined) ?? 'identity';
}

/** negotiator 1.x breaks ties by `preferred`; its published types are still those of 0.6. */
type WithPreferred = Negotiator & {
  encodings(available: readonly string[], options: { preferred: readonly string[] }): string[];
};

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * Compresses on zlib's thread pool. Brotli at quality 4 rather than its default 11, which is meant
 * for static files and costs tens of milliseconds per response; gzip at its default level.
 */
export function compress(body: string | Buffer, encoding: Exclude<ContentEncoding, 'identity'>): Promise<Buffer> {
  const input = typeof body === 'string' ? Buffer.from(body) : body;
  if (encoding === 'gzip') return gzipAsync(input);
  return brotli(input, {
    params: {
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_QUALITY]: 4,
      [constants.BROTLI_PARAM_SIZE_HINT]: input.length,
    },
  });
}

export function compressionMinBytes(options: CompressionOptions = {}, env: NodeJS.ProcessEnv = process.env): number {
  const value = options.minBytes ?? (env.COMPRESSION_MIN_BYTES ? Number(env.COMPRESSION_MIN_BYTES) : undefined);
  if (value === undefined) return DEFAULT_COMPRESSION_MIN_BYTES;
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`COMPRESSION_MIN_BYTES must be a non-negative integer, not "${value}"`);
  }
  return value;
}

/**
 * The gateway's `encodeBody`: a body of at least `minBytes` goes out in the encoding the client
 * prefers, with `Vary: Accept-Encoding` since its form then depends on that header.
 */
export function responseCompression(
  minBytes: number,
): (req: IncomingMessage, res: ServerResponse, body: string) => Promise<string | Buffer> {
  return async (req, res, body) => {
    if (Buffer.byteLength(body) < minBytes || res.hasHeader('content-encoding')) return body;
    appendVary(res, 'Accept-Encoding');
    const encoding = negotiateEncoding(req.headers['accept-encoding']);
    if (encoding === 'identity') return body;
    const compressed = await compress(body, encoding);
    res.setHeader('content-encoding', encoding);
    return compressed;
  };
}
