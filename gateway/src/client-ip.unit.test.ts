import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientIp, trustedProxyHops } from './client-ip.ts';

const req = (socket: string, forwarded?: string | string[]) =>
  ({
    socket: { remoteAddress: socket },
    headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded },
  }) as unknown as IncomingMessage;

describe('clientIp', () => {
  it('is the socket with no trusted proxy, whatever the header says', () => {
    expect(clientIp(req('198.51.100.1'), 0)).toBe('198.51.100.1');
    expect(clientIp(req('198.51.100.1', '6.6.6.6'), 0)).toBe('198.51.100.1');
  });

  it('is taken that many hops from the right, never from what the client wrote further left', () => {
    // client 203.0.113.9 → proxy A (10.0.0.1) → proxy B (10.0.0.2) → gateway
    expect(clientIp(req('10.0.0.1', '203.0.113.9'), 1)).toBe('203.0.113.9');
    expect(clientIp(req('10.0.0.1', '6.6.6.6, 203.0.113.9'), 1)).toBe('203.0.113.9');
    expect(clientIp(req('10.0.0.2', '6.6.6.6, 203.0.113.9, 10.0.0.1'), 2)).toBe('203.0.113.9');
    expect(clientIp(req('10.0.0.2', ['6.6.6.6, 203.0.113.9', '10.0.0.1']), 2)).toBe('203.0.113.9');
  });

  it('is the leftmost known address when fewer proxies answered than are trusted', () => {
    expect(clientIp(req('10.0.0.1'), 1)).toBe('10.0.0.1');
    expect(clientIp(req('10.0.0.2', '203.0.113.9'), 3)).toBe('203.0.113.9');
  });
});

describe('trustedProxyHops', () => {
  it('is the option, else TRUSTED_PROXY_HOPS, else 0; anything but a whole number fails the start', () => {
    expect(trustedProxyHops(undefined, {})).toBe(0);
    expect(trustedProxyHops(undefined, { TRUSTED_PROXY_HOPS: '2' })).toBe(2);
    expect(trustedProxyHops(1, { TRUSTED_PROXY_HOPS: '2' })).toBe(1);
    expect(() => trustedProxyHops(undefined, { TRUSTED_PROXY_HOPS: 'one' })).toThrow('TRUSTED_PROXY_HOPS');
    expect(() => trustedProxyHops(-1, {})).toThrow('TRUSTED_PROXY_HOPS');
  });
});
