import { describe, expect, it } from 'vitest';
import {
  InvalidCredentialsError,
  NotFoundError,
  ProviderError,
  ProviderRegistry,
  ResponseTooLargeError,
  TransientError,
  createStateMapper,
  dummyPlugin,
  errorForHttpStatus,
  httpFailureMessage,
  parseRetryAfter,
  readBoundedText,
  remoteMessage,
} from '../src/index.js';

describe('createStateMapper', () => {
  const map = createStateMapper({ active: 'running', off: 'stopped', New: 'pending' });

  it('maps known states ignoring case', () => {
    expect(map('ACTIVE')).toBe('running');
    expect(map('new')).toBe('pending');
  });

  it('falls back to unknown for anything unmapped', () => {
    expect(map('melting')).toBe('unknown');
    expect(map(undefined)).toBe('unknown');
    expect(map(42)).toBe('unknown');
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});

describe('ProviderRegistry', () => {
  it('loads registered plugins lazily and refuses unknown kinds', async () => {
    let loads = 0;
    const registry = new ProviderRegistry({ dummy: async () => (loads++, dummyPlugin) });
    expect(loads).toBe(0);
    expect(registry.kinds).toEqual(['dummy']);
    expect((await registry.get('dummy')).displayName).toMatch(/Dummy/);
    await registry.get('dummy');
    expect(loads).toBe(1);
    await expect(registry.get('nope')).rejects.toThrow(/Unknown provider type "nope"/);
  });

  it('refuses a plugin whose kind does not match its registry key', async () => {
    const registry = new ProviderRegistry({ other: async () => dummyPlugin });
    await expect(registry.get('other')).rejects.toThrow(/declares kind "dummy"/);
  });
});

describe('errorForHttpStatus', () => {
  it('maps statuses onto the typed errors, keeping the wait only where retrying makes sense', () => {
    expect(errorForHttpStatus(401, 'no')).toBeInstanceOf(InvalidCredentialsError);
    expect(errorForHttpStatus(403, 'no')).toBeInstanceOf(InvalidCredentialsError);
    expect(errorForHttpStatus(404, 'gone', { providerCode: 'not_found' })).toMatchObject({ code: 'not_found', status: 404, providerCode: 'not_found' });
    expect(errorForHttpStatus(404, 'gone')).toBeInstanceOf(NotFoundError);
    const throttled = errorForHttpStatus(429, 'slow down', { retryAfterMs: 3000 });
    expect(throttled).toBeInstanceOf(TransientError);
    expect(throttled).toMatchObject({ retryable: true, retryAfterMs: 3000, status: 429 });
    expect(errorForHttpStatus(503, 'busy')).toBeInstanceOf(TransientError);
    const bad = errorForHttpStatus(400, 'bad request', { retryAfterMs: 1000 });
    expect(bad.constructor).toBe(ProviderError);
    expect(bad).toMatchObject({ retryable: false, status: 400 });
    expect(bad).not.toHaveProperty('retryAfterMs');
  });
});

describe('HTTP responses', () => {
  async function* chunks(sizes: number[], read: number[]) {
    for (const size of sizes) {
      read.push(size);
      yield new Uint8Array(size).fill(0x61);
    }
  }

  it('readBoundedText reads up to the limit and stops at the first chunk past it', async () => {
    const read: number[] = [];
    expect(await readBoundedText(chunks([3, 3], read), { what: 'X GET /a', limit: 6 })).toBe('aaaaaa');
    const past: number[] = [];
    const err = await readBoundedText(chunks([4, 4, 4, 4], past), { what: 'X GET /a', limit: 6 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResponseTooLargeError);
    expect(err).toMatchObject({ providerCode: 'response_too_large', retryable: false, message: 'X GET /a answered with more than 6 bytes; not read' });
    expect(past).toEqual([4, 4]);
    const declared: number[] = [];
    await expect(readBoundedText(chunks([1], declared), { what: 'X', limit: 6, declaredLength: '7' })).rejects.toBeInstanceOf(ResponseTooLargeError);
    expect(declared).toEqual([]);
    expect(await readBoundedText(null, { what: 'X' })).toBe('');
  });

  it('remoteMessage keeps one bounded line of a string, and nothing else', () => {
    expect(remoteMessage('  Unable to\n authenticate\u0000 you ')).toBe('Unable to authenticate you');
    expect(remoteMessage('x'.repeat(500))).toBe(`${'x'.repeat(299)}…`);
    expect(remoteMessage({ message: 'no' })).toBeUndefined();
    expect(remoteMessage(' \n ')).toBeUndefined();
  });

  it('httpFailureMessage says status and reason, and the provider message only when there is one', () => {
    expect(httpFailureMessage('X GET /a', 404)).toBe('X GET /a failed (404 Not Found)');
    expect(httpFailureMessage('X GET /a', 422, 'name is taken')).toBe('X GET /a failed (422 Unprocessable Entity): name is taken');
    expect(httpFailureMessage('X GET /a', 307, 'ignored')).toBe('X GET /a failed (307 Temporary Redirect): redirects are not followed');
    expect(httpFailureMessage('X GET /a', 599)).toBe('X GET /a failed (599 Unexpected status)');
  });
});
