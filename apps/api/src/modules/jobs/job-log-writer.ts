import type { DataSource } from 'typeorm';
import type { EventBus } from '../events/event-bus.js';

export type LogLevel = 'info' | 'warn' | 'error';

// Lines reach the database (and the live stream) at most this long after they are written.
const FLUSH_AFTER_MS = 200;

/**
 * Collects a job's log lines synchronously (drivers call `log` from stream callbacks) and writes
 * them in order, in batches: one INSERT and one NOTIFY per batch rather than per line.
 */
export class JobLogWriter {
  #pending: { level: LogLevel; line: string }[] = [];
  #flushing: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: DataSource,
    private readonly events: Pick<EventBus, 'publishMany'>,
    private readonly jobId: string,
    private readonly onError: (err: unknown) => void,
  ) {}

  write(line: string, level: LogLevel = 'info'): void {
    this.#pending.push({ level, line });
    this.#timer ??= setTimeout(() => void this.flush(), FLUSH_AFTER_MS);
  }

  /** Resolves once every line written so far is stored. */
  flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#flushing = this.#flushing.then(() => this.#drain());
    return this.#flushing;
  }

  async #drain(): Promise<void> {
    const batch = this.#pending;
    if (batch.length === 0) return;
    this.#pending = [];
    try {
      await this.events.publishMany(
        batch.map((b) => ({ type: 'job.log', id: this.jobId, line: b.line, level: b.level })),
        undefined,
        {
          sql: `INSERT INTO job_logs (job_id, level, line) SELECT $3, l, t FROM unnest($4::text[], $5::text[]) AS x(l, t)`,
          params: [this.jobId, batch.map((b) => b.level), batch.map((b) => b.line)],
        },
      );
    } catch (err) {
      this.onError(err);
    }
  }
}
