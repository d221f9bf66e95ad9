import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { startsWith } from './prefix.ts';

const render = (prefix: string) => new PgDialect().sqlToQuery(startsWith(sql.identifier('name_key'), prefix));

describe('startsWith', () => {
  it('is the range from the prefix to the prefix with its last character raised', () => {
    expect(render('ada')).toEqual({
      sql: '("name_key" ~>=~ $1 and "name_key" ~<~ $2)',
      params: ['ada', 'adb'],
      typings: ['none', 'none'],
    });
    expect(render('ayş').params).toEqual(['ayş', 'ay\u0160']);
    expect(render('a😀').params).toEqual(['a😀', 'a😁']);
  });

  it('steps over the surrogates, which PostgreSQL does not store', () => {
    expect(render('a\ud7ff').params).toEqual(['a\ud7ff', 'a\ue000']);
  });

  it('raises the character before a last U+10FFFF, and has no upper bound when all are U+10FFFF', () => {
    expect(render('a\u{10ffff}').params).toEqual(['a\u{10ffff}', 'b']);
    expect(render('\u{10ffff}\u{10ffff}')).toEqual({
      sql: '"name_key" ~>=~ $1',
      params: ['\u{10ffff}\u{10ffff}'],
      typings: ['none'],
    });
  });
});
