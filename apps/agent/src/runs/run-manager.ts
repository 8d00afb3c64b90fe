/**
 * The runs of this agent and their delivery. Offers are taken at most once per run id (the journal is
 * written before `run.accepted`), executed, and their log lines and result kept until the server
 * acknowledges them; after a reconnect everything unacknowledged goes again, and the server stores
 * it once by `(run, seq)`. A repeated offer is answered from what the agent has, never run twice.
 */
import type { AgentMessage, CommandSpec, ConvergeSpec, HelloMessage, RunFinishedMessage, RunOffer, RunOutcome } from '@overmind/agent-protocol';
import { errorMessage, type AgentLog } from '../agent-log.js';
import type { LastRun } from '../config/status-file.js';
import { runCommand } from './command-run.js';
import type { ConvergeRunner } from './converge-run.js';
import type { JournalEntry, RunJournal } from './run-journal.js';
import { RunLog } from './run-log.js';
import type { RunEnd, RunIo } from './run-types.js';
import { SecretMask } from '@overmind/cm';

/** Lines are sent this long after the first one waiting, or at once when a full batch waits. */
const FLUSH_MS = 200;
const FULL_BATCH = 500;
/** Something sent and not acknowledged this long is sent again on the same connection. */
const RETRY_MS = 60_000;
/** The journal's line count of a running run is refreshed at most this often. */
const PERSIST_MS = 5000;
/** More runs at once than this are refused. */
const MAX_RUNNING = 32;
/** Batches sent per run per flush; the rest follow on the next flush, so one noisy run cannot starve the others. */
const BATCHES_PER_FLUSH = 8;

export const RESTARTED_ERROR = 'the agent restarted during the run';
export const STOPPED_ERROR = 'the agent stopped during the run';

type StopReason = { kind: 'cancel'; reason: string } | { kind: 'timeout'; seconds: number } | { kind: 'stopping' };

interface ManagedRun {
  entry: JournalEntry;
  /** Taken but not yet journaled: a repeated offer waits for the first answer. */
  pending: boolean;
  /** Null once nothing of the run's output waits for an ack. */
  log: RunLog | null;
  mask: SecretMask | null;
  abort: AbortController | null;
  stop: StopReason | null;
  /** The result went out on the current connection. */
  finishedSent: boolean;
  lastSentAt: number;
  lastAckAt: number;
  persistedAt: number;
  persisting: Promise<void>;
}

export interface RunManagerDeps {
  journal: RunJournal;
  converge: ConvergeRunner;
  log: AgentLog;
  /** Sends on the current connection; false when there is none (the message is then not sent). */
  send(message: AgentMessage): boolean;
  /** True while the connection can take more (welcomed, socket buffer not backed up). */
  canSend(): boolean;
  onFinished(run: LastRun): void;
}

const clip = (text: string | null, max: number): string | null => (text === null || text.length <= max ? text : `${text.slice(0, max - 1)}…`);

export class RunManager {
  readonly #runs = new Map<string, ManagedRun>();
  #lastRunId: string | null = null;
  #flushTimer: NodeJS.Timeout | null = null;
  #flushSoon = false;
  /** Converges run one at a time: they share chef-solo's directories. */
  #convergeQueue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: RunManagerDeps) {}

  /** Loads the journal; runs it says were running died with the previous process and are reported failed. */
  async restore(): Promise<void> {
    const entries = await this.deps.journal.load();
    for (const entry of entries) {
      const run = this.#track(entry, null);
      this.#lastRunId = entry.id;
      if (entry.state !== 'running') continue;
      const error = entry.stoppedAt ? STOPPED_ERROR : RESTARTED_ERROR;
      this.deps.log.warn(`run ${entry.id} was running when the agent ${entry.stoppedAt ? 'stopped' : 'died'}: reporting it failed`);
      const durationMs = Math.max(0, Date.parse(entry.stoppedAt ?? new Date().toISOString()) - Date.parse(entry.acceptedAt)) || 0;
      await this.#finish(run, { type: 'run.finished', runId: entry.id, outcome: 'failed', exitCode: null, signal: null, summary: null, error, failedStep: null, logLines: entry.logSeq, durationMs });
    }
  }

  #track(entry: JournalEntry, log: RunLog | null, mask: SecretMask | null = null): ManagedRun {
    const run: ManagedRun = { entry, pending: false, log, mask, abort: null, stop: null, finishedSent: false, lastSentAt: 0, lastAckAt: 0, persistedAt: 0, persisting: Promise.resolve() };
    this.#runs.set(entry.id, run);
    return run;
  }

  /** What hello says: runs going on, and finished ones whose result the server has not acknowledged. */
  hello(): Pick<HelloMessage, 'runs' | 'lastRunId'> {
    const runs: HelloMessage['runs'] = [];
    for (const { entry, pending } of this.#runs.values()) {
      if (pending) continue;
      if (entry.state === 'running') runs.push({ id: entry.id, state: 'running' });
      else if (!entry.acked) runs.push({ id: entry.id, state: 'finished' });
    }
    return { runs: runs.slice(-1000), lastRunId: this.#lastRunId };
  }

  /** The latest finished run, for status.json. */
  lastFinished(): LastRun | null {
    let last: JournalEntry | null = null;
    for (const { entry } of this.#runs.values()) if (entry.state === 'finished' && entry.result && (!last || (entry.finishedAt ?? '') > (last.finishedAt ?? ''))) last = entry;
    return last ? { id: last.id, kind: last.kind, outcome: last.result!.outcome, finishedAt: last.finishedAt ?? '' } : null;
  }

  runningIds(): string[] {
    return [...this.#runs.values()].filter((r) => r.entry.state === 'running').map((r) => r.entry.id);
  }

  /** A new connection was welcomed: everything not acknowledged goes again. */
  connected(): void {
    for (const run of this.#runs.values()) {
      run.log?.resend();
      run.finishedSent = false;
    }
    this.#flush();
  }

  offer(offer: RunOffer): void {
    const known = this.#runs.get(offer.id);
    if (known?.pending) return;
    if (known) {
      this.deps.log.info(`run ${offer.id} offered again: it is ${known.entry.state}, not starting it twice`);
      if (known.entry.state === 'running') this.deps.send({ type: 'run.accepted', runId: offer.id });
      else {
        // The server asks again: it has not stored the result, whatever it acknowledged before.
        known.entry.acked = false;
        known.finishedSent = false;
        known.log?.resend();
        this.#flush();
      }
      return;
    }
    const refusal = this.#refusal(offer);
    if (refusal) return this.#reject(offer.id, refusal);
    // Secret attributes of a converge, the environment of a command: never in what leaves the node.
    const mask = new SecretMask();
    mask.addLeaves(offer.kind === 'converge' ? offer.spec.secretAttributes : (offer.spec.env ?? {}));
    const entry: JournalEntry = { id: offer.id, kind: offer.kind, state: 'running', acceptedAt: new Date().toISOString(), deadline: offer.deadline, logSeq: 0, result: null, finishedAt: null, acked: false };
    const run = this.#track(entry, new RunLog(offer.id, mask.active ? (t) => mask.apply(t) : undefined), mask.active ? mask : null);
    run.pending = true;
    run.abort = new AbortController();
    void this.#start(run, offer);
  }

  #refusal(offer: RunOffer): string | null {
    const deadline = Date.parse(offer.deadline);
    if (!(deadline > Date.now())) return `the run's deadline (${offer.deadline}) had passed when the agent received it`;
    if (this.runningIds().length >= MAX_RUNNING) return `the agent is already running ${MAX_RUNNING} runs`;
    return offer.kind === 'converge' ? this.deps.converge.refusal(offer.spec) : null;
  }

  #reject(runId: string, reason: string): void {
    this.deps.log.warn(`run ${runId} rejected: ${reason}`);
    this.deps.send({ type: 'run.rejected', runId, reason: clip(reason, 2000)! });
  }

  async #start(run: ManagedRun, offer: RunOffer): Promise<void> {
    const { entry } = run;
    try {
      await this.deps.journal.save(entry);
    } catch (err) {
      // Unjournaled, a restart could run it twice: refuse instead.
      this.#runs.delete(offer.id);
      return this.#reject(offer.id, `the agent cannot write its run journal: ${errorMessage(err)}`);
    }
    run.pending = false;
    this.#lastRunId = offer.id;
    this.deps.send({ type: 'run.accepted', runId: offer.id });
    this.deps.log.info(`run ${offer.id} (${offer.kind}) started`);
    const started = Date.now();
    const end = await this.#execute(run, offer).catch((err: unknown): RunEnd => ({ succeeded: false, exitCode: null, signal: null, summary: null, error: `the agent failed to run it: ${errorMessage(err)}` }));
    if (run.stop?.kind === 'stopping') return; // the agent is exiting; the next start reports the run
    await this.#finish(run, this.#result(run, end, Date.now() - started));
  }

  #execute(run: ManagedRun, offer: RunOffer): Promise<RunEnd> {
    const io: RunIo = {
      signal: run.abort!.signal,
      line: (stream, text) => {
        run.log!.append(stream, text);
        this.#scheduleFlush(run.log!.unsent >= FULL_BATCH);
      },
    };
    const withTimeout = async (seconds: number, work: () => Promise<RunEnd>): Promise<RunEnd> => {
      const timer = setTimeout(() => this.#stop(run, { kind: 'timeout', seconds }), seconds * 1000);
      try {
        return await work();
      } finally {
        clearTimeout(timer);
      }
    };
    if (offer.kind === 'command') return withTimeout(offer.spec.timeoutSeconds, () => runCommand(offer.spec as CommandSpec, io));
    const spec: ConvergeSpec = offer.spec;
    const turn = this.#convergeQueue.then(async () => {
      if (io.signal.aborted) return { succeeded: false, exitCode: null, signal: null, summary: null, error: null } satisfies RunEnd;
      return withTimeout(spec.timeoutSeconds, () => this.deps.converge.run(spec, io));
    });
    const ahead = [...this.#runs.values()].some((r) => r !== run && r.entry.kind === 'converge' && r.entry.state === 'running');
    if (ahead) io.line('agent', 'waiting for the converge before it to finish');
    this.#convergeQueue = turn.catch(() => undefined);
    return turn;
  }

  #result(run: ManagedRun, end: RunEnd, durationMs: number): RunFinishedMessage {
    const stop = run.stop;
    let outcome: RunOutcome = end.succeeded ? 'succeeded' : 'failed';
    let error = end.error;
    if (stop?.kind === 'cancel') {
      outcome = 'cancelled';
      error = `cancelled: ${stop.reason}`;
    } else if (stop?.kind === 'timeout') {
      outcome = 'timed-out';
      error = `the run did not finish within ${stop.seconds} s and was killed`;
    }
    const mask = (text: string | null) => (text !== null && run.mask ? run.mask.apply(text) : text);
    return {
      type: 'run.finished',
      runId: run.entry.id,
      outcome,
      exitCode: end.exitCode,
      signal: clip(end.signal, 32),
      summary: clip(mask(end.summary), 2000),
      error: outcome === 'succeeded' ? null : clip(mask(error ?? 'the run failed'), 4000),
      failedStep: clip(end.failedStep ?? null, 64),
      logLines: run.log?.lastSeq ?? 0,
      durationMs: Math.max(0, Math.round(durationMs)),
    };
  }

  async #finish(run: ManagedRun, result: RunFinishedMessage): Promise<void> {
    const { entry } = run;
    entry.state = 'finished';
    entry.result = result;
    entry.finishedAt = new Date().toISOString();
    entry.logSeq = result.logLines;
    run.abort = null;
    await this.#persist(run);
    this.deps.log.info(`run ${entry.id} ${result.outcome}${result.error ? `: ${result.error}` : ''}`);
    this.deps.onFinished({ id: entry.id, kind: entry.kind, outcome: result.outcome, finishedAt: entry.finishedAt });
    this.#flush();
  }

  #persist(run: ManagedRun): Promise<void> {
    run.persistedAt = Date.now();
    const snapshot = { ...run.entry };
    run.persisting = run.persisting
      .then(() => this.deps.journal.save(snapshot))
      .catch((err: unknown) => this.deps.log.error(`cannot write the journal of run ${snapshot.id}: ${errorMessage(err)}`));
    return run.persisting;
  }

  cancel(runId: string, reason: string): void {
    const run = this.#runs.get(runId);
    if (!run) return void this.deps.log.warn(`cancel for run ${runId}, which this agent does not know`);
    if (run.entry.state !== 'running') {
      // Already over: the server lacks the result, or it would not cancel.
      run.finishedSent = false;
      run.log?.resend();
      this.#flush();
      return;
    }
    this.deps.log.info(`run ${runId} cancelled: ${reason}`);
    this.#stop(run, { kind: 'cancel', reason });
  }

  #stop(run: ManagedRun, reason: StopReason): void {
    if (!run.abort || run.stop) return;
    run.stop = reason;
    run.abort.abort();
  }

  ack(runId: string, logSeq: number, finished: boolean): void {
    const run = this.#runs.get(runId);
    if (!run) return;
    run.lastAckAt = Date.now();
    run.log?.ack(logSeq);
    if (finished && run.entry.state === 'finished' && !run.entry.acked) {
      run.entry.acked = true;
      run.log = null;
      void this.#persist(run).then(() => this.#prune());
    }
  }

  async #prune(): Promise<void> {
    const forgotten = await this.deps.journal.prune([...this.#runs.values()].map((r) => r.entry));
    for (const id of forgotten) this.#runs.delete(id);
  }

  /** Every heartbeat: what has waited too long for an ack goes again. */
  tick(): void {
    const now = Date.now();
    for (const run of this.#runs.values()) {
      const waiting = (run.log && !run.log.allAcked) || (run.entry.state === 'finished' && !run.entry.acked);
      if (waiting && run.lastSentAt > 0 && now - run.lastSentAt > RETRY_MS && now - run.lastAckAt > RETRY_MS) {
        run.log?.resend();
        run.finishedSent = false;
      }
    }
    this.#flush();
  }

  #scheduleFlush(full: boolean): void {
    if (full && !this.#flushSoon) {
      this.#flushSoon = true;
      setImmediate(() => {
        this.#flushSoon = false;
        this.#flush();
      });
    }
    this.#flushTimer ??= setTimeout(() => this.#flush(), FLUSH_MS);
  }

  /** Sends what waits: each run's unsent lines, then its result once all its lines are out. */
  #flush(): void {
    if (this.#flushTimer) clearTimeout(this.#flushTimer);
    this.#flushTimer = null;
    let more = false;
    for (const run of this.#runs.values()) {
      if (!this.deps.canSend()) return void this.#scheduleFlush(false);
      if (run.log && run.log.unsent > 0) {
        for (const batch of run.log.takeBatches(BATCHES_PER_FLUSH)) {
          if (!this.deps.send(batch)) return;
          run.lastSentAt = Date.now();
        }
        if (run.log.unsent > 0) more = true;
        if (run.entry.state === 'running' && Date.now() - run.persistedAt > PERSIST_MS) {
          run.entry.logSeq = run.log.lastSeq;
          void this.#persist(run);
        }
      }
      const linesOut = !run.log || run.log.unsent === 0;
      if (run.entry.state === 'finished' && run.entry.result && !run.entry.acked && !run.finishedSent && linesOut) {
        if (!this.deps.send(run.entry.result)) return;
        run.finishedSent = true;
        run.lastSentAt = Date.now();
      }
    }
    if (more) this.#scheduleFlush(false);
  }

  /** The agent is stopping: runs going on are killed and marked, and reported failed at the next start. */
  async stopAll(): Promise<void> {
    const running = [...this.#runs.values()].filter((r) => r.entry.state === 'running' && !r.pending);
    for (const run of running) {
      run.entry.stoppedAt = new Date().toISOString();
      run.entry.logSeq = run.log?.lastSeq ?? run.entry.logSeq;
      this.#stop(run, { kind: 'stopping' });
    }
    await Promise.all(running.map((run) => this.#persist(run)));
  }
}
