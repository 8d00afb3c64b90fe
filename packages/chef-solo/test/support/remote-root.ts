/**
 * A per-test "remote" filesystem root for pushes to the loopback sshd (the target is this machine,
 * so tests read what the push left directly from disk), with wrapper scripts that run the fake
 * chef-solo in a given mode and a directory where it leaves its reports.
 */
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChefSoloPaths } from '../../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
export const FIXTURE_KITCHEN = join(here, '..', 'fixtures', 'kitchen');
const FAKE_CHEF_SOLO = join(here, '..', 'fixtures', 'fake-chef-solo.mjs');

export type FakeMode = 'ok' | 'fail' | 'no-summary';

/** What the fake chef-solo saw on the node (see fixtures/fake-chef-solo.mjs). */
export interface FakeReport {
  run: number;
  argv: string[];
  uid: number;
  environment: string | null;
  config: Record<string, string | string[]>;
  node: Record<string, unknown> & { run_list: string[] };
  nodeJsonMode: number;
  recipes: string[];
  cookbooks: Record<string, string[]>;
  roles: string[];
  environments: string[];
  dataBags: Record<string, Record<string, unknown>>;
  problems: string[];
}

export interface RemoteRoot {
  dir: string;
  paths: ChefSoloPaths;
  /** Path of an executable that behaves like chef-solo in `mode`. */
  command(mode?: FakeMode): string;
  reports(): Promise<FakeReport[]>;
  remove(): Promise<void>;
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export async function makeRemoteRoot(): Promise<RemoteRoot> {
  const dir = await mkdtemp(join(tmpdir(), 'overmind-chef-remote-'));
  // Traversable by the throwaway non-root login users; their uploads go to a sticky tmp.
  await chmod(dir, 0o755);
  const paths: ChefSoloPaths = {
    stagingDir: join(dir, 'var/chef/kitchen'),
    configDir: join(dir, 'etc/chef'),
    fileCacheDir: join(dir, 'var/chef/cache'),
    logFile: join(dir, 'var/log/chef/chef-solo.log'),
    tempDir: join(dir, 'tmp'),
  };
  await mkdir(paths.tempDir);
  await chmod(paths.tempDir, 0o1777);
  const reportDir = join(dir, 'reports');
  const bin = join(dir, 'bin');
  await mkdir(reportDir);
  await mkdir(bin, { mode: 0o755 });
  for (const mode of ['ok', 'fail', 'no-summary'] as const) {
    const script = `#!/bin/sh\nexec ${q(process.execPath)} ${q(FAKE_CHEF_SOLO)} --fake-report-dir ${q(reportDir)} --fake-mode ${mode} "$@"\n`;
    await writeFile(join(bin, `chef-solo-${mode}`), script, { mode: 0o755 });
  }
  return {
    dir,
    paths,
    command: (mode = 'ok') => join(bin, `chef-solo-${mode}`),
    async reports() {
      const files = (await readdir(reportDir)).sort();
      return Promise.all(files.map(async (f) => JSON.parse(await readFile(join(reportDir, f), 'utf8')) as FakeReport));
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** A writable copy of the fixture kitchen, for tests that break it. */
export async function copyFixtureKitchen(): Promise<{ dir: string; remove(): Promise<void> }> {
  const parent = await mkdtemp(join(tmpdir(), 'overmind-kitchen-'));
  const dir = join(parent, 'kitchen');
  await cp(FIXTURE_KITCHEN, dir, { recursive: true });
  return { dir, remove: () => rm(parent, { recursive: true, force: true }) };
}
