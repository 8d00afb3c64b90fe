import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateSshKey, rejectionOf, useReplay, ReplayServer } from '../src/index.js';

describe('useReplay', () => {
  let started = 0;
  const replay = useReplay(async () => {
    started++;
    const server = await ReplayServer.start();
    server.route('GET', '/ping', { json: { pong: true } });
    return { server, label: `run-${started}` };
  });

  it('hands each test a fresh, listening replay', async () => {
    const res = await fetch(`${replay().server.url}/ping`);
    expect(await res.json()).toEqual({ pong: true });
    expect(replay().label).toBe(`run-${started}`);
  });

  it('starts a new one for the next test', () => {
    expect(started).toBe(2);
    expect(replay().server.requests).toEqual([]);
  });
});

describe('rejectionOf', () => {
  it('returns the rejection and fails on a resolution', async () => {
    const boom = new Error('boom');
    expect(await rejectionOf(Promise.reject(boom))).toBe(boom);
    await expect(rejectionOf(Promise.resolve(42))).rejects.toThrow('expected a rejection, but it resolved to 42');
  });
});

describe('generateSshKey', () => {
  it('makes a real key with ssh-keygen fingerprints and removes it', () => {
    const key = generateSshKey('ci@example');
    try {
      expect(key.publicKey).toMatch(/^ssh-ed25519 AAAA\S+ ci@example\n$/);
      const blob = Buffer.from(key.publicKey.split(' ')[1]!, 'base64');
      expect(key.sha256Fingerprint).toBe(createHash('sha256').update(blob).digest('base64').replace(/=+$/, ''));
      expect(key.md5Fingerprint).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
      expect(existsSync(key.privateKeyPath)).toBe(true);
    } finally {
      key.remove();
    }
    expect(existsSync(key.privateKeyPath)).toBe(false);
  });
});
