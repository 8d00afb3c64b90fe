/**
 * Cookbook metadata: metadata.json when present (what Chef itself prefers), else the literal
 * `name`/`version`/`description`/`depends` calls of metadata.rb. The Ruby file is not evaluated:
 * calls whose arguments are not string literals are ignored, and the directory name stands in for a
 * missing name.
 */
import { isObject } from './json-file.js';
import type { Attributes } from './kitchen-types.js';

export interface CookbookMetadata {
  name: string | null;
  version: string | null;
  description: string | null;
  dependencies: Record<string, string>;
  attributeDefaults: Attributes;
}

const CALL = /^\s*(name|version|description|depends)\b\s*\(?\s*(.*)$/;
const STRING = /\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\s*(,?)/y;

/** The leading string literals of an argument list: `'a', "b" # comment` -> ['a', 'b']. */
function stringArguments(args: string): string[] {
  const values: string[] = [];
  STRING.lastIndex = 0;
  for (let m = STRING.exec(args); m; m = STRING.exec(args)) {
    values.push((m[1] ?? m[2] ?? '').replace(/\\(.)/g, '$1'));
    if (!m[3]) break;
  }
  return values;
}

export function parseMetadataRb(source: string): CookbookMetadata {
  const meta: CookbookMetadata = { name: null, version: null, description: null, dependencies: {}, attributeDefaults: {} };
  let inBlockComment = false;
  for (const raw of source.split(/\r?\n/)) {
    if (/^=begin\b/.test(raw)) inBlockComment = true;
    if (inBlockComment) {
      if (/^=end\b/.test(raw)) inBlockComment = false;
      continue;
    }
    const call = CALL.exec(raw);
    if (!call) continue;
    const args = stringArguments(call[2]!);
    const [first, ...rest] = args;
    if (first === undefined) continue;
    if (call[1] === 'depends') meta.dependencies[first] = rest.join(', ');
    else if (call[1] === 'name') meta.name = first;
    else if (call[1] === 'version') meta.version = first;
    else meta.description = first;
  }
  return meta;
}

/** `{ "nginx/port": { "default": 80 } }` -> `{ nginx: { port: 80 } }`; entries without a default are skipped. */
export function attributeDefaultsFromMetadata(attributes: unknown): Attributes {
  const out: Attributes = {};
  if (!isObject(attributes)) return out;
  for (const [path, spec] of Object.entries(attributes)) {
    if (!isObject(spec) || !Object.hasOwn(spec, 'default')) continue;
    const keys = path.split('/').filter((k) => k.length > 0);
    let node: Attributes = out;
    keys.forEach((key, i) => {
      if (i === keys.length - 1) defineOwn(node, key, spec.default);
      else {
        if (!isObject(node[key])) defineOwn(node, key, {});
        node = node[key] as Attributes;
      }
    });
  }
  return out;
}

/** Sets an own property even for keys like `__proto__`, so JSON input never touches prototypes. */
export function defineOwn(target: Attributes, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Reads metadata.json's fields; returns problems for fields of the wrong type. */
export function metadataFromJson(json: unknown): { meta: CookbookMetadata; problems: string[] } {
  const problems: string[] = [];
  const meta: CookbookMetadata = { name: null, version: null, description: null, dependencies: {}, attributeDefaults: {} };
  if (!isObject(json)) return { meta, problems: ['metadata.json must be a JSON object'] };
  const text = (key: string): string | null => {
    const value = json[key];
    if (value === undefined || value === null) return null;
    if (typeof value === 'string') return value;
    problems.push(`"${key}" must be a string`);
    return null;
  };
  meta.name = text('name');
  meta.version = text('version');
  meta.description = text('description');
  const deps = json.dependencies ?? {};
  if (!isObject(deps)) problems.push('"dependencies" must be an object of name -> version constraint');
  else for (const [name, constraint] of Object.entries(deps)) meta.dependencies[name] = typeof constraint === 'string' ? constraint : '';
  meta.attributeDefaults = attributeDefaultsFromMetadata(json.attributes);
  return { meta, problems };
}
