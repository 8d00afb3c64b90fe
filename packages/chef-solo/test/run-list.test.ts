import { ConfigurationInvalidError } from '@overmind/cm';
import { beforeAll, describe, expect, it } from 'vitest';
import { findRoleCycles, formatRunListItem, loadKitchen, parseRunListItem, resolveRunList, type Kitchen } from '../src/index.js';
import { memoryKitchen } from './support/memory-kitchen.js';
import { FIXTURE_KITCHEN } from './support/remote-root.js';

let kitchen: Kitchen;
beforeAll(async () => {
  kitchen = await loadKitchen(FIXTURE_KITCHEN);
});

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigurationInvalidError) return err.problems.map((p) => (p.file ? `${p.file}: ${p.message}` : p.message));
    throw err;
  }
  throw new Error('expected ConfigurationInvalidError');
}

describe('run list items', () => {
  it('parses roles, recipes with and without recipe and version, and bare cookbooks', () => {
    expect(parseRunListItem('role[web]')).toEqual({ type: 'role', name: 'web' });
    expect(parseRunListItem('recipe[nginx]')).toEqual({ type: 'recipe', cookbook: 'nginx', recipe: 'default', version: null });
    expect(parseRunListItem('recipe[nginx::ssl]')).toEqual({ type: 'recipe', cookbook: 'nginx', recipe: 'ssl', version: null });
    expect(parseRunListItem('recipe[nginx::ssl@1.2.0]')).toEqual({ type: 'recipe', cookbook: 'nginx', recipe: 'ssl', version: '1.2.0' });
    expect(parseRunListItem(' nginx ')).toEqual({ type: 'recipe', cookbook: 'nginx', recipe: 'default', version: null });
    expect(parseRunListItem('app::deploy')).toEqual({ type: 'recipe', cookbook: 'app', recipe: 'deploy', version: null });
    for (const bad of ['role[]', 'recipe[a b]', 'role[web', 'roles[web]', 'a::b::c', '']) expect(parseRunListItem(bad), bad).toBeNull();
  });

  it('writes the canonical spelling', () => {
    expect(['nginx', 'recipe[nginx::default]', 'app::deploy', 'role[web]', 'recipe[x@2.0]'].map((t) => formatRunListItem(parseRunListItem(t)!))).toEqual([
      'recipe[nginx]',
      'recipe[nginx]',
      'recipe[app::deploy]',
      'role[web]',
      'recipe[x@2.0]',
    ]);
  });
});

describe('resolveRunList', () => {
  it('expands nested roles in order and collects the cookbooks with their dependencies, dependencies first', () => {
    const resolved = resolveRunList(kitchen, ['role[app]']);
    expect(resolved.recipes).toEqual(['base::default', 'base::users', 'nginx::default', 'app::deploy']);
    // Included roles apply before the role including them, as Chef's RunListExpansion does.
    expect(resolved.roles).toEqual(['base', 'web', 'app']);
    expect(resolved.cookbooks).toEqual(['base', 'openssl', 'nginx', 'app']);
    expect(resolved.cookbooks).not.toContain('unused');
    expect(resolved.environment).toBeNull();
  });

  it("uses a role's env_run_lists entry in that environment", () => {
    expect(resolveRunList(kitchen, ['role[web]'], { environment: 'staging' }).recipes).toEqual([
      'base::default',
      'base::users',
      'nginx::default',
      'nginx::debug',
    ]);
    expect(resolveRunList(kitchen, ['role[web]'], { environment: 'production' }).recipes).not.toContain('nginx::debug');
    expect(resolveRunList(kitchen, ['role[web]'], { environment: '_default' }).environment).toBeNull();
  });

  it('applies a role included twice once, and keeps a recipe listed twice once', () => {
    const resolved = resolveRunList(kitchen, ['role[web]', 'role[base]', 'recipe[base]', 'nginx']);
    expect(resolved.roles).toEqual(['base', 'web']);
    expect(resolved.recipes).toEqual(['base::default', 'base::users', 'nginx::default']);
    expect(resolved.runList).toEqual(['role[web]', 'role[base]', 'recipe[base]', 'recipe[nginx]']);
  });

  it('reports every problem at once: unknown role, cookbook, recipe, environment, bad syntax', () => {
    expect(problemsOf(() => resolveRunList(kitchen, ['role[db]', 'recipe[postgres]', 'recipe[nginx::ssl]', 'role[web', 'role[web]'], { environment: 'moon' }))).toEqual([
      'environment "moon" is not in the kitchen',
      'role[db] names a role that is not in the kitchen',
      'recipe[postgres] names cookbook "postgres", which is not in the kitchen',
      'recipe[nginx::ssl]: cookbook "nginx" has no recipes/ssl.rb',
      '"role[web" is not a run list item (role[name], recipe[cookbook::recipe] or cookbook)',
    ]);
  });

  it('detects role cycles, naming the path and the role file', () => {
    const k = memoryKitchen({
      cookbooks: { base: {} },
      roles: { a: { runList: ['role[b]'] }, b: { runList: ['recipe[base]', 'role[c]'] }, c: { runList: ['role[a]'] }, self: { runList: ['role[self]'] } },
    });
    expect(problemsOf(() => resolveRunList(k, ['role[a]']))).toEqual(['roles/c.json: roles include each other: role[a] -> role[b] -> role[c] -> role[a]']);
    expect(problemsOf(() => resolveRunList(k, ['role[self]']))).toEqual(['roles/self.json: roles include each other: role[self] -> role[self]']);
    expect(findRoleCycles(k).map((c) => c.path)).toEqual(['role[a] -> role[b] -> role[c] -> role[a]', 'role[self] -> role[self]']);
  });

  it('finds a cycle that exists only in one environment', () => {
    const k = memoryKitchen({
      cookbooks: { base: {} },
      environments: ['prod'],
      roles: { a: { runList: ['recipe[base]'], envRunLists: { prod: ['role[b]'] } }, b: { runList: ['role[a]'] } },
    });
    expect(resolveRunList(k, ['role[a]']).recipes).toEqual(['base::default']);
    expect(problemsOf(() => resolveRunList(k, ['role[a]'], { environment: 'prod' }))).toEqual(['roles/b.json: roles include each other: role[a] -> role[b] -> role[a]']);
    expect(findRoleCycles(k).map((c) => c.path)).toEqual(['role[a] -> role[b] -> role[a]']);
  });

  it('follows cookbook dependencies transitively and reports a missing one against its metadata', () => {
    const k = memoryKitchen({
      cookbooks: { app: { dependencies: { web: '>= 1' } }, web: { dependencies: { ssl: '', base: '' } }, ssl: { dependencies: { base: '' } }, base: {} },
    });
    expect(resolveRunList(k, ['app']).cookbooks).toEqual(['base', 'ssl', 'web', 'app']);
    const broken = memoryKitchen({ cookbooks: { app: { dependencies: { web: '' } }, web: { dependencies: { gone: '' } } } });
    expect(problemsOf(() => resolveRunList(broken, ['app']))).toEqual(['cookbooks/web/metadata.json: cookbook "web" depends on "gone", which is not in the kitchen']);
  });
});
