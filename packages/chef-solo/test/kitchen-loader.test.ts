import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadKitchen, parseJson, parseMetadataRb } from '../src/index.js';
import { copyFixtureKitchen, FIXTURE_KITCHEN } from './support/remote-root.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const clean of cleanups.splice(0)) await clean();
});

describe('loadKitchen', () => {
  it('reads cookbooks from metadata.json and metadata.rb, roles, environments and data bags', async () => {
    const kitchen = await loadKitchen(FIXTURE_KITCHEN);
    expect(kitchen.problems).toEqual([]);
    expect([...kitchen.cookbooks.keys()].sort()).toEqual(['app', 'base', 'nginx', 'openssl', 'unused']);
    expect(kitchen.cookbooks.get('nginx')).toMatchObject({
      version: '2.1.0',
      description: 'Installs and configures nginx',
      dependencies: { base: '>= 1.0', openssl: '' },
      recipes: ['default', 'debug'],
      path: 'cookbooks/nginx',
      metadataFile: 'cookbooks/nginx/metadata.rb',
    });
    expect(kitchen.cookbooks.get('app')).toMatchObject({ path: 'site-cookbooks/app', dependencies: { nginx: '~> 2.0' }, recipes: ['default', 'deploy'] });
    expect(kitchen.cookbooks.get('base')).toMatchObject({ version: '1.0.0', recipes: ['default', 'users'], metadataFile: 'cookbooks/base/metadata.json' });
    expect(kitchen.cookbooks.get('base')!.attributeDefaults).toEqual({
      base: { motd: 'cookbook motd', packages: ['vim', 'curl'], ntp: { servers: ['pool.ntp.org'], enabled: true } },
    });
    expect([...kitchen.roles.keys()].sort()).toEqual(['app', 'base', 'web']);
    expect(kitchen.roles.get('web')).toMatchObject({
      runList: ['role[base]', 'recipe[nginx]'],
      envRunLists: { staging: ['role[base]', 'recipe[nginx]', 'recipe[nginx::debug]'] },
      defaultAttributes: { nginx: { port: 80, workers: 2 } },
      file: 'roles/web.json',
    });
    expect([...kitchen.environments.keys()]).toEqual(['production', 'staging']);
    expect(kitchen.dataBags.get('users')).toEqual({ name: 'users', items: ['alice'] });
  });

  it('reports every broken file and reference with the file, and invalid JSON with line and column', async () => {
    const copy = await copyFixtureKitchen();
    cleanups.push(copy.remove);
    const k = copy.dir;
    await writeFile(join(k, 'roles/broken.json'), '{\n  "name": "broken",\n  "run_list": ["recipe[base]"],,\n}\n');
    await writeFile(join(k, 'roles/db.json'), JSON.stringify({ run_list: ['role[missing]', 'recipe[postgres]', 'recipe[base::nope]', 'bad item!'] }));
    await writeFile(join(k, 'roles/loop-a.json'), JSON.stringify({ run_list: ['role[loop-b]'] }));
    await writeFile(join(k, 'roles/loop-b.json'), JSON.stringify({ run_list: ['recipe[base]', 'role[loop-a]'] }));
    await writeFile(join(k, 'roles/renamed.json'), JSON.stringify({ name: 'other', run_list: [] }));
    await writeFile(join(k, 'roles/legacy.rb'), "name 'legacy'\n");
    await writeFile(join(k, 'cookbooks/openssl/metadata.rb'), "name 'openssl'\ndepends 'libssl'\n");
    await mkdir(join(k, 'cookbooks/empty'));
    await writeFile(join(k, 'data_bags/users/bob.json'), JSON.stringify({ id: 'robert' }));
    await writeFile(join(k, 'environments/qa.json'), JSON.stringify({ default_attributes: ['not', 'a', 'hash'] }));

    const { problems } = await loadKitchen(k);
    const messages = problems.map((p) => `${p.file}${p.line ? `:${p.line}:${p.column}` : ''} ${p.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        'roles/broken.json:3:32 invalid JSON: property name expected',
        'roles/db.json run_list: role[missing] names a role that is not in the kitchen',
        'roles/db.json run_list: recipe[postgres] names cookbook "postgres", which is not in the kitchen',
        'roles/db.json run_list: recipe[base::nope]: cookbook "base" has no recipes/nope.rb',
        'roles/db.json run_list: "bad item!" is not a run list item (role[name], recipe[cookbook::recipe] or cookbook)',
        'roles/loop-a.json roles include each other: role[loop-a] -> role[loop-b] -> role[loop-a]',
        'roles/renamed.json "name" is "other" but chef-solo finds it by its file name "renamed"',
        'roles/legacy.rb Ruby DSL files are not read; write this as JSON',
        'cookbooks/openssl/metadata.rb cookbook "openssl" depends on "libssl", which is not in the kitchen',
        'cookbooks/empty cookbook has neither metadata.json nor metadata.rb',
        'data_bags/users/bob.json "id" is "robert" but chef-solo finds it by its file name "bob"',
        'environments/qa.json "default_attributes" must be an object',
      ]),
    );
    expect(problems).toHaveLength(12);
  });

  it('reports an empty directory as no kitchen', async () => {
    const copy = await copyFixtureKitchen();
    cleanups.push(copy.remove);
    for (const dir of ['cookbooks', 'site-cookbooks', 'roles']) await rm(join(copy.dir, dir), { recursive: true });
    const { problems } = await loadKitchen(copy.dir);
    expect(problems.map((p) => p.message)).toEqual([expect.stringMatching(/has no cookbooks and no roles/)]);
  });
});

describe('parseMetadataRb', () => {
  it('reads literal name, version, description and depends calls and skips the rest', () => {
    const meta = parseMetadataRb(
      [
        "name 'web' # the cookbook",
        'version  "1.2.3"',
        "description 'It\\'s a web server'",
        "depends 'a'",
        'depends "b", ">= 1.0", "< 2.0"',
        "depends('c', '~> 3.1')",
        '  depends   "d"',
        'depends cookbook_var',
        "depends_on 'not-a-dependency'",
        "long_description 'not the description'",
        "if ENV['X'] then depends 'maybe' end",
      ].join('\n'),
    );
    expect(meta).toEqual({
      name: 'web',
      version: '1.2.3',
      description: "It's a web server",
      dependencies: { a: '', b: '>= 1.0, < 2.0', c: '~> 3.1', d: '' },
      attributeDefaults: {},
    });
  });

  it('leaves the name null when it is not a literal (the directory name is used)', () => {
    expect(parseMetadataRb('name File.basename(__dir__)\r\nversion "0.1.0"\r\n')).toMatchObject({ name: null, version: '0.1.0' });
  });
});

describe('parseJson', () => {
  it('locates the first error at its line and column', () => {
    const read = parseJson('{\n  "a": 1\n  "b": 2\n}', 'x.json');
    expect(read).toEqual({ ok: false, problem: { file: 'x.json', line: 3, column: 3, message: 'invalid JSON: comma expected' } });
    expect(parseJson('', 'e.json')).toMatchObject({ ok: false, problem: { line: 1, column: 1 } });
    expect(parseJson('{"a": [1, 2]}', 'ok.json')).toEqual({ ok: true, value: { a: [1, 2] } });
  });
});
