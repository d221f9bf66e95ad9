import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';

/**
 * `column` starts with `prefix`, written as the range a text_pattern_ops index serves. LIKE
 * 'abc%' would mean the same, but LIKE is not leakproof, and under row-level security PostgreSQL
 * will not use a condition that is not leakproof as an index condition: the search would read
 * every row of the store. The range's operators are leakproof.
 */
export function startsWith(column: SQLWrapper, prefix: string): SQL {
  const upper = prefixUpperBound(prefix);
  return upper === undefined
    ? sql`${column} ~>=~ ${prefix}`
    : sql`(${column} ~>=~ ${prefix} and ${column} ~<~ ${upper})`;
}

/**
 * The least string above every string starting with `prefix` in byte order, which for UTF-8 is
 * code point order: the prefix with its last code point raised by one (over the surrogates,
 * which PostgreSQL does not store; a last U+10FFFF is dropped and the one before raised).
 */
function prefixUpperBound(prefix: string): string | undefined {
  const chars = Array.from(prefix);
  while (chars.length > 0) {
    const code = chars.pop()!.codePointAt(0)!;
    if (code < 0x10ffff) return chars.join('') + String.fromCodePoint(code + 1 === 0xd800 ? 0xe000 : code + 1);
  }
  return undefined;
}
