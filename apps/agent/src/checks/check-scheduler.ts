/**
 * Runs the node's checks on their intervals. The first run of a check comes after a random part of
 * its interval (at most FIRST_RUN_SPREAD_MS), so checks do not all start at once on an agent nor in
 * step across a fleet; then every interval from the start of the previous run. One run of a check at
 * a time, and at most MAX_CONCURRENT plugin processes on the node. A new set of definitions replaces
 * the old: unchanged checks keep their schedule, changed ones start over, removed ones are stopped.
 */
import type { CheckDefinition, CheckResult } from '@overmind/agent-protocol';
import { errorMessage, type AgentLog } from '../agent-log.js';
import { runCheck } from './check-process.js';

const FIRST_RUN_SPREAD_MS = 30_000;
const MAX_CONCURRENT = 8;

interface Scheduled {
  check: CheckDefinition;
  /** Same definition, same schedule. */
  key: string;
  timer: NodeJS.Timeout | null;
  running: AbortController | null;
  nextAt: number;
}

export interface CheckSchedulerDeps {
  log: AgentLog;
  onResult(result: CheckResult): void;
  /** For tests: the delay before a check's first run. */
  firstDelayMs?: (check: CheckDefinition) => number;
  run?: typeof runCheck;
}

const definitionKey = (c: CheckDefinition) => JSON.stringify([c.command, c.args, c.shell, c.intervalSeconds, c.timeoutSeconds, c.name]);

export class CheckScheduler {
  readonly #checks = new Map<string, Scheduled>();
  #active = 0;
  readonly #waiting: (() => void)[] = [];
  readonly #inFlight = new Set<Promise<void>>();
  #stopped = false;

  constructor(private readonly deps: CheckSchedulerDeps) {}

  get size(): number {
    return this.#checks.size;
  }

  set(checks: CheckDefinition[]): void {
    if (this.#stopped) return;
    const next = new Map(checks.map((c) => [c.id, c]));
    let removed = 0;
    for (const [id, s] of this.#checks) {
      const c = next.get(id);
      if (!c || definitionKey(c) !== s.key) {
        this.#remove(id);
        if (!c) removed++;
      }
    }
    let added = 0;
    for (const c of checks) {
      if (this.#checks.has(c.id)) continue;
      const s: Scheduled = { check: c, key: definitionKey(c), timer: null, running: null, nextAt: 0 };
      this.#checks.set(c.id, s);
      this.#schedule(s, this.#firstDelay(c));
      added++;
    }
    if (added > 0 || removed > 0) this.deps.log.info(`checks: ${this.#checks.size} defined (${added} new or changed, ${removed} removed)`);
  }

  /** Stops every check (the agent is stopping): running plugins are killed, and awaited so none outlives the agent. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const id of [...this.#checks.keys()]) this.#remove(id);
    await Promise.all(this.#inFlight);
  }

  #firstDelay(c: CheckDefinition): number {
    if (this.deps.firstDelayMs) return this.deps.firstDelayMs(c);
    return Math.floor(Math.random() * Math.min(c.intervalSeconds * 1000, FIRST_RUN_SPREAD_MS));
  }

  #remove(id: string): void {
    const s = this.#checks.get(id);
    if (!s) return;
    this.#checks.delete(id);
    if (s.timer) clearTimeout(s.timer);
    s.running?.abort();
  }

  #schedule(s: Scheduled, delayMs: number): void {
    s.nextAt = Date.now() + delayMs;
    s.timer = setTimeout(() => {
      const run = this.#run(s);
      this.#inFlight.add(run);
      void run.finally(() => this.#inFlight.delete(run));
    }, delayMs);
    s.timer.unref();
  }

  async #slot(): Promise<void> {
    if (this.#active < MAX_CONCURRENT) {
      this.#active++;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  #release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#active--;
  }

  async #run(s: Scheduled): Promise<void> {
    s.timer = null;
    if (this.#checks.get(s.check.id) !== s) return;
    const startedAt = Date.now();
    // The next run is due an interval after this one's start, whatever this one takes.
    const abort = new AbortController();
    s.running = abort;
    await this.#slot();
    try {
      if (abort.signal.aborted) return;
      const result = await (this.deps.run ?? runCheck)(s.check, abort.signal);
      if (!abort.signal.aborted && this.#checks.get(s.check.id) === s) this.deps.onResult(result);
    } catch (err) {
      this.deps.log.error(`check ${s.check.name}: ${errorMessage(err)}`);
    } finally {
      this.#release();
      s.running = null;
      if (this.#checks.get(s.check.id) === s) this.#schedule(s, Math.max(0, startedAt + s.check.intervalSeconds * 1000 - Date.now()));
    }
  }
}
