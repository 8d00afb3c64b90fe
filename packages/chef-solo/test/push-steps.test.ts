import { access, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ApplyFailedError, ToolMissingError, type CmHost } from '@overmind/cm';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createWorkDir,
  ensureChefSolo,
  loadKitchen,
  resolveOptions,
  runChefSolo,
  soloRb,
  uploadKitchen,
  writeChefConfig,
  type Kitchen,
  type ResolvedChefSoloOptions,
} from '../src/index.js';
import { FIXTURE_KITCHEN } from './support/remote-root.js';
import { useSshTarget } from './support/ssh-target.js';

const target = useSshTarget();
let kitchen: Kitchen;
beforeAll(async () => {
  kitchen = await loadKitchen(FIXTURE_KITCHEN);
});

// The contract's host is what an SshSession already is.
const host = (): CmHost => target.session;
const options = (overrides: Parameters<typeof resolveOptions>[0] = {}): ResolvedChefSoloOptions =>
  resolveOptions({ chefSoloCommand: target.remote.command(), paths: target.remote.paths, ...overrides });
const exists = (p: string) => access(p).then(() => true, () => false);

async function rejection<E>(promise: Promise<unknown>): Promise<E> {
  try {
    await promise;
  } catch (err) {
    return err as E;
  }
  throw new Error('expected a rejection');
}

describe('check-tool', () => {
  it('reports the version chef-solo prints', async () => {
    expect(await ensureChefSolo(host(), options())).toEqual({ version: '18.4.12', installed: false });
  });

  it('fails with ToolMissingError when chef-solo is missing and nothing installs it', async () => {
    const err = await rejection<ToolMissingError>(ensureChefSolo(host(), options({ chefSoloCommand: join(target.remote.dir, 'bin/none') })));
    expect(err).toBeInstanceOf(ToolMissingError);
    expect(err.message).toMatch(new RegExp(`chef-solo is not available on ${target.sshd.username}@127\\.0\\.0\\.1:\\d+: .*bin/none': command not found.*no install command is configured`));
  });

  it('runs the install command when chef-solo is missing, streaming its output', async () => {
    const installed = join(target.remote.dir, 'opt/chef/bin/chef-solo');
    const lines: string[] = [];
    const installCommand = `echo 'Installing Chef Infra Client 18.4.12'; mkdir -p '${join(target.remote.dir, 'opt/chef/bin')}' && cp '${target.remote.command()}' '${installed}'`;
    const tool = await ensureChefSolo(host(), options({ chefSoloCommand: installed, installCommand }), { log: (l) => lines.push(l) });
    expect(tool).toEqual({ version: '18.4.12', installed: true });
    expect(lines).toContain('Installing Chef Infra Client 18.4.12');
    expect(await exists(installed)).toBe(true);
  });

  it('fails the step with the exit code when the install command fails', async () => {
    const installCommand = 'echo "download failed" >&2; exit 7';
    const err = await rejection<ApplyFailedError>(ensureChefSolo(host(), options({ chefSoloCommand: join(target.remote.dir, 'none'), installCommand })));
    expect(err).toBeInstanceOf(ApplyFailedError);
    expect(err).toMatchObject({ step: 'check-tool', exitCode: 7, lastLines: ['download failed'] });
  });
});

describe('upload-kitchen', () => {
  it('unpacks only the needed cookbooks with roles, environments and data bags, replacing the old staging dir whole', async () => {
    const { stagingDir } = target.remote.paths;
    const workDir = await createWorkDir(host(), options());
    expect((await stat(workDir)).mode & 0o777).toBe(0o700);
    await uploadKitchen(host(), kitchen, ['base', 'openssl', 'nginx', 'app'], workDir, options());
    expect((await readdir(join(stagingDir, 'cookbooks'))).sort()).toEqual(['base', 'nginx', 'openssl']);
    expect(await readdir(join(stagingDir, 'site-cookbooks'))).toEqual(['app']);
    expect((await readdir(join(stagingDir, 'roles'))).sort()).toEqual(['app.json', 'base.json', 'web.json']);
    expect(await readdir(join(stagingDir, 'data_bags'))).toEqual(['secrets', 'users']);
    expect(await readFile(join(stagingDir, 'cookbooks/nginx/metadata.rb'), 'utf8')).toContain("depends 'base'");
    expect(await readdir(workDir)).toEqual([]); // the archive is gone once unpacked

    await writeFile(join(stagingDir, 'cookbooks/stale-file'), 'left from an old push');
    await uploadKitchen(host(), kitchen, ['base'], workDir, options());
    expect(await readdir(join(stagingDir, 'cookbooks'))).toEqual(['base']);
    expect(await readdir(join(stagingDir, 'site-cookbooks'))).toEqual([]);
    expect((await readdir(join(stagingDir, '..'))).sort()).toEqual(['kitchen']);
  });
});

describe('converge', () => {
  async function configured(mode: 'fail' | 'no-summary') {
    const settings = options({ chefSoloCommand: target.remote.command(mode) });
    const workDir = await createWorkDir(host(), settings);
    await uploadKitchen(host(), kitchen, ['base'], workDir, settings);
    await writeChefConfig(host(), { soloRb: soloRb(settings, 'web-1'), nodeJson: '{"run_list": ["recipe[base]"]}' }, workDir, settings);
    return settings;
  }

  it('fails with the exit code and the last lines, the FATAL line as the reason', async () => {
    const lines: string[] = [];
    const err = await rejection<ApplyFailedError>(runChefSolo(host(), null, await configured('fail'), { log: (l) => lines.push(l) }));
    expect(err).toBeInstanceOf(ApplyFailedError);
    expect(err.step).toBe('converge');
    expect(err.exitCode).toBe(1);
    expect(err.message).toMatch(/^Step "converge" failed: chef-solo exited with code 1: .*FATAL: Mixlib::ShellOut::ShellCommandFailed: execute\[reload nginx\]/);
    expect(err.lastLines.at(-1)).toMatch(/FATAL: Mixlib::ShellOut::ShellCommandFailed/);
    expect(err.lastLines).toContain('Chef Infra Client failed. 0 resources updated in 01 seconds');
    expect(err.lastLines.length).toBeLessThanOrEqual(20);
    expect(lines).toContain('Converging 1 resources');
  });

  it('fails a run that exits 0 without Chef\'s completion line', async () => {
    const err = await rejection<ApplyFailedError>(runChefSolo(host(), null, await configured('no-summary')));
    expect(err).toMatchObject({ step: 'converge', exitCode: 0 });
    expect(err.message).toMatch(/exited with code 0 but never printed "Chef Infra Client finished"/);
  });
});
