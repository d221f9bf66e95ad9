import { describe, expect, it } from 'vitest';
import { MissingKeysError, assertionKey, checkKeys, lifetimeSeconds, tokenKeys, tokenSecret } from './keys.ts';

const SECRET = 'a'.repeat(32);
const OTHER = 'b'.repeat(32);

function problems(env: NodeJS.ProcessEnv): string {
  try {
    checkKeys(env);
  } catch (error) {
    expect(error).toBeInstanceOf(MissingKeysError);
    return (error as Error).message;
  }
  throw new Error('checkKeys accepted the environment');
}

describe('keys', () => {
  it('have no default: a process without them is told which ones are missing', () => {
    const message = problems({});
    expect(message).toContain('AUTH_SECRET is not set');
    expect(message).toContain('AUTH_JWKS_URL');
    expect(message).toContain('ASSERTION_SECRET is not set');
    expect(problems({ NODE_ENV: 'development', AUTH_SECRET: SECRET })).toContain('ASSERTION_SECRET is not set');
    expect(() => tokenSecret({})).toThrow(MissingKeysError);
    expect(() => assertionKey({})).toThrow(MissingKeysError);
  });

  it('are at least 32 characters, and the assertion key is not the token secret', () => {
    expect(problems({ AUTH_SECRET: 'x'.repeat(31), ASSERTION_SECRET: OTHER })).toContain(
      'AUTH_SECRET must be at least 32 characters',
    );
    expect(problems({ AUTH_SECRET: SECRET, ASSERTION_SECRET: SECRET })).toContain(
      'ASSERTION_SECRET must differ from AUTH_SECRET',
    );
    expect(() => checkKeys({ AUTH_SECRET: SECRET, ASSERTION_SECRET: OTHER })).not.toThrow();
    expect(new TextDecoder().decode(tokenSecret({ AUTH_SECRET: SECRET }))).toBe(SECRET);
  });

  it('name an identity provider by its JWKS, issuer and audience, with asymmetric algorithms only', () => {
    const jwks = { AUTH_JWKS_URL: 'https://id.example.com/.well-known/jwks.json', ASSERTION_SECRET: OTHER };
    const message = problems(jwks);
    expect(message).toContain('AUTH_ISSUER must be set');
    expect(message).toContain('AUTH_AUDIENCE must be set');
    expect(problems({ ...jwks, AUTH_JWKS_URL: 'not a url', AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a' })).toContain(
      'AUTH_JWKS_URL is not a URL',
    );
    const keys = tokenKeys({ ...jwks, AUTH_ISSUER: 'https://id.example.com/', AUTH_AUDIENCE: 'customer-graph' });
    expect(keys).toMatchObject({ mode: 'jwks', issuer: 'https://id.example.com/', audience: 'customer-graph' });
    expect(keys.mode === 'jwks' && keys.algorithms.some((alg) => alg.startsWith('HS'))).toBe(false);
  });

  it('bound token lifetimes by AUTH_MAX_TOKEN_LIFETIME, 30 days unless set', () => {
    const base = { AUTH_SECRET: SECRET, ASSERTION_SECRET: OTHER };
    expect(tokenKeys(base).maxLifetimeSeconds).toBe(30 * 86_400);
    expect(tokenKeys({ ...base, AUTH_MAX_TOKEN_LIFETIME: '12h' }).maxLifetimeSeconds).toBe(12 * 3600);
    expect(tokenKeys({ ...base, AUTH_MAX_TOKEN_LIFETIME: '900' }).maxLifetimeSeconds).toBe(900);
    expect(problems({ ...base, AUTH_MAX_TOKEN_LIFETIME: '100 years' })).toContain('AUTH_MAX_TOKEN_LIFETIME must be');
    expect(lifetimeSeconds('0')).toBe(0);
    expect(problems({ ...base, AUTH_MAX_TOKEN_LIFETIME: '0' })).toContain('AUTH_MAX_TOKEN_LIFETIME must be');
  });
});
