/** The plugin's static description: schemas mark every secret, and each capability has its method. */
import { describe, expect, it } from 'vitest';
import { CAPABILITIES } from '@overmind/provider';
import { dedicatedPlugin } from '../src/index.js';
import { FakeInventory } from './fake-inventory.js';

/** Every property schema in a JSON Schema, with its path. */
function properties(schema: Record<string, any>, path = ''): [string, Record<string, any>][] {
  const out: [string, Record<string, any>][] = [];
  for (const [name, child] of Object.entries(schema.properties ?? {})) {
    out.push([`${path}${name}`, child as Record<string, any>], ...properties(child as Record<string, any>, `${path}${name}.`));
  }
  for (const [i, branch] of (schema.oneOf ?? []).entries()) out.push(...properties(branch, `${path}[${i}].`));
  return out;
}

describe('dedicatedPlugin', () => {
  it('marks every secret writeOnly and nothing else', () => {
    for (const schema of [dedicatedPlugin.credentialSchema, dedicatedPlugin.registrationSchema!]) {
      for (const [path, prop] of properties(schema)) {
        const secret = /(password|privateKey|passphrase)$/i.test(path);
        expect({ path, writeOnly: prop.writeOnly === true }).toEqual({ path, writeOnly: secret });
      }
    }
    expect(properties(dedicatedPlugin.registrationSchema!).map(([p]) => p)).toContain('bmc.[1].password');
  });

  it('declares known capabilities, each backed by a driver method', () => {
    const driver = dedicatedPlugin.createDriver({ credentials: {}, settings: {}, providerId: 'p', inventory: new FakeInventory() });
    for (const capability of dedicatedPlugin.capabilities) {
      expect(CAPABILITIES).toContain(capability);
      expect(typeof (driver as unknown as Record<string, unknown>)[capability]).toBe('function');
    }
    expect(typeof driver.runCommandOnNodes).toBe('function');
  });
});
