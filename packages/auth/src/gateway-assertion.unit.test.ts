import { SignJWT, decodeJwt } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { signGatewayAssertion, verifyGatewayAssertion } from './gateway-assertion.ts';
import { assertionKey, tokenSecret } from './keys.ts';
import { InvalidTokenError, signToken } from './token.ts';

const STORE = '7d2f7c1e-2b7a-4f3e-9a51-0c6d5b1f2e3a';

async function refusal(assertion: Promise<unknown>): Promise<string> {
  const error = await assertion.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InvalidTokenError);
  return (error as Error).message;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('gateway assertions', () => {
  it('carry the client address, for one token', async () => {
    const token = await signToken({ kind: 'guest', userId: 'session-1', storeId: STORE });
    const other = await signToken({ kind: 'guest', userId: 'session-2', storeId: STORE });
    const assertion = await signGatewayAssertion(token, { ip: '203.0.113.5' });
    expect(await verifyGatewayAssertion(assertion, token)).toEqual({ ip: '203.0.113.5' });
    expect(await verifyGatewayAssertion(await signGatewayAssertion(token, {}), token)).toEqual({});
    expect(await refusal(verifyGatewayAssertion(assertion, other))).toBe('The gateway assertion is for another token');
    expect(await refusal(verifyGatewayAssertion(assertion, undefined))).toBe(
      'The gateway assertion is for another token',
    );
  });

  it('are required, last a minute, and are signed with ASSERTION_SECRET only', async () => {
    vi.useFakeTimers({ now: new Date('2026-05-01T08:00:00Z'), toFake: ['Date'] });
    const token = await signToken({ kind: 'customer', userId: 'c', storeId: STORE });
    expect(await refusal(verifyGatewayAssertion(undefined, token))).toMatch(/^Subgraphs answer only the gateway/);
    const assertion = await signGatewayAssertion(token, { ip: '198.51.100.1' });
    expect(decodeJwt(assertion).exp! - decodeJwt(assertion).iat!).toBe(60);
    vi.setSystemTime(new Date('2026-05-01T08:01:01Z'));
    expect(await refusal(verifyGatewayAssertion(assertion, token))).toBe('The gateway assertion is invalid or expired');
    vi.useRealTimers();
    const claims = decodeJwt(await signGatewayAssertion(token, { ip: '10.0.0.1' }));
    const resign = (key: Uint8Array) =>
      new SignJWT({ ath: claims.ath, ip: '10.0.0.1' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('gateway')
        .setIssuer('customer-graph/gateway')
        .setAudience('customer-graph/subgraphs')
        .setIssuedAt()
        .setExpirationTime('1m')
        .sign(key);
    expect(await verifyGatewayAssertion(await resign(assertionKey()), token)).toEqual({ ip: '10.0.0.1' });
    expect(await refusal(verifyGatewayAssertion(await resign(tokenSecret()), token))).toBe(
      'The gateway assertion is invalid or expired',
    );
  });

  it('are not tokens, and tokens are not assertions', async () => {
    const token = await signToken({ kind: 'staff', userId: 's', storeId: STORE });
    expect(await refusal(verifyGatewayAssertion(token, token))).toBe('The gateway assertion is invalid or expired');
  });
});
