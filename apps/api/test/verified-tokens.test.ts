import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { VerifiedTokens } from '../src/modules/auth/verified-tokens.js';

const KEY = 'verified-tokens-test-key';
const NOW = Date.parse('2026-12-04T12:00:00Z');

/** A signed token of the given claims ("claims.signature"), and a verifier that counts its full checks. */
function signed(claims: object): string {
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${body}.${createHmac('sha256', KEY).update(body).digest('base64url')}`;
}
function checker(clock: { now: number }) {
  const checks: string[] = [];
  const verify = (token: string) => {
    checks.push(token);
    const [body, signature] = token.split('.');
    if (createHmac('sha256', KEY).update(body!).digest('base64url') !== signature) throw new Error('bad signature');
    const claims = JSON.parse(Buffer.from(body!, 'base64url').toString('utf8')) as { sub: string; exp?: number };
    if (claims.exp !== undefined && claims.exp * 1000 <= clock.now) throw new Error('expired');
    return claims;
  };
  return { checks, verify };
}

describe('VerifiedTokens', () => {
  it('verifies a token once, then answers from memory until it expires, and verifies it again then', () => {
    const clock = { now: NOW };
    const { checks, verify } = checker(clock);
    const tokens = new VerifiedTokens(verify);
    const token = signed({ sub: 'u1', exp: NOW / 1000 + 60 });
    for (let i = 0; i < 3; i++) expect(tokens.claimsOf(token, clock.now)).toEqual({ sub: 'u1', exp: NOW / 1000 + 60 });
    expect(checks).toHaveLength(1);

    clock.now = NOW + 60_000;
    expect(() => tokens.claimsOf(token, clock.now)).toThrow('expired');
    expect(checks).toHaveLength(2);
    expect(tokens.size).toBe(0);
  });

  it('verifies in full a token that differs from a remembered one by one character', () => {
    const { checks, verify } = checker({ now: NOW });
    const tokens = new VerifiedTokens(verify);
    const token = signed({ sub: 'u1', exp: NOW / 1000 + 60 });
    tokens.claimsOf(token, NOW);
    const altered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    expect(() => tokens.claimsOf(altered, NOW)).toThrow('bad signature');
    // A forged body with the genuine signature.
    const forged = `${Buffer.from(JSON.stringify({ sub: 'admin', exp: NOW / 1000 + 60 })).toString('base64url')}.${token.split('.')[1]}`;
    expect(() => tokens.claimsOf(forged, NOW)).toThrow('bad signature');
    expect(checks).toEqual([token, altered, forged]);
    expect(tokens.claimsOf(token, NOW).sub).toBe('u1');
    expect(checks).toHaveLength(3);
  });

  it('keeps at most its capacity, dropping the oldest, and never a token without an expiry', () => {
    const { checks, verify } = checker({ now: NOW });
    const tokens = new VerifiedTokens(verify, 2);
    const [a, b, c] = ['a', 'b', 'c'].map((sub) => signed({ sub, exp: NOW / 1000 + 60 }));
    for (const t of [a!, b!, c!]) tokens.claimsOf(t, NOW);
    expect(tokens.size).toBe(2);
    tokens.claimsOf(b!, NOW);
    tokens.claimsOf(c!, NOW);
    expect(checks).toHaveLength(3);
    tokens.claimsOf(a!, NOW);
    expect(checks).toHaveLength(4);

    const forever = signed({ sub: 'x' });
    tokens.claimsOf(forever, NOW);
    tokens.claimsOf(forever, NOW);
    expect(checks.filter((t) => t === forever)).toHaveLength(2);
  });
});
