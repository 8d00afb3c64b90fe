import { EventEmitter } from 'node:events';
import type { DataSource, EntityManager } from 'typeorm';
import { listen, type PgListener } from '../../lib/pg-listener.js';

export const EVENTS_CHANNEL = 'overmind_events';

/** What the event stream carries. Small on purpose: Postgres NOTIFY payloads are capped at 8000 bytes. */
export type OvermindEvent =
  | { type: 'job'; id: string; state: string; jobType: string; targetId: string; progress: number; error?: string | null }
  | { type: 'job.log'; id: string; line: string; level: string }
  | { type: 'node'; id: string; providerId: string; state: string; publicIps: string[]; privateIps: string[]; name: string; gone: boolean }
  | { type: 'provider'; id: string; status: string; lastSyncAt: string | null; summary?: Record<string, number> }
  /** Not from NOTIFY: this process lost its LISTEN connection for a while, so events may be missing. */
  | { type: 'resync' };

const MAX_LINE = 2000;

function encode(event: OvermindEvent): string {
  if (event.type === 'job.log' && event.line.length > MAX_LINE) {
    return JSON.stringify({ ...event, line: `${event.line.slice(0, MAX_LINE)}…` });
  }
  return JSON.stringify(event);
}

/**
 * Job and node changes fan out through Postgres LISTEN/NOTIFY, so every API process sees what every
 * worker process does. Publishing inside a transaction delivers at commit.
 */
export class EventBus {
  readonly #emitter = new EventEmitter();
  #listener: PgListener | null = null;

  constructor(
    private readonly db: DataSource,
    private readonly url: string,
    private readonly log: { warn(obj: unknown, msg: string): void },
  ) {
    this.#emitter.setMaxListeners(0);
  }

  /** Publishes an event, and optionally one more notification on another channel in the same round trip. */
  async publish(event: OvermindEvent, manager?: EntityManager, also?: [channel: string, payload: string]): Promise<void> {
    const db = manager ?? this.db.manager;
    if (also) await db.query('SELECT pg_notify($1, $2), pg_notify($3, $4)', [EVENTS_CHANNEL, encode(event), ...also]);
    else await db.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, encode(event)]);
  }

  /**
   * Publishes many events in one round trip, optionally together with a data-modifying statement
   * (run as a CTE; its parameters are numbered from $3).
   */
  async publishMany(events: OvermindEvent[], manager?: EntityManager, along?: { sql: string; params: unknown[] }): Promise<void> {
    if (events.length === 0 && !along) return;
    const db = manager ?? this.db.manager;
    const notify = 'SELECT pg_notify($1, e) FROM unnest($2::text[]) AS e';
    await db.query(along ? `WITH w AS (${along.sql}) ${notify}` : notify, [EVENTS_CHANNEL, events.map(encode), ...(along?.params ?? [])]);
  }

  subscribe(listener: (event: OvermindEvent) => void): () => void {
    this.#emitter.on('event', listener);
    return () => this.#emitter.off('event', listener);
  }

  async start(): Promise<void> {
    this.#listener = await listen(this.url, EVENTS_CHANNEL, (payload) => {
      try {
        this.#emitter.emit('event', JSON.parse(payload) as OvermindEvent);
      } catch (err) {
        this.log.warn({ err }, 'dropped an unreadable event');
      }
    }, this.log, () => this.#emitter.emit('event', { type: 'resync' } satisfies OvermindEvent));
  }

  async close(): Promise<void> {
    this.#emitter.removeAllListeners();
    await this.#listener?.close();
    this.#listener = null;
  }
}
