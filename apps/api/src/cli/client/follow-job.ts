import { setTimeout as sleep } from 'node:timers/promises';
import { FINISHED_JOB_STATES, type Job, type JobEvent } from '@overmind/sdk';
import { createParser } from 'eventsource-parser';
import yoctoSpinner from 'yocto-spinner';
import { CliFailure, EXIT } from '../failures.js';
import type { Connection } from './api.js';
import { note } from './output.js';

export interface FollowOptions {
  /** Where the job's log lines go: standard output for people, standard error when stdout is for a script. */
  logTo: NodeJS.WritableStream;
}

/** A progress line on a terminal, plain notes of each state change elsewhere (CI logs). */
function progress() {
  if (!process.stderr.isTTY) {
    let last = '';
    return {
      update: (text: string) => text !== last && note((last = text)),
      around: (write: () => void) => write(),
      stop: () => {},
    };
  }
  const spinner = yoctoSpinner({ stream: process.stderr }).start();
  return {
    update: (text: string) => void (spinner.text = text),
    /** Log lines print above the spinner, never through it. */
    around: (write: () => void) => {
      spinner.clear();
      write();
      spinner.start();
    },
    stop: () => spinner.stop(),
  };
}

const finished = (job: Pick<Job, 'state'>) => FINISHED_JOB_STATES.includes(job.state);
const describe = (job: Pick<Job, 'id' | 'state' | 'progress'>) => `job ${job.id.slice(0, 8)} ${job.state}${job.state === 'running' ? ` ${job.progress}%` : ''}`;

/**
 * Follows a job until it finishes: its state from the event stream (`job` events), its log as it is
 * written (`job.log` events say which lines to fetch). Ctrl-C stops the following, not the job.
 */
export async function followJob(conn: Connection, jobId: string, opts: FollowOptions): Promise<Job> {
  const bar = progress();
  let lastLine = 0;
  const printLogs = async () => {
    for (;;) {
      const page = await conn.client.getJobLogs(jobId, lastLine);
      if (page.items.length) {
        bar.around(() => opts.logTo.write(page.items.map((l) => `${l.line}\n`).join('')));
        lastLine = Number(page.items.at(-1)!.id);
      }
      if (page.items.length < 1000) return;
    }
  };
  const controller = new AbortController();
  const interrupted = () => {
    controller.abort();
    bar.stop();
    note(`stopped waiting; job ${jobId} goes on (follow it again: overmind jobs logs ${jobId} --follow)`);
    process.exit(EXIT.interrupted);
  };
  process.once('SIGINT', interrupted);
  try {
    for (let attempt = 0; ; attempt++) {
      const outcome = await followOnce(conn, jobId, controller.signal, bar.update, printLogs);
      if (outcome) return outcome;
      // The stream ended (an API restart, a proxy's timeout): reconnect and look again.
      if (attempt >= 20) throw new CliFailure(`lost the event stream while following job ${jobId}`);
      await sleep(Math.min(500 * 2 ** attempt, 5000));
    }
  } finally {
    process.off('SIGINT', interrupted);
    bar.stop();
  }
}

async function followOnce(
  conn: Connection,
  jobId: string,
  signal: AbortSignal,
  update: (text: string) => void,
  printLogs: () => Promise<void>,
): Promise<Job | undefined> {
  const response = await fetch(new URL('/api/v1/events', conn.url), { headers: { authorization: `Bearer ${conn.token}`, accept: 'text/event-stream' }, signal });
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    if (response.status === 401 || response.status === 403) throw new CliFailure(`the event stream refused the token (HTTP ${response.status}): run overmind login again`);
    return undefined;
  }
  // Subscribed first, then the job read: a change between the two still arrives as an event.
  let job = await conn.client.getJob(jobId);
  update(describe(job));
  await printLogs();
  if (finished(job)) {
    await response.body.cancel();
    return job;
  }
  const reader = response.body.getReader();
  const stop = () => void reader.cancel().catch(() => {});
  signal.addEventListener('abort', stop, { once: true });
  let work = Promise.resolve();
  let done: Job | undefined;
  let failure: unknown;
  const parser = createParser({
    onEvent(message) {
      const data = JSON.parse(message.data) as { id?: string };
      if (data.id !== jobId && message.event !== 'resync') return;
      // Handled one after another, in the order the server sent them.
      work = work.then(async () => {
        if (done) return;
        if (message.event === 'job.log') return printLogs();
        if (message.event === 'job') job = { ...job, ...(data as JobEvent), type: job.type };
        if (message.event === 'resync') job = await conn.client.getJob(jobId);
        update(describe(job));
        if (finished(job)) {
          await printLogs();
          done = await conn.client.getJob(jobId);
          stop();
        }
      }).catch((err: unknown) => {
        failure = err;
        stop();
      });
    },
  });
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { value, done: ended } = await reader.read();
      if (ended) break;
      parser.feed(decoder.decode(value, { stream: true }));
    }
  } catch (err) {
    if (!signal.aborted && !done) throw err;
  } finally {
    signal.removeEventListener('abort', stop);
  }
  await work;
  if (failure) throw failure;
  return done;
}
