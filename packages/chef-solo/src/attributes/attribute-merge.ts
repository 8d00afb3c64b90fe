/**
 * Node attributes merged in Chef's precedence order, lowest first:
 * cookbook default < environment default < role default < node (normal) < role override < environment override.
 * Hashes merge deeply; any other value, arrays included, replaces what was below it.
 */
import { defineOwn } from '../kitchen/cookbook-metadata.js';
import { isObject } from '../kitchen/json-file.js';
import type { Attributes, Kitchen } from '../kitchen/kitchen-types.js';
import type { ResolvedRunList } from '../run-list/run-list-resolver.js';

export interface AttributeLayers {
  /** Cookbook defaults (metadata.json `attributes`), in cookbook load order. */
  cookbookDefaults?: Attributes[];
  environmentDefault?: Attributes;
  /** Role default attributes, in role application order (later wins). */
  roleDefaults?: Attributes[];
  /** The node's own (normal) attributes. */
  node?: Attributes;
  roleOverrides?: Attributes[];
  environmentOverride?: Attributes;
}

function clone(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clone);
  if (isObject(value)) return deepMerge({}, value);
  return value;
}

/** A new object: `over` merged onto `base`. Neither input is changed or shared with the result. */
export function deepMerge(base: Attributes, over: Attributes): Attributes {
  const out: Attributes = {};
  for (const [key, value] of Object.entries(base)) defineOwn(out, key, clone(value));
  for (const [key, value] of Object.entries(over)) {
    const below = out[key];
    defineOwn(out, key, isObject(below) && isObject(value) && Object.hasOwn(out, key) ? deepMerge(below, value) : clone(value));
  }
  return out;
}

export function mergeAttributes(layers: AttributeLayers): Attributes {
  const ordered: (Attributes | undefined)[] = [
    ...(layers.cookbookDefaults ?? []),
    layers.environmentDefault,
    ...(layers.roleDefaults ?? []),
    layers.node,
    ...(layers.roleOverrides ?? []),
    layers.environmentOverride,
  ];
  return ordered.reduce<Attributes>((merged, layer) => (layer ? deepMerge(merged, layer) : merged), {});
}

/** The layers a resolved run list brings from the kitchen, plus the node's own attributes. */
export function attributeLayers(kitchen: Kitchen, resolved: ResolvedRunList, node: Attributes = {}): AttributeLayers {
  const env = resolved.environment ? kitchen.environments.get(resolved.environment) : undefined;
  const roles = resolved.roles.map((name) => kitchen.roles.get(name)!);
  return {
    cookbookDefaults: resolved.cookbooks.map((name) => kitchen.cookbooks.get(name)!.attributeDefaults),
    environmentDefault: env?.defaultAttributes,
    roleDefaults: roles.map((r) => r.defaultAttributes),
    node,
    roleOverrides: roles.map((r) => r.overrideAttributes),
    environmentOverride: env?.overrideAttributes,
  };
}

/** The merged attributes a node gets from a resolved run list. */
export function nodeAttributes(kitchen: Kitchen, resolved: ResolvedRunList, node: Attributes = {}): Attributes {
  return mergeAttributes(attributeLayers(kitchen, resolved, node));
}
