import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Job, ListNodesQuery, Node } from '@overmind/sdk';
import { example } from '../../examples.js';
import { CliFailure } from '../../failures.js';
import { call, connect } from '../api.js';
import { followJob } from '../follow-job.js';
import { JOB_FIELDS, queued, type WaitOption } from '../jobs-output.js';
import { printList, printOne, withOutputOptions, type Columns, type OutputOptions } from '../output.js';
import { findNode, findProvider } from '../resolve.js';
import { collect, positiveInteger } from './parsers.js';

const NODE_COLUMNS: Columns<Node> = [
  ['ID', (n) => n.id],
  ['NAME', (n) => n.name],
  ['STATE', (n) => n.state],
  ['HEALTH', (n) => n.health],
  ['PUBLIC IP', (n) => n.publicIps[0]],
  ['PRIVATE IP', (n) => n.privateIps[0]],
  ['TAGS', (n) => n.tags],
];

const NODE_FIELDS: Columns<Node> = [
  ['id', (n) => n.id],
  ['name', (n) => n.name],
  ['state', (n) => n.state],
  ['health', (n) => n.health],
  ['provider', (n) => n.providerId],
  ['public ips', (n) => n.publicIps],
  ['private ips', (n) => n.privateIps],
  ['image', (n) => n.imageId],
  ['size', (n) => n.sizeId],
  ['location', (n) => n.locationId],
  ['tags', (n) => n.tags],
  ['agent', (n) => (n.agent ? `${n.agent.state} (${n.agent.id})` : null)],
  ['created', (n) => n.createdAt],
];

type Opts = OutputOptions & WaitOption;

function waitOption(command: Command): Command {
  return command.option('-w, --wait', 'follow the job to its end, streaming its log (Ctrl-C stops waiting, not the job)');
}

/** After a node's job with --wait: the node as it is now. */
async function showAfter(conn: Awaited<ReturnType<typeof connect>>, nodeId: string, job: Job | undefined, opts: Opts) {
  if (!job) return;
  if (job.type === 'node.destroy') return printOne(job, JOB_FIELDS, opts);
  printOne(await conn.client.getNode(nodeId), NODE_FIELDS, opts);
}

export function addNodeCommands(program: Command): void {
  const nodes = program.command('nodes').description('Machines on every provider: list, create, act on them, run commands');

  example(
    withOutputOptions(nodes.command('list'))
      .description('List nodes, filtered as in the API')
      .option('--state <state>', 'only nodes in this state (running, stopped, ...)')
      .option('--tag <tag>', 'only nodes with this tag')
      .option('--provider <provider>', 'only nodes of this provider (name or id)')
      .option('--health <health>', 'only nodes of this health (ok, warning, critical, unknown, stale)')
      .option('--search <text>', 'names containing this text')
      .option('--all', 'include destroyed and decommissioned nodes')
      .option('--limit <n>', 'at most this many (up to 200)', positiveInteger, 50)
      .option('--page <n>', 'page of --limit nodes', positiveInteger, 1)
      .action(async (opts: Opts & { state?: string; tag?: string; provider?: string; health?: string; search?: string; all?: boolean; limit: number; page: number }) => {
        const conn = await connect();
        const query: ListNodesQuery = { limit: opts.limit, page: opts.page };
        if (opts.state) query.state = opts.state as ListNodesQuery['state'];
        if (opts.tag) query.tag = opts.tag;
        if (opts.health) query.health = opts.health as ListNodesQuery['health'];
        if (opts.search) query.search = opts.search;
        if (opts.all) query.includeGone = true;
        if (opts.provider) query.providerId = (await findProvider(conn, opts.provider)).id;
        printList((await conn.client.listNodes(query)).items, NODE_COLUMNS, opts);
      }),
    'overmind nodes list --state running --tag web',
    'overmind nodes list --provider lab -o json | jq -r ".[].name"',
  );

  example(
    withOutputOptions(nodes.command('show <node>'))
      .description('Show one node (by name or id)')
      .action(async (node: string, opts: Opts) => {
        const conn = await connect();
        printOne(await findNode(conn, node), NODE_FIELDS, opts);
      }),
    'overmind nodes show web-1 -o yaml',
  );

  example(
    waitOption(withOutputOptions(nodes.command('create <name>')))
      .description('Create a node on a provider (queues a node.create job)')
      .requiredOption('--provider <provider>', 'provider name or id')
      .requiredOption('--image <image>', 'image id from the provider catalog')
      .requiredOption('--size <size>', 'size id from the provider catalog')
      .requiredOption('--location <location>', 'location id from the provider catalog')
      .option('--tag <tag>', 'a tag (repeat for more)', collect, [])
      .option('--ssh-key-file <file>', 'an SSH public key to install on the node')
      .option('--user-data-file <file>', 'cloud-init user data')
      .option('--network <network>', 'a network id from the provider catalog (repeat for more), or "auto" or "none" alone', collect, [])
      .option('--floating-ip', 'give the node a floating IP (OpenStack)')
      .option('--no-floating-ip', "no floating IP, whatever the provider's default")
      .action(async (name: string, opts: Opts & { provider: string; image: string; size: string; location: string; tag: string[]; sshKeyFile?: string; userDataFile?: string; network: string[]; floatingIp?: boolean }) => {
        const conn = await connect();
        const provider = await findProvider(conn, opts.provider);
        const job = await conn.client.createNode({
          providerId: provider.id,
          name,
          imageId: opts.image,
          sizeId: opts.size,
          locationId: opts.location,
          ...(opts.tag.length ? { tags: opts.tag } : {}),
          ...(opts.sshKeyFile ? { sshPublicKey: (await readFile(opts.sshKeyFile, 'utf8')).trim() } : {}),
          ...(opts.userDataFile ? { userData: await readFile(opts.userDataFile, 'utf8') } : {}),
          ...networkChoice(opts.network),
          ...(opts.floatingIp === undefined ? {} : { floatingIp: opts.floatingIp }),
        });
        await showAfter(conn, job.targetId, await queued(conn, job, opts), opts);
      }),
    'overmind nodes create web-1 --provider lab --image debian-12 --size small --location lab-1 --tag web --wait',
  );

  const actions = {
    reboot: ['Reboot a node', (c: Awaited<ReturnType<typeof connect>>, id: string) => c.client.rebootNode(id)],
    start: ['Start a stopped node', (c: Awaited<ReturnType<typeof connect>>, id: string) => c.client.startNode(id)],
    stop: ['Stop a running node', (c: Awaited<ReturnType<typeof connect>>, id: string) => c.client.stopNode(id)],
    destroy: ['Destroy a node (the machine is deleted at its provider)', (c: Awaited<ReturnType<typeof connect>>, id: string) => c.client.destroyNode(id)],
  } as const;
  for (const [verb, [description, act]] of Object.entries(actions)) {
    example(
      waitOption(withOutputOptions(nodes.command(`${verb} <node>`)))
        .description(`${description} (by name or id; queues a job)`)
        .action(async (node: string, opts: Opts) => {
          const conn = await connect();
          const target = await findNode(conn, node);
          await showAfter(conn, target.id, await queued(conn, await act(conn, target.id), opts), opts);
        }),
      `overmind nodes ${verb} web-1 --wait`,
    );
  }

  example(
    withOutputOptions(nodes.command('run <nodes...>'))
      .description('Run a shell command on nodes (registered servers, or nodes with an agent); its output streams as it comes')
      .requiredOption('-c, --command <command>', 'the command, run by each node\'s login shell')
      .option('--timeout <seconds>', 'per node', positiveInteger)
      .option('--concurrency <n>', 'most nodes at once', positiveInteger)
      .option('-w, --wait', 'follow the job, streaming the output; exit 1 unless every node exited 0')
      .action(async (names: string[], opts: Opts & { command: string; timeout?: number; concurrency?: number }) => {
        const conn = await connect();
        const nodeIds = await Promise.all(names.map(async (n) => (await findNode(conn, n)).id));
        const job = await call(conn.client.raw.POST('/api/v1/nodes/actions/run', {
          body: { nodeIds, command: opts.command, ...(opts.timeout ? { timeoutSeconds: opts.timeout } : {}), ...(opts.concurrency ? { concurrency: opts.concurrency } : {}) },
        }));
        if (!opts.wait) return printOne(job, JOB_FIELDS, opts);
        const people = opts.output === 'table' && !opts.quiet;
        const done = await followJob(conn, job.id, { logTo: people ? process.stdout : process.stderr });
        if (!people) printOne(done, JOB_FIELDS, opts);
        const results = ((done.result?.results ?? []) as { nodeId: string; exitCode: number | null; ok: boolean }[]);
        if (done.state !== 'succeeded') throw new CliFailure(`job ${done.id} ${done.state}${done.error ? `: ${done.error}` : ''}`);
        const failed = results.filter((r) => !r.ok);
        if (failed.length) throw new CliFailure(`${failed.length} of ${results.length} node(s) did not exit 0`);
      }),
    "overmind nodes run web-1 web-2 -c 'uptime' --wait",
  );
}

/** `--network a --network b` is a list; `--network auto` or `--network none` alone is that word. */
function networkChoice(networks: string[]): { networkIds?: string[] | 'auto' | 'none' } {
  if (networks.length === 0) return {};
  const [only] = networks;
  if (networks.length === 1 && (only === 'auto' || only === 'none')) return { networkIds: only };
  return { networkIds: networks };
}
