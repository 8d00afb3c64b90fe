import { beforeAll, describe, expect, it } from 'vitest';
import { deepMerge, loadKitchen, mergeAttributes, nodeAttributes, resolveRunList, type AttributeLayers, type Kitchen } from '../src/index.js';
import { FIXTURE_KITCHEN } from './support/remote-root.js';

describe('mergeAttributes precedence', () => {
  // Lowest to highest, as Chef orders them.
  const ladder = ['cookbookDefault', 'environmentDefault', 'roleDefault', 'node', 'roleOverride', 'environmentOverride'] as const;

  /** Layer i sets keys ki..k5 to its own name: key kj is set by layers 0..j, so layer j must win it. */
  function layers(): AttributeLayers {
    const at = (i: number) => Object.fromEntries(ladder.slice(i).map((_, k) => [`k${i + k}`, ladder[i]]));
    return {
      cookbookDefaults: [at(0)],
      environmentDefault: at(1),
      roleDefaults: [at(2)],
      node: at(3),
      roleOverrides: [at(4)],
      environmentOverride: at(5),
    };
  }

  it('lets each level win over every level below it', () => {
    const merged = mergeAttributes(layers());
    expect(merged).toEqual(Object.fromEntries(ladder.map((name, i) => [`k${i}`, name])));
  });

  it('gives the highest level key k5 whatever order the layers are written in', () => {
    const l = layers();
    const reordered: AttributeLayers = {
      environmentOverride: l.environmentOverride,
      node: l.node,
      cookbookDefaults: l.cookbookDefaults,
      roleOverrides: l.roleOverrides,
      environmentDefault: l.environmentDefault,
      roleDefaults: l.roleDefaults,
    };
    expect(mergeAttributes(reordered)).toEqual(mergeAttributes(l));
    expect(mergeAttributes(reordered).k5).toBe('environmentOverride');
  });

  it('lets a later role win over an earlier one at the same level', () => {
    const merged = mergeAttributes({ roleDefaults: [{ a: 1, b: 1 }, { a: 2 }], roleOverrides: [{ c: 1 }, { c: 2 }], node: { b: 'node' } });
    expect(merged).toEqual({ a: 2, b: 'node', c: 2 });
  });

  it('keeps a cookbook default only where nothing else sets the key', () => {
    expect(mergeAttributes({ cookbookDefaults: [{ x: { a: 1, b: 1 } }, { x: { b: 2 } }], environmentDefault: { x: { c: 3 } } })).toEqual({ x: { a: 1, b: 2, c: 3 } });
  });
});

describe('deepMerge', () => {
  it('merges hashes deeply and replaces arrays, scalars and nulls', () => {
    const base = { h: { a: 1, deep: { keep: true, list: [1, 2] } }, list: [1, 2, 3], s: 'x', toHash: 1, toScalar: { a: 1 }, gone: 1 };
    const over = { h: { b: 2, deep: { list: [9] } }, list: [4], s: 'y', toHash: { now: 'hash' }, toScalar: 'flat', gone: null };
    expect(deepMerge(base, over)).toEqual({
      h: { a: 1, b: 2, deep: { keep: true, list: [9] } },
      list: [4],
      s: 'y',
      toHash: { now: 'hash' },
      toScalar: 'flat',
      gone: null,
    });
  });

  it('changes neither input and shares no objects with them', () => {
    const base = { h: { list: [{ a: 1 }] } };
    const over = { o: { x: [1] } };
    const before = JSON.stringify([base, over]);
    const merged = deepMerge(base, over) as { h: { list: { a: number }[] }; o: { x: number[] } };
    merged.h.list[0]!.a = 99;
    merged.o.x.push(2);
    expect(JSON.stringify([base, over])).toBe(before);
  });

  it('keeps __proto__ keys from JSON as plain data without touching prototypes', () => {
    const evil = JSON.parse('{"__proto__": {"polluted": true}, "a": {"__proto__": {"x": 1}}}') as Record<string, unknown>;
    const merged = deepMerge({ a: { y: 2 } }, evil);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(merged))).toEqual(JSON.parse('{"a": {"y": 2, "__proto__": {"x": 1}}, "__proto__": {"polluted": true}}'));
  });
});

describe('nodeAttributes from the fixture kitchen', () => {
  let kitchen: Kitchen;
  beforeAll(async () => {
    kitchen = await loadKitchen(FIXTURE_KITCHEN);
  });

  it('merges cookbook, environment, role and node attributes like Chef', () => {
    const resolved = resolveRunList(kitchen, ['role[app]'], { environment: 'production' });
    const attrs = nodeAttributes(kitchen, resolved, { app: { replicas: 5, debug: true }, base: { packages: ['htop'] } });
    expect(attrs).toEqual({
      base: {
        motd: 'role web motd', // cookbook < role base < role web (applied later)
        packages: ['htop'], // node replaces the cookbook default array
        ntp: { servers: ['pool.ntp.org'], enabled: true }, // cookbook defaults (metadata.json)
        users: ['ops'],
      },
      nginx: {
        port: 443, // environment override beats role default 80
        workers: 2, // role default beats environment default 8
        gzip: true, // role override
      },
      app: {
        name: 'shop',
        replicas: 5, // node beats role default 1 and environment default 3
        debug: false, // role and environment override beat the node
      },
    });
  });
});
