/** Bounded fan-out: reach hundreds of servers without more than `concurrency` connections at once. */
import pLimit, { type LimitFunction } from 'p-limit';
import { withSession, type SshSession } from './ssh-session.js';
import type { SshTarget } from './ssh-target.js';

export type TargetResult<T, Target extends SshTarget = SshTarget> =
  | { target: Target; ok: true; value: T; durationMs: number }
  | { target: Target; ok: false; error: Error; durationMs: number };

export interface RunOnManyOptions {
  /** Stops starting new targets; ones already running see the signal only if `fn` passes it on. */
  signal?: AbortSignal;
}

export interface SshPoolOptions {
  /** Most connections open at once through this pool. Defaults to 10. */
  concurrency?: number;
}

export class SshPool {
  private readonly limit: LimitFunction;

  constructor(options: SshPoolOptions = {}) {
    this.limit = pLimit(options.concurrency ?? 10);
  }

  get activeCount(): number {
    return this.limit.activeCount;
  }

  get pendingCount(): number {
    return this.limit.pendingCount;
  }

  /** Waits for a slot, then connects, runs `fn` and closes. */
  run<T>(target: SshTarget, fn: (session: SshSession) => Promise<T>): Promise<T> {
    return this.limit(() => withSession(target, fn));
  }

  /** Runs `fn` on every target; never rejects: each target gets its own result, in input order. */
  runOnMany<T, Target extends SshTarget>(
    targets: readonly Target[],
    fn: (session: SshSession, target: Target) => Promise<T>,
    options: RunOnManyOptions = {},
  ): Promise<TargetResult<T, Target>[]> {
    return Promise.all(
      targets.map((target) =>
        this.limit(async (): Promise<TargetResult<T, Target>> => {
          const started = Date.now();
          try {
            options.signal?.throwIfAborted();
            const value = await withSession(target, (session) => fn(session, target));
            return { target, ok: true, value, durationMs: Date.now() - started };
          } catch (err) {
            const error = err instanceof Error ? err : new Error(String(err));
            return { target, ok: false, error, durationMs: Date.now() - started };
          }
        }),
      ),
    );
  }
}

/** One-off fan-out with its own limit (use a shared SshPool to bound connections across jobs). */
export function runOnMany<T, Target extends SshTarget>(
  targets: readonly Target[],
  fn: (session: SshSession, target: Target) => Promise<T>,
  options: RunOnManyOptions & SshPoolOptions = {},
): Promise<TargetResult<T, Target>[]> {
  return new SshPool(options).runOnMany(targets, fn, options);
}
