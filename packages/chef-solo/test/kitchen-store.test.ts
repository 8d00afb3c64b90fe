import { access, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ConfigurationInvalidError } from '@overmind/cm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KitchenStore, unsafeEntryReason } from '../src/index.js';
import { copyFixtureKitchen, FIXTURE_KITCHEN } from './support/remote-root.js';
import { rawTarGz, tarGzOf } from './support/tar-builder.js';

const KITCHEN_PATHS = ['cookbooks', 'site-cookbooks', 'roles', 'environments', 'data_bags'];
const exists = (p: string) => access(p).then(() => true, () => false);

let root: string;
let store: KitchenStore;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'overmind-store-'));
  store = new KitchenStore(join(root, 'store'), { keepReleases: 2 });
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function refusal(source: Buffer | string): Promise<ConfigurationInvalidError> {
  const err = await store.replaceFromArchive(typeof source === 'string' ? source : Readable.from([source])).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ConfigurationInvalidError);
  return err as ConfigurationInvalidError;
}

describe('KitchenStore', () => {
  it('starts empty, then makes a valid upload current through a symlink', async () => {
    expect(await store.load()).toBeNull();
    const archive = join(root, 'kitchen.tar.gz');
    await writeFile(archive, await tarGzOf(FIXTURE_KITCHEN, KITCHEN_PATHS));
    const kitchen = await store.replaceFromArchive(archive);
    expect([...kitchen.roles.keys()].sort()).toEqual(['app', 'base', 'web']);
    expect(await readlink(store.currentDir)).toMatch(/^releases\/\d{8}T\d{9}Z-\w{6}$/);
    expect((await store.load())!.cookbooks.size).toBe(5);
  });

  it('keeps the previous kitchen when an upload is invalid, listing every problem', async () => {
    await store.replaceFromArchive(Readable.from([await tarGzOf(FIXTURE_KITCHEN, KITCHEN_PATHS)]));
    const before = await readlink(store.currentDir);

    const copy = await copyFixtureKitchen();
    await writeFile(join(copy.dir, 'roles/web.json'), '{ "run_list": ["recipe[nginx]" }');
    await writeFile(join(copy.dir, 'roles/db.json'), '{ "run_list": ["recipe[postgres]"] }');
    const bad = await tarGzOf(copy.dir, KITCHEN_PATHS);
    await copy.remove();

    const err = await refusal(bad);
    expect(err.problems).toEqual([
      { file: 'roles/web.json', line: 1, column: 32, message: 'invalid JSON: comma expected' },
      // app includes the now unreadable web role.
      { file: 'roles/app.json', message: 'run_list: role[web] names a role that is not in the kitchen' },
      { file: 'roles/db.json', message: 'run_list: recipe[postgres] names cookbook "postgres", which is not in the kitchen' },
    ]);
    expect(await readlink(store.currentDir)).toBe(before);
    expect((await store.load())!.roles.get('web')!.runList).toEqual(['role[base]', 'recipe[nginx]']);
    expect(await readdir(join(store.root, 'releases'))).toEqual([before.split('/')[1]]);
  });

  it('refuses archives with entries escaping the target, writing nothing outside it', async () => {
    await store.replaceFromArchive(Readable.from([await tarGzOf(FIXTURE_KITCHEN, KITCHEN_PATHS)]));
    const before = await readlink(store.currentDir);
    const outside = `overmind-escape-${process.pid}-${Date.now()}`;
    const hostile = rawTarGz([
      { path: 'roles/', type: 'Directory' },
      { path: 'roles/ok.json', body: '{"run_list": []}' },
      { path: `../../${outside}`, body: 'escaped' },
      { path: `/tmp/${outside}`, body: 'absolute' },
      { path: 'cookbooks/evil', type: 'SymbolicLink', linkpath: '/etc' },
      { path: 'cookbooks/sneaky', type: 'SymbolicLink', linkpath: '../../../..' },
      { path: 'cookbooks/hard', type: 'Link', linkpath: '../passwd' },
      { path: 'cookbooks/pipe', type: 'FIFO' },
    ]);
    const err = await refusal(hostile);
    expect(err.problems.map((p) => `${p.file}: ${p.message}`)).toEqual([
      `../../${outside}: refused: path with '..' escapes the target directory`,
      `/tmp/${outside}: refused: absolute path escapes the target directory`,
      'cookbooks/evil: refused: link to /etc points outside the target directory',
      'cookbooks/sneaky: refused: link to ../../../.. points outside the target directory',
      'cookbooks/hard: refused: link to ../passwd points outside the target directory',
      'cookbooks/pipe: refused: entry type FIFO is not allowed',
    ]);
    expect(await exists(join(store.root, outside))).toBe(false);
    expect(await exists(join(root, outside))).toBe(false);
    expect(await exists(`/tmp/${outside}`)).toBe(false);
    expect(await readlink(store.currentDir)).toBe(before);
  });

  it('refuses what is not a .tar.gz and archives over the size limit', async () => {
    expect((await refusal(Buffer.from('this is not gzip'))).problems[0]!.message).toMatch(/^not a readable \.tar\.gz archive/);
    const small = new KitchenStore(join(root, 'small'), { maxBytes: 1000 });
    const big = rawTarGz([{ path: 'roles/big.json', body: `{"description": "${'x'.repeat(2000)}"}` }]);
    const err = await small.replaceFromArchive(Readable.from([big])).catch((e: unknown) => e as ConfigurationInvalidError);
    expect(err.problems?.[0]?.message).toMatch(/archive is larger than the limit \(20000 entries, 1000 bytes\)/);
    expect(await small.load()).toBeNull();
  });

  it('accepts a kitchen wrapped in one top-level directory and prunes old releases', async () => {
    const wrapped = await tarGzOf(join(FIXTURE_KITCHEN, '..'), ['kitchen']);
    for (let i = 0; i < 4; i++) await store.replaceFromArchive(Readable.from([wrapped]));
    const current = await store.load();
    expect(current!.dir.endsWith('/kitchen')).toBe(true);
    expect(current!.problems).toEqual([]);
    expect(await readdir(join(store.root, 'releases'))).toHaveLength(2);
    expect(await readFile(join(store.currentDir, 'roles/web.json'), 'utf8')).toContain('nginx front end');
  });
});

describe('unsafeEntryReason', () => {
  it('allows paths and links that stay inside the target', () => {
    expect(unsafeEntryReason('cookbooks/a/recipes/default.rb', 'File', undefined)).toBeNull();
    expect(unsafeEntryReason('cookbooks/a/files/link', 'SymbolicLink', '../templates/x.erb')).toBeNull();
    expect(unsafeEntryReason('cookbooks/b', 'Link', 'cookbooks/a/metadata.rb')).toBeNull();
    expect(unsafeEntryReason('./roles/x.json', 'File', undefined)).toBeNull();
  });

  it('refuses escapes however they are spelled', () => {
    expect(unsafeEntryReason('a/../../b', 'File', undefined)).toMatch(/'\.\.'/);
    expect(unsafeEntryReason('C:/Windows/x', 'File', undefined)).toMatch(/absolute/);
    expect(unsafeEntryReason('a\\..\\b', 'File', undefined)).toMatch(/absolute/);
    expect(unsafeEntryReason('a/link', 'SymbolicLink', '../../x')).toMatch(/outside/);
    expect(unsafeEntryReason('dev', 'CharacterDevice', undefined)).toMatch(/not allowed/);
  });
});
