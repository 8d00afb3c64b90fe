import type { Command } from 'commander';
import type { ListJobsQuery } from '@overmind/sdk';
import { example } from '../../examples.js';
import { call, connect } from '../api.js';
import { followJob } from '../follow-job.js';
import { JOB_COLUMNS, JOB_FIELDS, requireSucceeded } from '../jobs-output.js';
import { printList, printOne, withOutputOptions, type OutputOptions } from '../output.js';
import { isUuid } from '../resolve.js';
import { UsageError } from '../../failures.js';
import { positiveInteger } from './parsers.js';

function jobId(value: string): string {
  if (!isUuid(value)) throw new UsageError(`"${value}" is not a job id`);
  return value;
}

export function addJobCommands(program: Command): void {
  const jobs = program.command('jobs').description('Work Overmind does in the background: creates, reboots, syncs, commands');

  example(
    withOutputOptions(jobs.command('list'))
      .description('List jobs, newest first')
      .option('--state <state>', 'queued, running, succeeded, failed or cancelled')
      .option('--type <type>', 'e.g. node.create, provider.sync, node.command')
      .option('--target <id>', 'jobs of this node or provider')
      .option('--limit <n>', 'at most this many (up to 200)', positiveInteger, 50)
      .action(async (opts: OutputOptions & { state?: string; type?: string; target?: string; limit: number }) => {
        const conn = await connect();
        const query: ListJobsQuery = { limit: opts.limit };
        if (opts.state) query.state = opts.state as ListJobsQuery['state'];
        if (opts.type) query.type = opts.type as ListJobsQuery['type'];
        if (opts.target) query.target = opts.target;
        printList((await conn.client.listJobs(query)).items, JOB_COLUMNS, opts);
      }),
    'overmind jobs list --state failed',
  );

  example(
    withOutputOptions(jobs.command('show <job>'))
      .description('Show one job')
      .action(async (id: string, opts: OutputOptions) => {
        const conn = await connect();
        printOne(await conn.client.getJob(jobId(id)), JOB_FIELDS, opts);
      }),
    'overmind jobs show 1f0c6b2e-8a4d-4c9e-9d51-2b7c3e0a9f10',
  );

  example(
    jobs
      .command('logs <job>')
      .description("Print a job's log; with --follow, keep printing until it ends (exit 1 unless it succeeded)")
      .option('-f, --follow', 'follow the job to its end (Ctrl-C stops following, not the job)')
      .action(async (id: string, opts: { follow?: boolean }) => {
        const conn = await connect();
        if (opts.follow) {
          requireSucceeded(await followJob(conn, jobId(id), { logTo: process.stdout }));
          return;
        }
        let after = 0;
        for (;;) {
          const page = await conn.client.getJobLogs(jobId(id), after);
          process.stdout.write(page.items.map((l) => `${l.line}\n`).join(''));
          if (page.items.length < 1000) break;
          after = Number(page.items.at(-1)!.id);
        }
      }),
    'overmind jobs logs 1f0c6b2e-8a4d-4c9e-9d51-2b7c3e0a9f10 --follow',
  );

  example(
    withOutputOptions(jobs.command('cancel <job>'))
      .description('Cancel a queued or running job')
      .action(async (id: string, opts: OutputOptions) => {
        const conn = await connect();
        printOne(await call(conn.client.raw.POST('/api/v1/jobs/{id}/cancel', { params: { path: { id: jobId(id) } } })), JOB_FIELDS, opts);
      }),
    'overmind jobs cancel 1f0c6b2e-8a4d-4c9e-9d51-2b7c3e0a9f10',
  );
}
