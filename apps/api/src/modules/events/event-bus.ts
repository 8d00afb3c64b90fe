import { EventEmitter } from 'node:events';
import type { DataSource } from 'typeorm';
import { listen, type PgListener } from '../../lib/pg-listener.js';
import { PostCommitNotifier, type MaybeTransaction, type Notification } from './post-commit-notifier.js';
import type { NodeReadingsView } from '../metrics/reading-series.js';

export const EVENTS_CHANNEL = 'overmind_events';

/**
 * What the event stream carries. Small on purpose: Postgres NOTIFY payloads are capped at 8000 bytes,
 * and a notification that does not fit fails the statement that sends it. So events name what changed
 * (ids, states, counts) and clients fetch the rest: a `job.log` event says which lines were stored,
 * never their text.
 */
export type OvermindEvent =
  | { type: 'job'; id: string; state: string; jobType: string; targetId: string; progress: number; error?: string | null }
  | { type: 'job.log'; id: string; count: number; firstLineId: string; lastLineId: string }
  | { type: 'node'; id: string; providerId: string; state: string; publicIps: string[]; privateIps: string[]; name: string; gone: boolean }
  | { type: 'provider'; id: string; status: string; lastSyncAt: string | null; summary?: Record<string, number> }
  /** An agent enrolled, connected, disconnected, or was approved, rejected or revoked. */
  | { type: 'agent'; id: string; nodeId: string | null; status: string; connected: boolean; since: string }
  /** Nodes' latest readings (at most one per node per readings interval), as `Node.readings` shows them. */
  | { type: 'readings'; nodes: ({ id: string } & NodeReadingsView)[] }
  /** A check's state on a node changed (its first result counts): `output` is its status text, clipped. */
  | { type: 'check'; nodeId: string; checkId: string; name: string; state: string; previous: string | null; output: string; at: string }
  /** A node's health changed: the worst of its check states, `stale` when its agent stopped reporting, null without checks. */
  | { type: 'health'; nodeId: string; health: string | null; previous: string | null; since: string }
  /** An alert fired, resolved or was acknowledged. */
  | { type: 'alert'; id: string; ruleId: string | null; ruleName: string; nodeId: string; state: 'firing' | 'resolved'; summary: string; firedAt: string; resolvedAt: string | null; acknowledgedAt: string | null }
  /** The service guarantee started a remediation step on a member, one ended, or a tier's circuit breaker tripped or was reset. */
  | { type: 'guarantee'; constellationId: string; tier: string; key: string | null; nodeId: string | null; step: string | null; state: 'started' | 'recovered' | 'ineffective' | 'failed' | 'replaced' | 'tripped' | 'reset'; jobId: string | null }
  /** Not from NOTIFY: this process lost its LISTEN connection for a while, so events may be missed. */
  | { type: 'resync' };

/**
 * Sent by database triggers (migration 1764000000008) when a user row or an API token changes, so
 * that whatever holds a session open for that user (event streams, the auth cache) checks it again.
 * Never forwarded to clients.
 */
export interface PrincipalChange {
  type: 'principal';
  userId: string;
}

/** Longest NOTIFY payload Postgres accepts (8000 bytes), with a margin. */
export const MAX_NOTIFY_BYTES = 7900;
const SHORT_STRING = 500;
const SHORT_ARRAY = 20;

/**
 * An event as NOTIFY text. One that would not fit (a provider that reports a huge name or hundreds
 * of addresses) is sent with its long fields shortened rather than failing the change it announces.
 */
export function encodeEvent(event: OvermindEvent): string {
  const text = JSON.stringify(event);
  if (Buffer.byteLength(text) <= MAX_NOTIFY_BYTES) return text;
  const short = Object.fromEntries(
    Object.entries(event).map(([k, v]) => [
      k,
      typeof v === 'string' && v.length > SHORT_STRING ? `${v.slice(0, SHORT_STRING)}…`
        : Array.isArray(v) && v.length > SHORT_ARRAY ? v.slice(0, SHORT_ARRAY)
          : v,
    ]),
  );
  const shortened = JSON.stringify(short);
  return Buffer.byteLength(shortened) <= MAX_NOTIFY_BYTES ? shortened : JSON.stringify({ type: event.type, id: 'id' in event ? event.id : undefined });
}

/**
 * Job and node changes fan out through Postgres LISTEN/NOTIFY, so every API process sees what every
 * worker process does. Publishing inside a transaction delivers after its commit (post-commit-notifier.ts).
 */
export class EventBus {
  readonly #emitter = new EventEmitter();
  readonly #notifier: PostCommitNotifier;
  #listener: PgListener | null = null;

  constructor(
    private readonly db: DataSource,
    private readonly url: string,
    private readonly log: { warn(obj: unknown, msg: string): void },
  ) {
    this.#emitter.setMaxListeners(0);
    this.#notifier = new PostCommitNotifier(db, log);
  }

  /** Publishes an event, and optionally one more notification on another channel. */
  async publish(event: OvermindEvent, manager?: MaybeTransaction, also?: Notification): Promise<void> {
    this.#notifier.notify(manager, also ? [[EVENTS_CHANNEL, encodeEvent(event)], also] : [[EVENTS_CHANNEL, encodeEvent(event)]]);
  }

  /** Publishes many events: after `manager`'s transaction commits, or at once outside one. */
  async publishMany(events: OvermindEvent[], manager?: MaybeTransaction): Promise<void> {
    this.notify(manager, events.map(encodeEvent));
  }

  /**
   * Sends payloads already encoded (by a statement that built them, e.g. jobEventSql) once
   * `manager`'s transaction commits, or at once outside one; `channel` is the events' by default.
   */
  notify(manager: MaybeTransaction | undefined, payloads: (string | null | undefined)[], channel = EVENTS_CHANNEL): void {
    this.#notifier.notify(manager, payloads.flatMap((p) => (p ? [[channel, p] as Notification] : [])));
  }

  /** Resolves once every notification published so far has been sent. */
  settled(): Promise<void> {
    return this.#notifier.settled();
  }

  /** Every event for clients, from every process. */
  subscribe(listener: (event: OvermindEvent) => void): () => void {
    this.#emitter.on('event', listener);
    return () => this.#emitter.off('event', listener);
  }

  /** A user's row or one of their API tokens changed (in any process): sessions of that user need checking. */
  onPrincipalChange(listener: (userId: string) => void): () => void {
    this.#emitter.on('principal', listener);
    return () => this.#emitter.off('principal', listener);
  }

  async start(): Promise<void> {
    this.#listener = await listen(this.url, EVENTS_CHANNEL, (payload) => {
      let event: OvermindEvent | PrincipalChange;
      try {
        event = JSON.parse(payload) as OvermindEvent | PrincipalChange;
      } catch (err) {
        this.log.warn({ err }, 'dropped an unreadable event');
        return;
      }
      if (event.type === 'principal') this.#emitter.emit('principal', event.userId);
      else this.#emitter.emit('event', event);
    }, this.log, () => this.#emitter.emit('event', { type: 'resync' } satisfies OvermindEvent));
  }

  async close(): Promise<void> {
    await this.#notifier.settled();
    this.#emitter.removeAllListeners();
    await this.#listener?.close();
    this.#listener = null;
  }
}
