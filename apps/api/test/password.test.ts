import { setImmediate as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { HASH_CONCURRENCY, SCRYPT_PARAMS, hashPassword, hashingLoad, needsRehash, verifyPassword } from '../src/lib/password.js';
import { DUMMY_HASH } from '../src/modules/auth/password-check.js';

describe('password hashing', () => {
  it("uses at least OWASP's scrypt parameters (N=2^17, r=8, p=1) and verifies what it made", async () => {
    expect(SCRYPT_PARAMS.N).toBeGreaterThanOrEqual(2 ** 17);
    expect(SCRYPT_PARAMS.r).toBeGreaterThanOrEqual(8);
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^scrypt\$131072\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(needsRehash(hash)).toBe(false);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery!', hash)).toBe(false);
  }, 120_000);

  it('asks for a rehash of weaker or unreadable hashes only', () => {
    const salt = 'c2FsdHNhbHRzYWx0c2FsdA';
    const key = 'ZmFrZWZha2VmYWtlZmFrZWZha2VmYWtlZmFrZWZha2U';
    expect(needsRehash(`scrypt$32768$8$1$${salt}$${key}`)).toBe(true);
    expect(needsRehash(`scrypt$131072$4$1$${salt}$${key}`)).toBe(true);
    expect(needsRehash(`scrypt$262144$8$1$${salt}$${key}`)).toBe(false);
    expect(needsRehash('bcrypt$whatever')).toBe(true);
    // The stand-in hash for unknown usernames costs what a real one does.
    expect(needsRehash(DUMMY_HASH)).toBe(false);
  });

  it('refuses malformed stored hashes instead of throwing', async () => {
    for (const bad of ['', 'scrypt', 'scrypt$x$8$1$a$b', 'scrypt$131072$8$1$a$b$c']) expect(await verifyPassword('pw', bad)).toBe(false);
  });

  it(`computes at most HASH_CONCURRENCY hashes at once (each takes 128 MiB); the others wait`, async () => {
    const all = Array.from({ length: HASH_CONCURRENCY + 1 }, (_, i) => hashPassword(`password-${i}`));
    await tick();
    expect(hashingLoad()).toEqual({ running: HASH_CONCURRENCY, waiting: 1 });
    await Promise.all(all);
    expect(hashingLoad()).toEqual({ running: 0, waiting: 0 });
  }, 180_000);
});
