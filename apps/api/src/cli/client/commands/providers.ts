import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Provider } from '@overmind/sdk';
import { parse } from 'yaml';
import { example } from '../../examples.js';
import { UsageError } from '../../failures.js';
import { call, connect } from '../api.js';
import { followJob } from '../follow-job.js';
import { JOB_FIELDS, queued, requireSucceeded, type WaitOption } from '../jobs-output.js';
import { note, printList, printOne, withOutputOptions, type Columns, type OutputOptions } from '../output.js';
import { readStdin } from '../prompt.js';
import { findProvider } from '../resolve.js';
import { keyValue, positiveInteger } from './parsers.js';

const PROVIDER_COLUMNS: Columns<Provider> = [
  ['ID', (p) => p.id],
  ['NAME', (p) => p.name],
  ['TYPE', (p) => p.type],
  ['STATUS', (p) => p.status],
  ['NODES', (p) => p.nodeCount],
  ['LAST SYNC', (p) => p.lastSyncAt],
];

const PROVIDER_FIELDS: Columns<Provider> = [
  ['id', (p) => p.id],
  ['name', (p) => p.name],
  ['type', (p) => p.type],
  ['status', (p) => (p.statusMessage ? `${p.status}: ${p.statusMessage}` : p.status)],
  ['nodes', (p) => p.nodeCount],
  ['settings', (p) => p.settings],
  ['sync every', (p) => `${p.syncIntervalSeconds} s`],
  ['last sync', (p) => (p.lastSyncAt ? `${p.lastSyncAt} (${p.lastSyncStatus})` : null)],
  ['catalog', (p) => p.catalogRefreshedAt],
  ['created', (p) => p.createdAt],
];

type Opts = OutputOptions & WaitOption;

/** Credentials are secrets: read from a file or standard input (JSON or YAML), never from the command line. */
async function readCredentials(source: string): Promise<Record<string, unknown>> {
  const text = source === '-' ? await readStdin() : await readFile(source, 'utf8');
  const value: unknown = parse(text);
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new UsageError(`the credentials in ${source === '-' ? 'standard input' : source} are not an object of fields`);
  return value as Record<string, unknown>;
}

export function addProviderCommands(program: Command): void {
  const providers = program.command('providers').description('Clouds, hypervisors and racks Overmind manages nodes on');

  example(
    withOutputOptions(providers.command('list'))
      .description('List providers')
      .option('--type <type>', 'only providers of this type (dummy, ec2, digitalocean, openstack, libvirt, dedicated)')
      .option('--search <text>', 'names containing this text')
      .action(async (opts: Opts & { type?: string; search?: string }) => {
        const conn = await connect();
        const page = await conn.client.listProviders({ limit: 200, ...(opts.type ? { type: opts.type } : {}), ...(opts.search ? { search: opts.search } : {}) });
        printList(page.items, PROVIDER_COLUMNS, opts);
      }),
    'overmind providers list --type ec2',
  );

  example(
    withOutputOptions(providers.command('show <provider>'))
      .description('Show one provider (by name or id)')
      .action(async (provider: string, opts: Opts) => {
        const conn = await connect();
        printOne(await findProvider(conn, provider), PROVIDER_FIELDS, opts);
      }),
    'overmind providers show lab',
  );

  example(
    withOutputOptions(providers.command('add <name>'))
      .description('Add a provider; its credentials are checked, then its catalog and nodes are read')
      .requiredOption('--type <type>', 'dummy, ec2, digitalocean, openstack, libvirt, dedicated')
      .requiredOption('--credentials <file>', 'a JSON or YAML file of the credentials ("-": standard input)')
      .option('--setting <key=value>', 'a setting (repeat for more; values read as JSON when they are)', keyValue, {})
      .option('--sync-interval <seconds>', 'how often its nodes are read', positiveInteger)
      .option('-w, --wait', 'wait for the first catalog refresh and sync')
      .action(async (name: string, opts: Opts & { type: string; credentials: string; setting: Record<string, unknown>; syncInterval?: number }) => {
        const conn = await connect();
        const credentials = await readCredentials(opts.credentials);
        const provider = await conn.client.createProvider({
          name,
          type: opts.type,
          credentials,
          ...(Object.keys(opts.setting).length ? { settings: opts.setting } : {}),
          ...(opts.syncInterval ? { syncIntervalSeconds: opts.syncInterval } : {}),
        } as Parameters<typeof conn.client.createProvider>[0]);
        if (opts.wait) {
          // Adding queues a catalog refresh and a sync; both must have run before nodes can be created.
          const jobs = (await conn.client.listJobs({ target: provider.id, limit: 200 })).items;
          for (const job of jobs) {
            note(`waiting for ${job.type} (job ${job.id})`);
            requireSucceeded(await followJob(conn, job.id, { logTo: process.stderr }));
          }
        }
        printOne(await conn.client.getProvider(provider.id), PROVIDER_FIELDS, opts);
      }),
    'overmind providers add lab --type dummy --credentials lab.yaml --wait',
    "printf 'apiKey: %s\\n' \"$KEY\" | overmind providers add lab --type dummy --credentials -",
  );

  example(
    withOutputOptions(providers.command('sync <provider>'))
      .description("Read the provider's nodes now (queues a provider.sync job)")
      .option('-w, --wait', 'follow the job to its end')
      .action(async (provider: string, opts: Opts) => {
        const conn = await connect();
        const target = await findProvider(conn, provider);
        const job = await call(conn.client.raw.POST('/api/v1/providers/{id}/sync', { params: { path: { id: target.id } } }));
        const done = await queued(conn, job, opts);
        if (done) printOne(done, JOB_FIELDS, opts);
      }),
    'overmind providers sync lab --wait',
  );
}
