import type PgBoss from 'pg-boss';

export interface JobPumpOptions<T> {
  boss: Pick<PgBoss, 'fetch' | 'complete' | 'fail'>;
  /** Takes up to `batchSize` entries of the queue; by default pg-boss's `fetch`. */
  fetch?(batchSize: number): Promise<Pick<PgBoss.Job<T>, 'id' | 'data' | 'expireInSeconds'>[]>;
  queue: string;
  /** Jobs this process runs at once. */
  concurrency: number;
  /** How often an idle pump looks for jobs when nothing wakes it. */
  pollingIntervalSeconds: number;
  /** Runs a job; resolves true if it completed the job's queue entry itself (with its success). */
  run(data: T, queueJobId: string): Promise<boolean | void>;
  onError(err: unknown): void;
}

export interface JobPump {
  /** Look for jobs now (a job was queued, or the connection came back). */
  wake(): void;
  /** Stops fetching; resolves once the jobs running have ended, or after `timeoutMs`. */
  stop(timeoutMs: number): Promise<void>;
}

/**
 * Keeps up to `concurrency` jobs of one queue running, fetching as many as there are free slots in
 * one query and completing the jobs that end in the same event-loop turn in one query (unless a run
 * completed its entry itself, with the job's own last write). pg-boss'
 * `work()` with `concurrency` workers of batch size 1 spends a fetch and a completion per job, and a
 * bigger batch would hold every job of the batch until its slowest had ended.
 */
export function startJobPump<T extends object>(opts: JobPumpOptions<T>): JobPump {
  const { boss, queue, concurrency } = opts;
  const fetch = opts.fetch ?? ((batchSize: number) => boss.fetch<T>(queue, { batchSize }));
  let running = 0;
  let fetching = false;
  let again = false;
  let stopped = false;
  let completing: string[] = [];
  let completed: Promise<void> = Promise.resolve();
  const idle: (() => void)[] = [];

  // Wake-ups and freed slots of one event-loop turn share one fetch: under a stream of short jobs,
  // a fetch as each one ends (and a claim and a completion after each fetch) cost more than the jobs.
  let soon: NodeJS.Immediate | null = null;
  function fetchSoon(): void {
    soon ??= setImmediate(() => {
      soon = null;
      void fetchFree();
    });
  }

  async function fetchFree(): Promise<void> {
    if (fetching) {
      again = true; // a slot freed or a job arrived while fetching: look once more afterwards
      return;
    }
    fetching = true;
    try {
      do {
        again = false;
        const free = concurrency - running;
        if (stopped || free <= 0) break;
        const jobs = await fetch(free);
        for (const job of jobs) start(job);
        if (jobs.length === free) again = true; // there may be more: look again when slots free up or now
      } while (again && !stopped && running < concurrency);
    } catch (err) {
      opts.onError(err);
    } finally {
      fetching = false;
    }
  }

  function complete(id: string): void {
    completing.push(id);
    if (completing.length > 1) return;
    // Every job ending in this turn goes in the same statement.
    setImmediate(() => {
      const ids = completing;
      completing = [];
      completed = boss.complete(queue, ids).catch(opts.onError);
    });
  }

  function start(job: Pick<PgBoss.Job<T>, 'id' | 'data' | 'expireInSeconds'>): void {
    running++;
    // As pg-boss' work() does: a run still going when its job expires gives its slot back (the queue
    // hands the job to a worker again, or to the dead letters), whatever the run is waiting for.
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      const ms = Math.max(1, job.expireInSeconds) * 1000;
      timer = setTimeout(() => reject(new Error(`the run exceeded the job's ${ms} ms`)), ms);
    });
    Promise.race([opts.run(job.data, job.id), expired])
      .then(
        (completedByRun) => completedByRun || complete(job.id),
        (err: unknown) => boss.fail(queue, job.id, { message: err instanceof Error ? err.message : String(err) }).catch(opts.onError),
      )
      .finally(() => {
        clearTimeout(timer);
        running--;
        if (running === 0) idle.splice(0).forEach((resolve) => resolve());
        fetchSoon();
      });
  }

  const poll = setInterval(() => void fetchFree(), opts.pollingIntervalSeconds * 1000);
  poll.unref();
  void fetchFree();

  return {
    wake: fetchSoon,
    async stop(timeoutMs) {
      stopped = true;
      clearInterval(poll);
      if (running > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          new Promise<void>((resolve) => idle.push(resolve)),
          new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
        ]);
        clearTimeout(timer);
      }
      // The last completions are sent on the next turn: let them reach the queue before it stops.
      await new Promise((resolve) => setImmediate(resolve));
      await completed;
    },
  };
}
