import type { DataSource } from 'typeorm';
import type { EventBus } from '../events/event-bus.js';

export type LogLevel = 'info' | 'warn' | 'error';

/**
 * Collects a job's log lines synchronously (drivers call `log` from stream callbacks) and writes
 * them in order, in batches: one INSERT and one NOTIFY per batch rather than per line.
 */
export class JobLogWriter {
  #pending: { level: LogLevel; line: string }[] = [];
  #flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: DataSource,
    private readonly events: Pick<EventBus, 'publishMany'>,
    private readonly jobId: string,
    private readonly onError: (err: unknown) => void,
  ) {}

  write(line: string, level: LogLevel = 'info'): void {
    this.#pending.push({ level, line });
    if (this.#pending.length === 1) this.#flushing = this.#flushing.then(() => this.#drain());
  }

  /** Resolves once every line written so far is stored. */
  flush(): Promise<void> {
    this.#flushing = this.#flushing.then(() => this.#drain());
    return this.#flushing;
  }

  async #drain(): Promise<void> {
    const batch = this.#pending;
    if (batch.length === 0) return;
    this.#pending = [];
    try {
      await this.db.query(
        `INSERT INTO job_logs (job_id, level, line) SELECT $1, l, t FROM unnest($2::text[], $3::text[]) AS x(l, t)`,
        [this.jobId, batch.map((b) => b.level), batch.map((b) => b.line)],
      );
      await this.events.publishMany(batch.map((b) => ({ type: 'job.log', id: this.jobId, line: b.line, level: b.level })));
    } catch (err) {
      this.onError(err);
    }
  }
}
