import { describe, expect, it } from 'vitest';
import { corsPolicy, isAllowedOrigin, normalizeOrigin } from './cors.ts';

describe('normalizeOrigin', () => {
  it('gives the origin a browser sends', () => {
    expect(normalizeOrigin('https://Admin.Example.com')).toBe('https://admin.example.com');
    expect(normalizeOrigin('https://admin.example.com/')).toBe('https://admin.example.com');
    expect(normalizeOrigin(' https://admin.example.com:443 ')).toBe('https://admin.example.com');
    expect(normalizeOrigin('http://localhost:5173')).toBe('http://localhost:5173');
  });

  it('refuses what is not a bare http(s) origin', () => {
    for (const text of [
      'null',
      '',
      'admin.example.com',
      'ftp://a.example',
      'https://a.example/app',
      'https://u:p@a.example',
      'https://a.example?x=1',
    ]) {
      expect(normalizeOrigin(text), text).toBeUndefined();
    }
  });
});

describe('corsPolicy', () => {
  it('reads CORS_ORIGINS, comma-separated, when the option is not given', () => {
    const policy = corsPolicy({}, true, { CORS_ORIGINS: 'https://admin.example.com, https://ops.example.com:8443,' });
    expect([...policy.origins]).toEqual(['https://admin.example.com', 'https://ops.example.com:8443']);
    expect(policy.development).toBe(false);
  });

  it('lets the option win over the environment', () => {
    const policy = corsPolicy({ origins: ['https://a.example'] }, false, { CORS_ORIGINS: 'https://b.example' });
    expect([...policy.origins]).toEqual(['https://a.example']);
    expect(policy.development).toBe(true);
  });

  it('fails the start on a malformed entry', () => {
    expect(() => corsPolicy({}, true, { CORS_ORIGINS: 'https://a.example/path' })).toThrow(/not an origin/);
    expect(() => corsPolicy({}, true, { CORS_ORIGINS: '*' })).toThrow(/not an origin/);
  });
});

describe('isAllowedOrigin', () => {
  const production = corsPolicy({ origins: ['https://admin.example.com'] }, true, {});
  const development = corsPolicy({ origins: ['https://admin.example.com'] }, false, {});

  it('allows listed origins only, in production', () => {
    expect(isAllowedOrigin('https://admin.example.com', production)).toBe(true);
    expect(isAllowedOrigin('https://ADMIN.example.com', production)).toBe(true);
    expect(isAllowedOrigin('http://admin.example.com', production)).toBe(false);
    expect(isAllowedOrigin('https://admin.example.com.evil.example', production)).toBe(false);
    expect(isAllowedOrigin('https://evil.example', production)).toBe(false);
    expect(isAllowedOrigin('http://localhost:3000', production)).toBe(false);
    expect(isAllowedOrigin('https://gateway.example.com', production, 'gateway.example.com')).toBe(false);
  });

  it('never allows a missing or opaque origin', () => {
    expect(isAllowedOrigin(undefined, development)).toBe(false);
    expect(isAllowedOrigin('null', development)).toBe(false);
    expect(isAllowedOrigin('file://', development)).toBe(false);
  });

  it('allows loopback on any port and the gateway’s own origin in development', () => {
    expect(isAllowedOrigin('http://localhost:5173', development)).toBe(true);
    expect(isAllowedOrigin('http://127.0.0.1:8080', development)).toBe(true);
    expect(isAllowedOrigin('http://[::1]:3000', development)).toBe(true);
    expect(isAllowedOrigin('http://192.168.1.20:4000', development, '192.168.1.20:4000')).toBe(true);
    expect(isAllowedOrigin('http://192.168.1.20:4001', development, '192.168.1.20:4000')).toBe(false);
    expect(isAllowedOrigin('http://localhost.evil.example', development)).toBe(false);
    expect(isAllowedOrigin('https://admin.example.com', development)).toBe(true);
  });
});
