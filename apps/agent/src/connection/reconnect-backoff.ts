import { RECONNECT_BACKOFF } from '@overmind/agent-protocol';

/**
 * Reconnect delays: exponential from 1 s to 30 s with full jitter (a random delay up to the cap), so
 * agents that lost the API together do not come back together (RECONNECT_BACKOFF says why these
 * figures). Reset after a connection that held.
 */

export class ReconnectBackoff {
  #attempt = 0;

  constructor(
    private readonly baseMs: number = RECONNECT_BACKOFF.baseMs,
    private readonly maxMs: number = RECONNECT_BACKOFF.maxMs,
    private readonly random: () => number = Math.random,
  ) {}

  get attempt(): number {
    return this.#attempt;
  }

  /** The delay before the next attempt. */
  next(): number {
    const cap = Math.min(this.maxMs, this.baseMs * 2 ** Math.min(this.#attempt, 30));
    this.#attempt++;
    return Math.round(this.random() * cap);
  }

  reset(): void {
    this.#attempt = 0;
  }
}

/** A connection that lasted this long resets the back-off. */
export const STABLE_CONNECTION_MS = 60_000;

/** Waiting for an operator's approval: asking again every 30 to 60 s is plenty. */
export function pendingApprovalDelay(random: () => number = Math.random): number {
  return Math.round(30_000 + random() * 30_000);
}
