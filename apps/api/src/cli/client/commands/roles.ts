import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { ServerRole } from '@overmind/sdk';
import { example } from '../../examples.js';
import { CliFailure } from '../../failures.js';
import { call, connect, type Connection } from '../api.js';
import { queued, type WaitOption } from '../jobs-output.js';
import { printList, printOne, withOutputOptions, type Columns, type OutputOptions } from '../output.js';
import { isUuid } from '../resolve.js';

const ROLE_COLUMNS: Columns<ServerRole> = [
  ['ID', (r) => r.id],
  ['NAME', (r) => r.name],
  ['RUN LIST', (r) => r.runList],
  ['MODE', (r) => r.configMode],
  ['NODES', (r) => r.nodeIds.length],
];

const ROLE_FIELDS: Columns<ServerRole> = [
  ['id', (r) => r.id],
  ['name', (r) => r.name],
  ['run list', (r) => r.runList],
  ['environment', (r) => r.environment],
  ['config mode', (r) => r.configMode],
  ['provider', (r) => r.providerId],
  ['image', (r) => r.imageId],
  ['size', (r) => r.sizeId],
  ['location', (r) => r.locationId],
  ['secret attributes', (r) => r.secretAttributeKeys],
  ['nodes', (r) => r.nodeIds],
];

async function findRole(conn: Connection, idOrName: string): Promise<ServerRole> {
  if (isUuid(idOrName)) return call(conn.client.raw.GET('/api/v1/server-roles/{id}', { params: { path: { id: idOrName } } }));
  const page = await call(conn.client.raw.GET('/api/v1/server-roles', { params: { query: { limit: 200 } } }));
  const role = page.items.find((r) => r.name === idOrName);
  if (!role) throw new CliFailure(`no server role named "${idOrName}"`);
  return role;
}

export function addRoleCommands(program: Command): void {
  const roles = program.command('roles').description('Server roles: what a kind of node runs (Chef run list, attributes, SSH login)');

  example(
    withOutputOptions(roles.command('list'))
      .description('List server roles')
      .action(async (opts: OutputOptions) => {
        const conn = await connect();
        printList((await call(conn.client.raw.GET('/api/v1/server-roles', { params: { query: { limit: 200 } } }))).items, ROLE_COLUMNS, opts);
      }),
    'overmind roles list',
  );

  example(
    withOutputOptions(roles.command('show <role>'))
      .description('Show one server role (by name or id)')
      .action(async (role: string, opts: OutputOptions) => {
        const conn = await connect();
        printOne(await findRole(conn, role), ROLE_FIELDS, opts);
      }),
    'overmind roles show web',
  );

  example(
    withOutputOptions(roles.command('apply <role>'))
      .description("Converge every node of the role now (queues a job)")
      .option('-w, --wait', 'follow the job to its end, streaming its log')
      .action(async (role: string, opts: OutputOptions & WaitOption) => {
        const conn = await connect();
        const target = await findRole(conn, role);
        await queued(conn, await call(conn.client.raw.POST('/api/v1/server-roles/{id}/apply', { params: { path: { id: target.id } } })), opts);
      }),
    'overmind roles apply web --wait',
  );
}

export function addKitchenCommands(program: Command): void {
  const kitchen = program.command('kitchen').description('The Chef kitchen (cookbooks, roles, environments) nodes converge from');

  example(
    kitchen
      .command('upload <archive>')
      .description('Upload a kitchen as a .tar.gz; prints what it holds and any problems found in it')
      .action(async (archive: string) => {
        const conn = await connect();
        const bytes = await readFile(archive);
        const result = await call(conn.client.raw.PUT('/api/v1/kitchen', {
          body: bytes as never,
          bodySerializer: (body: unknown) => body as never,
          headers: { 'content-type': 'application/gzip' },
        }));
        const summary = result as unknown as { recipes?: unknown[]; roles?: unknown[]; environments?: unknown[]; problems?: { file: string | null; message: string }[] };
        process.stdout.write(`uploaded: ${summary.recipes?.length ?? 0} recipe(s), ${summary.roles?.length ?? 0} role(s), ${summary.environments?.length ?? 0} environment(s)\n`);
        for (const p of summary.problems ?? []) process.stdout.write(`problem: ${p.file ?? '(kitchen)'}: ${p.message}\n`);
      }),
    'tar -czf kitchen.tar.gz -C chef-repo . && overmind kitchen upload kitchen.tar.gz',
  );
}
