/**
 * NOTIFY after commit, in batches. Postgres serializes the commits of all transactions that sent a
 * NOTIFY (each holds a database-wide lock from its NOTIFY to the end of its commit, WAL flush
 * included), so a NOTIFY in every action's transaction made concurrent actions commit one at a time:
 * on 1,000 concurrent job sends it was 40 % of their time. Here a transaction's notifications wait
 * until it commits (dropped if it rolls back), then go out with whatever else is waiting, in one
 * statement of their own, one such statement at a time per process.
 *
 * The cost: a process that dies between a commit and its flush loses those notifications. What
 * listens copes with a missed one already (workers also poll the queue; the console's stream says
 * `resync` after a lost connection and its pages refetch).
 */
import { preparedQuery } from '../../db/prepared-query.js';
import type { DataSource, EntityManager, EntitySubscriberInterface, QueryRunner } from 'typeorm';

export type Notification = [channel: string, payload: string];

/** What may hold a transaction: an EntityManager from `db.transaction`, or anything outside one. */
export type MaybeTransaction = Pick<EntityManager, 'query'> & { queryRunner?: QueryRunner };

/** Statements with at most this many notifications. */
const BATCH = 1000;

export class PostCommitNotifier {
  readonly #waiting = new WeakMap<QueryRunner, Notification[]>();
  #queue: Notification[] = [];
  #draining: Promise<void> | null = null;

  constructor(
    private readonly db: DataSource,
    private readonly log: { warn(obj: unknown, msg: string): void },
  ) {
    const subscriber: EntitySubscriberInterface = {
      afterTransactionCommit: ({ queryRunner }) => {
        // A savepoint released is not the commit yet.
        if (queryRunner.isTransactionActive) return;
        const notes = this.#waiting.get(queryRunner);
        this.#waiting.delete(queryRunner);
        if (notes) this.#send(notes);
      },
      afterTransactionRollback: ({ queryRunner }) => {
        // A savepoint rolled back keeps what the transaction queued before it: an extra event is harmless.
        if (!queryRunner.isTransactionActive) this.#waiting.delete(queryRunner);
      },
    };
    db.subscribers.push(subscriber);
  }

  /** Sends once `within`'s transaction commits; at once (in the next batch) when it is not in one. */
  notify(within: MaybeTransaction | undefined, notes: Notification[]): void {
    if (notes.length === 0) return;
    const runner = within?.queryRunner;
    if (runner?.isTransactionActive) {
      const list = this.#waiting.get(runner);
      if (list) list.push(...notes);
      else this.#waiting.set(runner, [...notes]);
    } else {
      this.#send(notes);
    }
  }

  /** Resolves once everything queued so far is sent (or failed to be). */
  async settled(): Promise<void> {
    while (this.#draining) await this.#draining;
  }

  #send(notes: Notification[]): void {
    this.#queue.push(...notes);
    this.#draining ??= this.#drain();
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, BATCH);
      try {
        await preparedQuery(this.db, 'SELECT pg_notify(n.c, n.p) FROM unnest($1::text[], $2::text[]) AS n(c, p)', [batch.map((n) => n[0]), batch.map((n) => n[1])]);
      } catch (err) {
        this.log.warn({ err, notifications: batch.length }, 'could not send notifications');
      }
    }
    this.#draining = null;
  }
}
