import { randomBytes } from 'node:crypto';
import { access, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { ConfigurationInvalidError } from '@overmind/cm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArchiveTooLargeError, DEFAULT_ARCHIVE_LIMITS, KitchenStore, unsafeEntryReason, type KitchenStoreOptions } from '../src/index.js';
import { copyFixtureKitchen, FIXTURE_KITCHEN } from './support/remote-root.js';
import { gzipBomb, linkChainEntries, rawTarGz, tarGzOf } from './support/tar-builder.js';

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

  it('refuses what is not a .tar.gz, a gzip inside the gzip, and a flood of broken blocks', async () => {
    expect((await refusal(Buffer.from('this is not gzip'))).problems[0]!.message).toMatch(/^not a readable \.tar\.gz archive/);
    // node-tar would unzip the inner stream itself, past the counters.
    const nested = await refusal(gzipSync(await tarGzOf(FIXTURE_KITCHEN, KITCHEN_PATHS)));
    expect(nested.problems).toEqual([{ file: null, message: 'not a readable .tar.gz archive: it holds another gzip stream instead of a tar archive' }]);
    // Random bytes are one invalid header per 512-byte block: the answer lists a few, not thousands.
    const flood = await refusal(gzipSync(randomBytes(4 * 1024 * 1024)));
    expect(flood.problems.length).toBeLessThanOrEqual(51);
    expect(flood.problems.at(-1)!.message).toBe('extraction stopped after the first 50 problems');
    expect(await store.load()).toBeNull();
  });

  it('stops at each limit with ArchiveTooLargeError and keeps nothing of the upload', async () => {
    const archive = await tarGzOf(FIXTURE_KITCHEN, KITCHEN_PATHS);
    const cases: [KitchenStoreOptions, string][] = [
      [{ maxArchiveBytes: 1000 }, 'The kitchen archive is larger than the limit of 1000 bytes compressed'],
      [{ maxUnpackedBytes: 10_000 }, 'The kitchen archive is larger than the limit of 10000 bytes unpacked'],
      [{ maxEntries: 5 }, 'The kitchen archive is larger than the limit of 5 entries'],
    ];
    for (const [limits, message] of cases) {
      const small = new KitchenStore(join(root, 'small'), limits);
      const err = await small.replaceFromArchive(Readable.from([archive])).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ArchiveTooLargeError);
      expect((err as Error).message).toBe(message);
      expect(await small.load()).toBeNull();
      expect(await readdir(join(small.root, 'releases'))).toEqual([]);
    }
    // The same archive fits the defaults, from a stream that arrives in small pieces.
    const pieces = Array.from({ length: Math.ceil(archive.length / 100) }, (_, i) => archive.subarray(i * 100, (i + 1) * 100));
    expect((await store.replaceFromArchive(Readable.from(pieces))).problems).toEqual([]);
  });

  it('stops a gzip bomb at the unpacked limit, reading it as a stream', async () => {
    const bomb = gzipBomb(1024);
    expect(bomb.length).toBeLessThan(DEFAULT_ARCHIVE_LIMITS.maxArchiveBytes);
    const started = Date.now();
    const err = await store.replaceFromArchive(Readable.from([bomb])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArchiveTooLargeError);
    expect(err).toMatchObject({ limit: 'maxUnpackedBytes', max: DEFAULT_ARCHIVE_LIMITS.maxUnpackedBytes });
    // Inflating the whole gigabyte would take far longer (and node-tar kept it all in memory).
    expect(Date.now() - started).toBeLessThan(45_000);
  }, 60_000);

  it('ignores what follows the end of the archive, counting it against the limit', async () => {
    // A valid kitchen, its end-of-archive blocks, then 64 MiB of zeros, which node-tar would keep in memory.
    const archive = gzipBomb(64, await tarGzOf(FIXTURE_KITCHEN, KITCHEN_PATHS));
    const kitchen = await store.replaceFromArchive(Readable.from([archive]));
    expect([...kitchen.roles.keys()].sort()).toEqual(['app', 'base', 'web']);
    const small = new KitchenStore(join(root, 'small'), { maxUnpackedBytes: 32 * 1024 * 1024 });
    await expect(small.replaceFromArchive(Readable.from([archive]))).rejects.toBeInstanceOf(ArchiveTooLargeError);
  }, 60_000);

  it('refuses a link that escapes only through another link, never reading what it points at', async () => {
    const secretDir = await mkdtemp(join(tmpdir(), 'overmind-host-'));
    try {
      await writeFile(join(secretDir, 'leak.json'), JSON.stringify({ description: 'host secret' }));
      const err = await refusal(rawTarGz([...linkChainEntries(join(secretDir, 'leak.json'))]));
      expect(err.problems).toEqual([{ file: 'roles/leak.json', message: 'is a link that leads outside the kitchen' }]);
      expect(JSON.stringify(err.problems)).not.toContain('host secret');
      expect(await store.load()).toBeNull();
    } finally {
      await rm(secretDir, { recursive: true, force: true });
    }
  });

  it('never names a server path in what it reports', async () => {
    // node-tar refuses to write through the link roles/a; its error carries absolute paths.
    const err = await refusal(rawTarGz([
      { path: 'roles/', type: 'Directory' },
      { path: 'roles/a', type: 'SymbolicLink', linkpath: '.' },
      { path: 'roles/a/x.json', body: '{}' },
      { path: `roles/${'n'.repeat(300)}.json`, body: '{}' },
    ]));
    expect(err.problems.length).toBeGreaterThan(0);
    expect(err.problems).toContainEqual({ file: 'roles/a/x.json', message: 'TAR_ENTRY_ERROR: TAR_SYMLINK_ERROR: Cannot extract through symbolic link' });
    expect(err.problems).toContainEqual({ file: `roles/${'n'.repeat(300)}.json`, message: expect.stringMatching(/^refused: path is longer than/) });
    expect(JSON.stringify(err.problems)).not.toContain(root);
    expect(JSON.stringify(err.problems)).not.toContain(tmpdir());
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
    expect(unsafeEntryReason('hard', 'Link', 'a/../b')).toMatch(/outside/);
    expect(unsafeEntryReason('a/link', 'SymbolicLink', '')).toMatch(/empty/);
    expect(unsafeEntryReason(`a/${'x'.repeat(256)}`, 'File', undefined)).toMatch(/longer/);
    expect(unsafeEntryReason('a/'.repeat(600), 'Directory', undefined)).toMatch(/longer/);
  });
});
