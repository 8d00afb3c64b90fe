import { createHmac, randomUUID } from 'node:crypto';
import { stringify } from 'safe-stable-stringify';
import type { DataSource } from 'typeorm';
import type { SecretBox } from '../../lib/secret-box.js';

/** How long a key is remembered after its first request (Stripe's 24 hours). */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;
/**
 * How long a first request may run before a repeat may take its key over. Creating requests answer
 * in seconds; a key is only left "in progress" this long when its process died mid-request.
 */
export const IDEMPOTENCY_LEASE_SECONDS = 300;


export interface IdempotentRequest {
  userId: string;
  /** Method and route pattern, e.g. `POST /api/v1/providers/:id/nodes`: keys are scoped to it. */
  route: string;
  key: string;
  /** What makes two requests "the same": method, path with query, and body. */
  method: string;
  url: string;
  body: unknown;
}

export interface StoredResponse {
  status: number;
  contentType: string | null;
  location: string | null;
  body: string;
}

export interface Claim {
  userId: string;
  route: string;
  key: string;
  claimId: string;
}

export type ClaimOutcome =
  | { kind: 'claimed'; claim: Claim }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'mismatch' }
  | { kind: 'in-progress' };

interface KeyRow {
  fingerprint: Buffer;
  status: number | null;
  response: string | null;
  expired: boolean;
}

/**
 * Idempotency keys in Postgres (draft-ietf-httpapi-idempotency-key-header, with Stripe's semantics):
 * the first request with a key claims it with one INSERT ... ON CONFLICT, so of two concurrent
 * repeats exactly one runs, whichever API process each reached. Its successful answer is kept
 * (sealed: a minted token's secret is in it) and replayed to repeats until the key expires.
 */
export function createIdempotencyService(deps: { db: DataSource; secrets: SecretBox; fingerprintKey: Buffer; ttlSeconds?: number }) {
  const { db, secrets } = deps;
  const ttl = deps.ttlSeconds ?? IDEMPOTENCY_TTL_SECONDS;

  // Object keys sorted: the same body with its fields in another order is the same request. Keyed,
  // so the stored fingerprint of a body holding a password or credentials cannot be tested against
  // guesses by someone who can read the table but lacks the master key.
  function fingerprint(r: IdempotentRequest): Buffer {
    return createHmac('sha256', deps.fingerprintKey).update(stringify([r.method, r.url, r.body ?? null])).digest();
  }

  /**
   * Takes the key when it is new, expired, or left in progress by a request that died (same request
   * only). Concurrent claims of one key wait on its row: exactly one gets `claim_id` back.
   */
  async function tryClaim(r: IdempotentRequest, print: Buffer): Promise<Claim | null> {
    const claimId = randomUUID();
    const rows: unknown[] = await db.query(
      `INSERT INTO idempotency_keys (user_id, route, key, fingerprint, claim_id, locked_until, expires_at)
       VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6), now() + make_interval(secs => $7))
       ON CONFLICT (user_id, route, key) DO UPDATE
          SET fingerprint = EXCLUDED.fingerprint, claim_id = EXCLUDED.claim_id, status = NULL, response = NULL,
              locked_until = EXCLUDED.locked_until, created_at = now(), expires_at = EXCLUDED.expires_at
        WHERE idempotency_keys.expires_at <= now()
           OR (idempotency_keys.status IS NULL AND idempotency_keys.locked_until <= now()
               AND idempotency_keys.fingerprint = EXCLUDED.fingerprint)
       RETURNING claim_id`,
      [r.userId, r.route, r.key, print, claimId, IDEMPOTENCY_LEASE_SECONDS, ttl],
    );
    return rows.length === 1 ? { userId: r.userId, route: r.route, key: r.key, claimId } : null;
  }

  async function read(r: IdempotentRequest): Promise<KeyRow | undefined> {
    const rows: KeyRow[] = await db.query(
      `SELECT fingerprint, status, response, expires_at <= now() AS expired
         FROM idempotency_keys WHERE user_id = $1 AND route = $2 AND key = $3`,
      [r.userId, r.route, r.key],
    );
    return rows[0];
  }

  return {
    /** Claims the key for this request, or says how to answer a repeat of it. */
    async claim(r: IdempotentRequest): Promise<ClaimOutcome> {
      const print = fingerprint(r);
      // A key released or expiring between the INSERT and the SELECT is claimed again.
      for (let attempt = 0; attempt < 3; attempt++) {
        const claim = await tryClaim(r, print);
        if (claim) return { kind: 'claimed', claim };
        const row = await read(r);
        if (!row || row.expired) continue;
        if (!row.fingerprint.equals(print)) return { kind: 'mismatch' };
        if (row.status === null || row.response === null) return { kind: 'in-progress' };
        return { kind: 'replay', response: { ...secrets.openJson<Omit<StoredResponse, 'status'>>(row.response), status: row.status } };
      }
      return { kind: 'in-progress' };
    },

    /** Keeps the first request's answer for its repeats. */
    async complete(claim: Claim, response: StoredResponse): Promise<void> {
      const { status, ...sealed } = response;
      await db.query(
        `UPDATE idempotency_keys SET status = $5, response = $6, locked_until = NULL
          WHERE user_id = $1 AND route = $2 AND key = $3 AND claim_id = $4`,
        [claim.userId, claim.route, claim.key, claim.claimId, status, secrets.sealJson(sealed)],
      );
    },

    /** Frees the key of a request that failed (it changed nothing), so the client can retry with it. */
    async release(claim: Claim): Promise<void> {
      await db.query('DELETE FROM idempotency_keys WHERE user_id = $1 AND route = $2 AND key = $3 AND claim_id = $4', [
        claim.userId,
        claim.route,
        claim.key,
        claim.claimId,
      ]);
    },

    /** Deletes expired keys; returns how many. */
    async purgeExpired(): Promise<number> {
      const [, count] = (await db.query('DELETE FROM idempotency_keys WHERE expires_at <= now()')) as [unknown, number];
      return count;
    },
  };
}

export type IdempotencyService = ReturnType<typeof createIdempotencyService>;
