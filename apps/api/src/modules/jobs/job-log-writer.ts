import type { DataSource } from 'typeorm';
import type { EventBus } from '../events/event-bus.js';
import { storableText } from './log-text.js';

export type LogLevel = 'info' | 'warn' | 'error';

// Lines reach the database (and the live stream) at most this long after they are written.
const FLUSH_AFTER_MS = 200;
// Lines per INSERT: a chatty command can write a hundred thousand lines between two flushes.
const MAX_BATCH = 5000;
// Inserting lines one by one stops after this many failures in a row: the database itself is failing.
const MAX_FAILURES_IN_A_ROW = 3;

/** Lines of a job that could not be stored, and the database's first reason. */
export interface LogLoss {
  lines: number;
  reason: string;
}

export function describeLoss(loss: LogLoss): string {
  return `${loss.lines} log line(s) could not be stored: ${loss.reason}`;
}

/**
 * Stores a batch and builds its event in one statement. The event carries the stored lines' ids and
 * count, never their text: a NOTIFY payload is capped at 8000 bytes. Readers fetch the text with
 * `GET /jobs/{id}/logs?after=`.
 */
const INSERT = `
  WITH w AS (
    INSERT INTO job_logs (job_id, level, line) SELECT $1, l, t FROM unnest($2::text[], $3::text[]) AS x(l, t) RETURNING id)
  SELECT ${jobLogEventSql('$1::uuid')} AS event FROM w`;

/**
 * The text of the `job.log` event of the lines inserted in a statement: an aggregate over the
 * inserted rows' ids (select it FROM the CTE that returned them). `jobId` is an SQL expression.
 */
export function jobLogEventSql(jobId: string): string {
  return `json_build_object('type', 'job.log', 'id', ${jobId}, 'count', count(*), 'firstLineId', min(id)::text, 'lastLineId', max(id)::text)::text`;
}

interface Entry {
  level: LogLevel;
  line: string;
}

/**
 * Collects a job's log lines synchronously (drivers call `log` from stream callbacks) and writes
 * them in order, in batches: one INSERT and one event per batch rather than per line. Lines are
 * made storable first (`storableText`); a batch the database still refuses is stored line by line,
 * and whatever is lost is counted in `loss`, which fails the job: a log is never cut short silently.
 */
export class JobLogWriter {
  #pending: Entry[] = [];
  #flushing: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | null = null;
  #loss: LogLoss | null = null;

  constructor(
    private readonly db: Pick<DataSource, 'query'>,
    private readonly events: Pick<EventBus, 'notify'>,
    private readonly jobId: string,
    private readonly onError: (err: unknown, lines: number) => void,
  ) {}

  write(line: string, level: LogLevel = 'info'): void {
    this.#pending.push({ level, line: storableText(line) });
    this.#timer ??= setTimeout(() => void this.flush(), FLUSH_AFTER_MS);
  }

  /** Resolves once every line written so far is stored, or counted in `loss`. Never rejects. */
  flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#flushing = this.#flushing.then(() => this.#drain());
    return this.#flushing;
  }

  /** Lines that could not be stored so far; null while every line was. */
  get loss(): LogLoss | null {
    return this.#loss;
  }

  async #insert(entries: Entry[]): Promise<void> {
    const [row] = await this.db.query(INSERT, [this.jobId, entries.map((e) => e.level), entries.map((e) => e.line)]);
    this.events.notify(undefined, [row?.event]);
  }

  #lose(lines: number, err: unknown): void {
    this.onError(err, lines);
    const reason = storableText(err instanceof Error ? err.message : String(err), 300);
    this.#loss = { lines: (this.#loss?.lines ?? 0) + lines, reason: this.#loss?.reason ?? reason };
  }

  async #drain(): Promise<void> {
    const pending = this.#pending;
    this.#pending = [];
    for (let i = 0; i < pending.length; i += MAX_BATCH) await this.#store(pending.slice(i, i + MAX_BATCH));
  }

  async #store(batch: Entry[]): Promise<void> {
    try {
      await this.#insert(batch);
      return;
    } catch {
      // Told below, for the lines that are lost.
    }
    // One line the database refuses must not take its neighbours with it (a command's exit code may
    // be one of them): one at a time, with a marker in place of each line that still fails.
    let failures = 0;
    for (const [i, entry] of batch.entries()) {
      if (failures >= MAX_FAILURES_IN_A_ROW) {
        this.#lose(batch.length - i, new Error('the database refused the lines before them'));
        return;
      }
      try {
        await this.#insert([entry]);
        failures = 0;
      } catch (err) {
        failures++;
        this.#lose(1, err);
        const why = storableText(err instanceof Error ? err.message : String(err), 300);
        await this.#insert([{ level: 'error', line: `[a ${entry.level} line of ${entry.line.length} characters could not be stored: ${why}]` }]).catch(() => {});
      }
    }
  }
}
