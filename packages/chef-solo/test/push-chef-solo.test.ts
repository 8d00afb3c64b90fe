import { access, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ApplyFailedError, ConfigurationInvalidError, type ApplyFailed, type CmHost } from '@overmind/cm';
import { SshSession } from '@overmind/ssh';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadKitchen, planChefSolo, pushChefSolo, type ChefNode, type ChefSoloOptions, type Kitchen } from '../src/index.js';
import { FIXTURE_KITCHEN, type FakeMode } from './support/remote-root.js';
import { useSshTarget } from './support/ssh-target.js';

const target = useSshTarget({ users: [{ sudo: 'password' }] });
let kitchen: Kitchen;
beforeAll(async () => {
  kitchen = await loadKitchen(FIXTURE_KITCHEN);
});

const exists = (p: string) => access(p).then(() => true, () => false);
const node: ChefNode = { name: 'web-1', runList: ['role[app]'], environment: 'production', attributes: { app: { replicas: 5 } } };
const settings = (mode: FakeMode = 'ok'): ChefSoloOptions => ({ chefSoloCommand: target.remote.command(mode), paths: target.remote.paths });

/** Records every command the push sends, to check that no secret is ever on a command line. */
function recording(host: CmHost): { host: CmHost; commands: string[] } {
  const commands: string[] = [];
  return {
    commands,
    host: {
      endpoint: host.endpoint,
      exec: (command, options) => (commands.push(command), host.exec(command, options)),
      writeFile: (...args) => host.writeFile(...args),
      upload: (...args) => host.upload(...args),
    },
  };
}

async function expectSecretsRemoved(): Promise<void> {
  expect(await exists(join(target.remote.paths.configDir, 'node.json'))).toBe(false);
  // The node object chef-solo saved from node.json.
  expect(await exists(join(target.remote.paths.stagingDir, 'nodes'))).toBe(false);
  expect(await exists(join(target.remote.paths.stagingDir, 'data_bags'))).toBe(false);
  expect(await readdir(target.remote.paths.tempDir)).toEqual([]);
}

describe('pushChefSolo', () => {
  it('pushes the kitchen, runs chef-solo with the merged node.json, and removes secrets afterwards', async () => {
    const lines: string[] = [];
    const { host, commands } = recording(target.session);
    const result = await pushChefSolo(host, kitchen, node, { ...settings(), extraArgs: ['--chef-license', 'accept'] }, { log: (l) => lines.push(l) });

    expect(result).toMatchObject({ ok: true, summary: 'Chef Infra Client finished, 4/4 resources updated in 01 seconds' });
    expect(result.steps.map((s) => `${s.name}:${s.status}`)).toEqual(['resolve:ok', 'check-tool:ok', 'upload-kitchen:ok', 'write-config:ok', 'converge:ok', 'cleanup:ok']);
    expect(lines).toEqual(expect.arrayContaining(['==> converge', 'Starting Chef Infra Client, version 18.4.12', 'Converging 4 resources']));

    const [report] = await target.remote.reports();
    expect(report!.problems).toEqual([]);
    expect(report!.uid).toBe(0);
    expect(report!.argv).toEqual(expect.arrayContaining(['-c', join(target.remote.paths.configDir, 'solo.rb'), '-j', join(target.remote.paths.configDir, 'node.json'), '--environment', 'production', '--force-formatter', '--chef-license', 'accept']));
    expect(report!.config).toEqual({
      node_name: 'web-1',
      cookbook_path: [join(target.remote.paths.stagingDir, 'cookbooks'), join(target.remote.paths.stagingDir, 'site-cookbooks')],
      role_path: join(target.remote.paths.stagingDir, 'roles'),
      environment_path: join(target.remote.paths.stagingDir, 'environments'),
      data_bag_path: join(target.remote.paths.stagingDir, 'data_bags'),
      node_path: join(target.remote.paths.stagingDir, 'nodes'),
      file_cache_path: target.remote.paths.fileCacheDir,
      log_location: target.remote.paths.logFile,
    });
    // node.json: the run list and the merged attributes, readable by root only while it exists.
    expect(report!.nodeJsonMode).toBe(0o600);
    expect(report!.node).toEqual({ ...planChefSolo(kitchen, node, settings()).attributes, run_list: ['role[app]'] });
    expect(report!.node).toMatchObject({ nginx: { port: 443, workers: 2, gzip: true }, app: { replicas: 5, debug: false, name: 'shop' } });
    expect(report!.recipes).toEqual(['base::default', 'base::users', 'nginx::default', 'app::deploy']);
    expect(report!.cookbooks).toEqual({
      [join(target.remote.paths.stagingDir, 'cookbooks')]: ['base', 'nginx', 'openssl'],
      [join(target.remote.paths.stagingDir, 'site-cookbooks')]: ['app'],
    });
    expect(report!.dataBags).toEqual({ secrets: { 'api.json': { id: 'api', token: 's3cr3t-token' } }, users: { 'alice.json': expect.objectContaining({ id: 'alice' }) } });

    await expectSecretsRemoved();
    expect((await stat(join(target.remote.paths.configDir, 'solo.rb'))).mode & 0o777).toBe(0o644);
    expect(await readFile(target.remote.paths.logFile, 'utf8')).toContain('fake run 1 for node web-1');
    expect(commands.join('\n')).not.toMatch(/s3cr3t|replicas|shop/);
  });

  it('hands secret attributes to chef-solo only inside node.json: never on a command line or in the log, gone after the run', async () => {
    const secret = `root-pw-${Date.now()}`;
    const lines: string[] = [];
    const { host, commands } = recording(target.session);
    const withSecrets: ChefNode = { ...node, attributes: { app: { replicas: 5, db: { user: 'shop' } } }, secretAttributes: { app: { db: { password: secret } }, mysql: { root_password: secret } } };
    const result = await pushChefSolo(host, kitchen, withSecrets, settings(), { log: (l) => lines.push(l) });
    expect(result.ok).toBe(true);

    const [report] = await target.remote.reports();
    // Merged deeply over the plain attributes, at the node (normal) level.
    expect(report!.node).toMatchObject({ app: { replicas: 5, name: 'shop', db: { user: 'shop', password: secret } }, mysql: { root_password: secret } });
    expect(report!.nodeJsonMode).toBe(0o600);
    await expectSecretsRemoved();
    expect(commands.join('\n')).not.toContain(secret);
    expect(lines.join('\n')).not.toContain(secret);
    expect(JSON.stringify(result)).not.toContain(secret);
  });

  it('reports a failed chef-solo run with its last lines, and still removes node.json and data bags', async () => {
    const result = await pushChefSolo(target.session, kitchen, node, settings('fail'));
    expect(result.ok).toBe(false);
    const { failedStep, error, steps } = result as ApplyFailed;
    expect(failedStep).toBe('converge');
    expect(error).toBeInstanceOf(ApplyFailedError);
    expect(error).toMatchObject({ step: 'converge', exitCode: 1 });
    expect((error as ApplyFailedError).lastLines.at(-1)).toMatch(/FATAL: Mixlib::ShellOut::ShellCommandFailed/);
    expect(steps.map((s) => `${s.name}:${s.status}`)).toEqual(['resolve:ok', 'check-tool:ok', 'upload-kitchen:ok', 'write-config:ok', 'converge:failed', 'cleanup:ok']);
    expect((await target.remote.reports())[0]!.nodeJsonMode).toBe(0o600);
    await expectSecretsRemoved();
  });

  it('is idempotent: a second push replaces the staged kitchen and rotates the previous log', async () => {
    expect((await pushChefSolo(target.session, kitchen, node, settings())).ok).toBe(true);
    const second = await pushChefSolo(target.session, kitchen, { ...node, runList: ['role[web]'], environment: null }, settings());
    expect(second.ok).toBe(true);

    const reports = await target.remote.reports();
    expect(reports.map((r) => r.run)).toEqual([1, 2]);
    expect(reports[1]!.argv).not.toContain('--environment');
    expect(reports[1]!.node.run_list).toEqual(['role[web]']);
    expect(await readdir(join(target.remote.paths.stagingDir, 'site-cookbooks'))).toEqual([]);
    const log = await readFile(target.remote.paths.logFile, 'utf8');
    const previous = await readFile(`${target.remote.paths.logFile}.1`, 'utf8');
    expect(log).toContain('fake run 2');
    expect(log).not.toContain('fake run 1');
    expect(previous).toContain('fake run 1');
    await expectSecretsRemoved();
  });

  it('fails at resolve, touching nothing on the node, when the run list does not resolve', async () => {
    const result = await pushChefSolo(target.session, kitchen, { ...node, runList: ['role[db]'], environment: 'moon' }, settings());
    expect(result.ok).toBe(false);
    const failed = result as ApplyFailed;
    expect(failed.failedStep).toBe('resolve');
    expect(failed.error).toBeInstanceOf(ConfigurationInvalidError);
    expect((failed.error as ConfigurationInvalidError).problems.map((p) => p.message)).toEqual([
      'environment "moon" is not in the kitchen',
      'role[db] names a role that is not in the kitchen',
    ]);
    expect(failed.steps.map((s) => s.status)).toEqual(['failed', 'skipped', 'skipped', 'skipped', 'skipped', 'ok']);
    expect(await target.remote.reports()).toEqual([]);
    expect(await exists(target.remote.paths.stagingDir)).toBe(false);
  });

  it('runs chef-solo as root through sudo (password on stdin) for a non-root login', async () => {
    const user = new SshSession(target.sshd.users[0]!.target());
    await user.connect();
    try {
      const { host, commands } = recording(user);
      const result = await pushChefSolo(host, kitchen, node, settings());
      expect(result.ok).toBe(true);
      expect((await target.remote.reports())[0]).toMatchObject({ uid: 0, nodeJsonMode: 0o600, problems: [] });
      await expectSecretsRemoved();
      expect(commands.join('\n')).not.toContain(target.sshd.users[0]!.password);
    } finally {
      await user.close();
    }
  });
});
