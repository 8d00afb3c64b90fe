import { describe, expect, it } from 'vitest';
import { CmRegistry, type CmPluginFactory } from '../src/index.js';

const factory = (kind: string): CmPluginFactory => ({
  kind,
  displayName: kind,
  description: '',
  settingsSchema: {},
  create: () => {
    throw new Error('not used');
  },
});

describe('CmRegistry', () => {
  it('loads plugins lazily, once, and refuses unknown kinds', async () => {
    let loads = 0;
    const registry = new CmRegistry({ 'chef-solo': async () => (loads++, factory('chef-solo')) });
    expect(loads).toBe(0);
    expect(registry.kinds).toEqual(['chef-solo']);
    expect(registry.has('chef-solo')).toBe(true);
    expect((await registry.get('chef-solo')).kind).toBe('chef-solo');
    await registry.all();
    expect(loads).toBe(1);
    await expect(registry.get('puppet')).rejects.toThrow(/Unknown configuration-management kind "puppet"/);
  });

  it('refuses a plugin whose kind does not match its key, and retries a failed load', async () => {
    let attempts = 0;
    const registry = new CmRegistry({
      ansible: async () => factory('chef-solo'),
      flaky: async () => {
        if (attempts++ === 0) throw new Error('import failed');
        return factory('flaky');
      },
    });
    await expect(registry.get('ansible')).rejects.toThrow(/declares kind "chef-solo"/);
    await expect(registry.get('flaky')).rejects.toThrow('import failed');
    expect((await registry.get('flaky')).kind).toBe('flaky');
  });
});
