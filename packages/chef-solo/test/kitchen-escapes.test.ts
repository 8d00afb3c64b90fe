import { execFileSync } from 'node:child_process';
import { link, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationInvalidError, type CmHost } from '@overmind/cm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findKitchenEscapes, loadKitchen, resolveOptions, uploadKitchen } from '../src/index.js';
import { copyFixtureKitchen } from './support/remote-root.js';

let kitchen: { dir: string; remove(): Promise<void> };
let outside: string;
beforeEach(async () => {
  kitchen = await copyFixtureKitchen();
  outside = await mkdtemp(join(tmpdir(), 'overmind-host-'));
  await writeFile(join(outside, 'secret.json'), JSON.stringify({ description: 'host secret', run_list: [] }));
});
afterEach(async () => {
  await kitchen.remove();
  await rm(outside, { recursive: true, force: true });
});

/** A kitchen as a kitchen from before links were checked could have been left on disk. */
async function plantEscapes(): Promise<void> {
  const k = kitchen.dir;
  await symlink(join(outside, 'secret.json'), join(k, 'roles/absolute.json'));
  await symlink('a/a/a/../../../../../../../../../../../../../../..' + join(outside, 'secret.json'), join(k, 'roles/chain.json'));
  await symlink('.', join(k, 'roles/a'));
  await symlink('../nowhere.json', join(k, 'roles/dangling.json'));
  await link(join(outside, 'secret.json'), join(k, 'environments/hard.json'));
  execFileSync('mkfifo', [join(k, 'data_bags/users/pipe.json')]);
}

describe('findKitchenEscapes', () => {
  it('finds nothing in a kitchen whose links stay inside, hard links included', async () => {
    await symlink('recipes/default.rb', join(kitchen.dir, 'cookbooks/nginx/default-link.rb'));
    await mkdir(join(kitchen.dir, 'cookbooks/nginx/files'), { recursive: true });
    await link(join(kitchen.dir, 'cookbooks/nginx/metadata.rb'), join(kitchen.dir, 'cookbooks/nginx/files/metadata-copy.rb'));
    expect(await findKitchenEscapes(kitchen.dir)).toEqual([]);
  });

  it('judges links by their real path, and refuses hard links out, dangling links and FIFOs', async () => {
    await plantEscapes();
    expect(await findKitchenEscapes(kitchen.dir)).toEqual([
      { file: 'data_bags/users/pipe.json', message: 'is a FIFO; a kitchen holds only files, directories and links' },
      { file: 'environments/hard.json', message: 'is a hard link to a file outside the kitchen' },
      { file: 'roles/absolute.json', message: 'is a link to an absolute path; links in a kitchen must be relative' },
      { file: 'roles/chain.json', message: 'is a link that leads outside the kitchen' },
      { file: 'roles/dangling.json', message: 'is a link that leads nowhere inside the kitchen' },
    ]);
  });
});

describe('a kitchen with links leading out', () => {
  it('is not read: its problems are the escapes, and nothing of the host shows', async () => {
    await plantEscapes();
    const loaded = await loadKitchen(kitchen.dir);
    expect(loaded.roles.size + loaded.cookbooks.size + loaded.environments.size + loaded.dataBags.size).toBe(0);
    expect(loaded.problems.map((p) => p.file)).toEqual(['data_bags/users/pipe.json', 'environments/hard.json', 'roles/absolute.json', 'roles/chain.json', 'roles/dangling.json']);
    const shown = JSON.stringify(loaded.problems);
    expect(shown).not.toContain('host secret');
    expect(shown).not.toContain(outside);
    expect(shown).not.toContain(kitchen.dir);
  });

  it('is never packed for a node, even as a kitchen loaded before the link appeared', async () => {
    const loaded = await loadKitchen(kitchen.dir);
    expect(loaded.problems).toEqual([]);
    await symlink('../../../../../../../../../../..' + join(outside, 'secret.json'), join(kitchen.dir, 'cookbooks/nginx/secret'));
    const calls: string[] = [];
    const host: CmHost = {
      endpoint: 'test@127.0.0.1:22',
      exec: async (command) => (calls.push(command), { exitCode: 0, signal: null, stdout: '', stderr: '' }),
      writeFile: async (path) => void calls.push(path),
      upload: async (_source, path) => void calls.push(path),
    };
    const err = await uploadKitchen(host, loaded, ['nginx', 'base', 'openssl'], '/tmp/work', resolveOptions({})).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigurationInvalidError);
    expect((err as ConfigurationInvalidError).problems).toEqual([{ file: 'cookbooks/nginx/secret', message: 'is a link that leads outside the kitchen' }]);
    expect(calls).toEqual([]);
  });
});

describe('loadKitchen reading files', () => {
  it('reports a kitchen directory that is a file and a file too large to read, without server paths', async () => {
    await rm(join(kitchen.dir, 'environments'), { recursive: true });
    await writeFile(join(kitchen.dir, 'environments'), 'not a directory');
    await writeFile(join(kitchen.dir, 'roles/huge.json'), `{"description": "${'x'.repeat(2 * 1024 * 1024)}"}`);
    const { problems } = await loadKitchen(kitchen.dir);
    expect(problems).toEqual(
      expect.arrayContaining([
        { file: 'environments', message: 'must be a directory' },
        { file: 'roles/huge.json', message: 'is larger than 1048576 bytes, which is not read' },
      ]),
    );
    expect(JSON.stringify(problems)).not.toContain(kitchen.dir);
  });
});
