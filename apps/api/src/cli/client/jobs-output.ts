import type { Job } from '@overmind/sdk';
import { CliFailure } from '../failures.js';
import type { Connection } from './api.js';
import { followJob } from './follow-job.js';
import { printOne, type Columns, type OutputOptions } from './output.js';

export const JOB_COLUMNS: Columns<Job> = [
  ['ID', (j) => j.id],
  ['TYPE', (j) => j.type],
  ['STATE', (j) => j.state],
  ['PROGRESS', (j) => `${j.progress}%`],
  ['TARGET', (j) => j.targetId],
  ['CREATED', (j) => j.createdAt],
  ['ERROR', (j) => j.error],
];

export const JOB_FIELDS: Columns<Job> = [
  ['id', (j) => j.id],
  ['type', (j) => j.type],
  ['state', (j) => j.state],
  ['progress', (j) => `${j.progress}%`],
  ['target', (j) => `${j.targetType} ${j.targetId}`],
  ['attempts', (j) => `${j.attempts} of ${j.maxAttempts}`],
  ['created', (j) => j.createdAt],
  ['started', (j) => j.startedAt],
  ['finished', (j) => j.finishedAt],
  ['error', (j) => j.error],
  ['result', (j) => j.result],
];

/** A job that did not succeed ends the command with exit code 1, saying why. */
export function requireSucceeded(job: Job): Job {
  if (job.state !== 'succeeded') throw new CliFailure(`job ${job.id} ${job.state}${job.error ? `: ${job.error}` : ''}`);
  return job;
}

export interface WaitOption {
  wait?: boolean;
}

/**
 * What every verb that queues a job does: print the job, or with --wait follow it to its end (its
 * log as it is written) and hand the finished job back.
 */
export async function queued(conn: Connection, job: Job, opts: OutputOptions & WaitOption): Promise<Job | undefined> {
  if (!opts.wait) {
    printOne(job, JOB_FIELDS, opts);
    return undefined;
  }
  const people = opts.output === 'table' && !opts.quiet;
  return requireSucceeded(await followJob(conn, job.id, { logTo: people ? process.stdout : process.stderr }));
}
