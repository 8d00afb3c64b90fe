import { describe, expect, it } from 'vitest';
import {
  InvalidCredentialsError,
  NotFoundError,
  ProviderError,
  ProviderRegistry,
  TransientError,
  createStateMapper,
  dummyPlugin,
  errorForHttpStatus,
  parseRetryAfter,
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
