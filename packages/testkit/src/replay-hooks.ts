import { afterEach, beforeEach, expect } from 'vitest';
import type { ReplayServer } from './replay-server.js';

export interface UseReplayOptions {
  /** Fail the test when a request matched no route (default true): a missing route is a test bug. */
  failOnUnmatched?: boolean;
}

/**
 * Starts a fresh replay (a server plus whatever the driver's harness builds around it) before each
 * test and closes it after; returns an accessor for the current one.
 */
export function useReplay<T extends { server: ReplayServer }>(start: () => Promise<T>, options: UseReplayOptions = {}): () => T {
  let current: T | undefined;
  beforeEach(async () => {
    current = await start();
  });
  afterEach(async () => {
    const replay = current;
    current = undefined;
    if (!replay) return;
    await replay.server.close();
    if (options.failOnUnmatched ?? true) {
      expect(replay.server.unmatched.map((r) => `${r.method} ${r.path}`), 'requests without a replay route').toEqual([]);
    }
  });
  return () => {
    if (!current) throw new Error('useReplay: the replay exists only inside a test');
    return current;
  };
}

/** The error a promise rejects with; fails when it resolves instead. */
export function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value: unknown) => {
      throw new Error(`expected a rejection, but it resolved to ${JSON.stringify(value)}`);
    },
    (err: unknown) => err,
  );
}
