/**
 * Check results on their way to the server, batched into `check.results` messages (at most
 * MAX_CHECK_RESULTS_PER_MESSAGE results and well within the message size limit each). Results are not
 * acknowledged: while the agent is not connected only the latest result of each check waits, since
 * the next run replaces it anyway, so the outbox never holds more than one result per check.
 */
import { MAX_CHECK_RESULTS_PER_MESSAGE, MAX_MESSAGE_BYTES, type AgentMessage, type CheckResult } from '@overmind/agent-protocol';

/** Results are sent this long after the first one waiting. */
export const CHECK_FLUSH_MS = 2000;
/** Room left in a message for its envelope. */
const MESSAGE_BUDGET = MAX_MESSAGE_BYTES - 64 * 1024;

export interface CheckResultOutboxDeps {
  send(message: AgentMessage): boolean;
  canSend(): boolean;
  flushMs?: number;
}

export class CheckResultOutbox {
  readonly #pending = new Map<string, CheckResult>();
  #timer: NodeJS.Timeout | null = null;
  #stopped = false;

  constructor(private readonly deps: CheckResultOutboxDeps) {}

  get waiting(): number {
    return this.#pending.size;
  }

  add(result: CheckResult): void {
    // Re-inserted so the map stays in the order results came.
    this.#pending.delete(result.checkId);
    this.#pending.set(result.checkId, result);
    this.#schedule();
  }

  /** Drops what waits for checks no longer defined. */
  keepOnly(checkIds: Set<string>): void {
    for (const id of this.#pending.keys()) if (!checkIds.has(id)) this.#pending.delete(id);
  }

  /** A connection was welcomed: what waited goes soon. */
  connected(): void {
    if (this.#pending.size > 0) this.#schedule();
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer ??= setTimeout(() => {
      this.#timer = null;
      this.flush();
    }, this.deps.flushMs ?? CHECK_FLUSH_MS);
    this.#timer.unref();
  }

  /** Sends what waits, in as few messages as the limits allow; what cannot go now waits for the next connection. */
  flush(): void {
    while (this.#pending.size > 0 && this.deps.canSend()) {
      const batch: CheckResult[] = [];
      let bytes = 0;
      for (const result of this.#pending.values()) {
        const size = Buffer.byteLength(JSON.stringify(result)) + 1;
        if (batch.length > 0 && (batch.length >= MAX_CHECK_RESULTS_PER_MESSAGE || bytes + size > MESSAGE_BUDGET)) break;
        batch.push(result);
        bytes += size;
      }
      if (!this.deps.send({ type: 'check.results', results: batch })) break;
      for (const r of batch) if (this.#pending.get(r.checkId) === r) this.#pending.delete(r.checkId);
    }
    // Not connected, or the socket is backed up: try again shortly (a welcome also flushes).
    if (this.#pending.size > 0) this.#schedule();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
