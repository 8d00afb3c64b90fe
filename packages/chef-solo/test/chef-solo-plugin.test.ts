import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { CmRegistry, ToolMissingError, type CmPlugin, type CmTarget } from '@overmind/cm';
import { beforeAll, describe, expect, it } from 'vitest';
import { chefSoloPlugin, type ChefSoloSettings } from '../src/index.js';
import { FIXTURE_KITCHEN, type RemoteRoot } from './support/remote-root.js';
import { useSshTarget } from './support/ssh-target.js';

const registry = new CmRegistry({ 'chef-solo': async () => chefSoloPlugin });
const ssh = useSshTarget({ perFile: true });
let remote: RemoteRoot;
let plugin: CmPlugin;
let target: CmTarget;

beforeAll(async () => {
  remote = ssh.remote;
  const settings: ChefSoloSettings = { kitchenDir: FIXTURE_KITCHEN, chefSoloCommand: remote.command(), paths: remote.paths };
  plugin = (await registry.get('chef-solo')).create(settings);
  target = { name: 'web-1', host: ssh.session };
});

describe('the chef-solo CM plugin', () => {
  it('describes the roles, recipes and environments of its kitchen', async () => {
    const description = await plugin.describe();
    expect(description.kind).toBe('chef-solo');
    expect(description.problems).toEqual([]);
    expect(description.items.filter((i) => i.type === 'role')).toEqual([
      { name: 'role[app]', type: 'role', description: 'The shop' },
      { name: 'role[base]', type: 'role', description: 'Every server' },
      { name: 'role[web]', type: 'role', description: 'nginx front end' },
    ]);
    expect(description.items.filter((i) => i.type === 'recipe').map((i) => i.name)).toEqual([
      'recipe[base]',
      'recipe[base::users]',
      'recipe[nginx]',
      'recipe[nginx::debug]',
      'recipe[openssl]',
      'recipe[unused]',
      'recipe[app]',
      'recipe[app::deploy]',
    ]);
    expect(description.items.find((i) => i.name === 'recipe[nginx]')!.description).toBe('Installs and configures nginx');
    expect(description.environments).toEqual([
      { name: 'production', description: 'Live' },
      { name: 'staging', description: null },
    ]);
  });

  it('validates a configuration without touching a node', async () => {
    expect(await plugin.validate({ runList: ['role[web]', 'recipe[app::deploy]'], environment: 'staging' })).toEqual([]);
    expect(await plugin.validate({ runList: ['role[nope]'] })).toEqual([{ file: null, message: 'role[nope] names a role that is not in the kitchen' }]);
  });

  it('prepares the node (tool present) and applies a configuration', async () => {
    expect(await plugin.prepare(target)).toEqual({ tool: 'chef-solo', version: '18.4.12', installed: false });
    const result = await plugin.apply(target, { runList: ['role[web]'], attributes: { nginx: { port: 8080 } }, environment: 'staging' });
    expect(result.ok).toBe(true);
    const [report] = await remote.reports();
    expect(report!.node).toMatchObject({ run_list: ['role[web]'], nginx: { port: 8080, workers: 2, gzip: true } });
    expect(report!.recipes).toContain('nginx::debug');
    expect(report!.config.node_name).toBe('web-1');
  });

  it('merges secret attributes over the plain ones into node.json', async () => {
    const result = await plugin.apply(target, {
      runList: ['role[web]'],
      attributes: { nginx: { port: 8080 }, mysql: { port: 3306 } },
      secretAttributes: { mysql: { root_password: 'root-secret' } },
    });
    expect(result.ok).toBe(true);
    expect((await remote.reports()).at(-1)!.node).toMatchObject({ nginx: { port: 8080 }, mysql: { port: 3306, root_password: 'root-secret' } });
    await expect(access(join(remote.paths.configDir, 'node.json'))).rejects.toThrow();
  });

  it('fails prepare with ToolMissingError when chef-solo is absent', async () => {
    const missing = chefSoloPlugin.create({ kitchenDir: FIXTURE_KITCHEN, chefSoloCommand: join(remote.dir, 'no-chef'), paths: remote.paths });
    await expect(missing.prepare(target)).rejects.toBeInstanceOf(ToolMissingError);
  });

  it('reports an unreadable kitchen as a failed resolve step instead of rejecting', async () => {
    const broken = chefSoloPlugin.create({ kitchenDir: join(remote.dir, 'no-kitchen'), paths: remote.paths });
    const result = await broken.apply(target, { runList: ['role[web]'] });
    expect(result).toMatchObject({ ok: false, failedStep: 'resolve' });
    expect(!result.ok && result.error.message).toMatch(/ENOENT/);
    await expect(access(join(remote.paths.stagingDir, 'data_bags'))).rejects.toThrow();
  });

  it('refuses relative remote paths when created', () => {
    expect(() => chefSoloPlugin.create({ kitchenDir: FIXTURE_KITCHEN, paths: { configDir: 'etc/chef' } })).toThrow(/configDir must be an absolute path/);
  });
});
