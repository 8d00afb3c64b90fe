import { availableParallelism } from 'node:os';
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import pLimit from 'p-limit';

/**
 * OWASP's Password Storage Cheat Sheet: scrypt with N=2^17, r=8, p=1 at least. One hash takes
 * 128 * N * r = 128 MiB and a few hundred milliseconds of one core. The parameters are stored in each
 * hash, so older hashes still verify; `needsRehash` says when one should be replaced (at login).
 */
export const SCRYPT_PARAMS = { N: 2 ** 17, r: 8, p: 1 } as const;
const KEY_LEN = 32;

/**
 * Hashes computed at once in this process. Each takes 128 MiB and a libuv thread; without a bound,
 * a burst of logins would take gigabytes and every thread of the pool that file and DNS work share.
 * Others wait their turn.
 */
export const HASH_CONCURRENCY = Math.max(1, Math.min(4, availableParallelism()));
const slots = pLimit(HASH_CONCURRENCY);

interface Params {
  N: number;
  r: number;
  p: number;
}

function derive(password: string, salt: Buffer, params: Params): Promise<Buffer> {
  const opts: ScryptOptions = { ...params, maxmem: 128 * params.N * params.r + 1024 * 1024 };
  return slots(
    () => new Promise<Buffer>((resolve, reject) =>
      scrypt(password, salt, KEY_LEN, opts, (err, key) => (err ? reject(err) : resolve(key))),
    ),
  );
}

function parse(stored: string): { params: Params; salt: Buffer; hash: Buffer } | null {
  const [scheme, n, r, p, salt, hash, ...rest] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash || rest.length > 0) return null;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (![params.N, params.r, params.p].every((v) => Number.isSafeInteger(v) && v > 0)) return null;
  return { params, salt: Buffer.from(salt, 'base64url'), hash: Buffer.from(hash, 'base64url') };
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, SCRYPT_PARAMS);
  const { N, r, p } = SCRYPT_PARAMS;
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return false;
  const key = await derive(password, parsed.salt, parsed.params);
  return key.length === parsed.hash.length && timingSafeEqual(key, parsed.hash);
}

/** True when a stored hash is weaker than what `hashPassword` makes today. */
export function needsRehash(stored: string): boolean {
  const parsed = parse(stored);
  if (!parsed) return true;
  const { N, r, p } = parsed.params;
  return N < SCRYPT_PARAMS.N || r < SCRYPT_PARAMS.r || p < SCRYPT_PARAMS.p || parsed.hash.length < KEY_LEN;
}

/** Hashes being computed now and waiting for a slot, in this process. */
export function hashingLoad(): { running: number; waiting: number } {
  return { running: slots.activeCount, waiting: slots.pendingCount };
}

/** A password for generated accounts: 20 url-safe characters. */
export function generatePassword(): string {
  return randomBytes(15).toString('base64url');
}
