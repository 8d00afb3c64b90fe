import type { DataSource } from 'typeorm';
import { TooManyRequestsError } from '../../lib/errors.js';

export interface LoginLimits {
  windowSeconds: number;
  /** Failures allowed for one username from one address within the window. */
  perUserAndAddress: number;
  /** Failures allowed from one address within the window, over all usernames. */
  perAddress: number;
}

/** An attempt counted before its password is checked; released when the password was right. */
export interface LoginReservation {
  release(): Promise<void>;
}

// Counts one attempt on a row unless its window is full; a window that ended starts over. The
// conflict path locks the row, so concurrent attempts (in any process) are counted one after another.
const RESERVE = `
  INSERT INTO login_attempts AS a (ip, username, attempts, window_ends_at)
  VALUES ($1, $2, 1, now() + make_interval(secs => $3))
  ON CONFLICT (ip, username) DO UPDATE SET
    attempts = CASE WHEN a.window_ends_at <= now() THEN 1 ELSE a.attempts + 1 END,
    window_ends_at = CASE WHEN a.window_ends_at <= now() THEN excluded.window_ends_at ELSE a.window_ends_at END
  WHERE a.window_ends_at <= now() OR a.attempts < $4
  RETURNING attempts`;

const SWEEP_EVERY_MS = 60_000;

function waitMessage(seconds: number): string {
  const wait = seconds < 120 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
  return `Too many failed logins from this address; try again in ${wait}`;
}

/**
 * Limits password guesses per (username, address) and per address. Each attempt is counted in
 * Postgres before the password is checked, so the limit holds however many requests arrive at once
 * and however many API processes share the database; a right password gives its count back.
 */
export function createLoginThrottle(db: DataSource, limits: LoginLimits) {
  let lastSweep = 0;

  /** Ended windows are only dead rows: one caller a minute per process clears them. */
  async function sweep(): Promise<void> {
    if (Date.now() - lastSweep < SWEEP_EVERY_MS) return;
    lastSweep = Date.now();
    // Rows a login holds are skipped, not waited for: the sweep never takes part in a deadlock.
    await db.query(
      `DELETE FROM login_attempts WHERE (ip, username) IN (
         SELECT ip, username FROM login_attempts WHERE window_ends_at <= now() FOR UPDATE SKIP LOCKED)`,
    );
  }

  return {
    /** Counts an attempt for `username` from `ip`, or throws 429 when either window is full. */
    async reserve(username: string, ip: string): Promise<LoginReservation> {
      await sweep();
      const user = username.toLowerCase();
      await db.transaction(async (m) => {
        // Same order in every transaction (the pair, then the address): no deadlocks.
        for (const [who, limit] of [[user, limits.perUserAndAddress], ['', limits.perAddress]] as const) {
          const counted: unknown[] = await m.query(RESERVE, [ip, who, limits.windowSeconds, limit]);
          if (counted.length === 0) {
            const [row] = await m.query(
              'SELECT greatest(1, ceil(extract(epoch FROM window_ends_at - now())))::int AS wait FROM login_attempts WHERE ip = $1 AND username = $2',
              [ip, who],
            );
            // Throwing rolls back the count already taken on the pair.
            throw new TooManyRequestsError(waitMessage(row?.wait ?? limits.windowSeconds), row?.wait ?? limits.windowSeconds);
          }
        }
      });
      return {
        async release() {
          // One row per statement, pair first: never holding one lock while waiting for the other.
          for (const who of [user, '']) {
            await db.query(
              'UPDATE login_attempts SET attempts = attempts - 1 WHERE ip = $1 AND username = $2 AND attempts > 0 AND window_ends_at > now()',
              [ip, who],
            );
          }
        },
      };
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
