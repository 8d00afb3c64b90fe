/** Reads a kitchen directory: cookbooks (both cookbook dirs), roles, environments and data bags. */
import { readdir, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { metadataFromJson, parseMetadataRb, type CookbookMetadata } from './cookbook-metadata.js';
import { isObject, readJsonFile, readKitchenFile } from './json-file.js';
import { findKitchenEscapes } from './kitchen-escapes.js';
import { validateKitchen } from './kitchen-validate.js';
import { safeMessage } from './safe-message.js';
import {
  COOKBOOK_DIRS,
  type Attributes,
  type Cookbook,
  type DataBag,
  type Environment,
  type Kitchen,
  type KitchenProblem,
  type Role,
} from './kitchen-types.js';

interface Entry {
  name: string;
  isDirectory: boolean;
}

/**
 * Entries of the kitchen directory `rel`, sorted by name; empty when it does not exist, and a
 * problem when it is not a directory.
 */
async function list(root: string, rel: string, problems: KitchenProblem[]): Promise<Entry[]> {
  try {
    const entries = await readdir(join(root, rel), { withFileTypes: true });
    return entries.map((e) => ({ name: e.name, isDirectory: e.isDirectory() })).sort((a, b) => a.name.localeCompare(b.name));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return [];
    problems.push({ file: rel, message: code === 'ENOTDIR' ? 'must be a directory' : `cannot read: ${safeMessage(err)}` });
    return [];
  }
}

type ReadMetadata = CookbookMetadata & { metadataFile: string };

async function readMetadata(root: string, rel: string, problems: KitchenProblem[]): Promise<ReadMetadata | null> {
  const files = new Set((await list(root, rel, problems)).map((e) => e.name));
  if (files.has('metadata.json')) {
    const metadataFile = `${rel}/metadata.json`;
    const read = await readJsonFile(join(root, metadataFile), metadataFile);
    if (!read.ok) return problems.push(read.problem), null;
    const { meta, problems: found } = metadataFromJson(read.value);
    for (const message of found) problems.push({ file: metadataFile, message });
    return { ...meta, metadataFile };
  }
  if (files.has('metadata.rb')) {
    const metadataFile = `${rel}/metadata.rb`;
    const read = await readKitchenFile(join(root, metadataFile), metadataFile);
    if (!read.ok) return problems.push(read.problem), null;
    return { ...parseMetadataRb(read.text), metadataFile };
  }
  problems.push({ file: rel, message: 'cookbook has neither metadata.json nor metadata.rb' });
  return null;
}

async function loadCookbooks(root: string, problems: KitchenProblem[]): Promise<Map<string, Cookbook>> {
  const cookbooks = new Map<string, Cookbook>();
  for (const parent of COOKBOOK_DIRS) {
    for (const entry of await list(root, parent, problems)) {
      if (!entry.isDirectory || entry.name.startsWith('.')) continue;
      const rel = `${parent}/${entry.name}`;
      const meta = await readMetadata(root, rel, problems);
      if (!meta) continue;
      const name = meta.name ?? entry.name;
      const seen = cookbooks.get(name);
      if (seen) {
        problems.push({ file: rel, message: `cookbook "${name}" is also in ${seen.path}; Chef refuses duplicate cookbooks` });
        continue;
      }
      const recipes = (await list(root, `${rel}/recipes`, problems))
        .filter((e) => !e.isDirectory && e.name.endsWith('.rb'))
        .map((e) => e.name.slice(0, -3))
        .sort((a, b) => (a === 'default' ? -1 : b === 'default' ? 1 : a.localeCompare(b)));
      cookbooks.set(name, { ...meta, name, recipes, path: rel });
    }
  }
  return cookbooks;
}

interface Naming {
  field: string;
  required: boolean;
}

const BY_NAME: Naming = { field: 'name', required: false };

/**
 * Reads `<dir>/*.json` as objects named by their file; Ruby files are reported, not evaluated.
 * `naming.field` must repeat the file name when present (`name` of roles), or always (`id` of data bag items).
 */
async function loadNamedJson(root: string, dir: string, naming: Naming, problems: KitchenProblem[]): Promise<{ name: string; file: string; json: Record<string, unknown> }[]> {
  const out = [];
  for (const entry of await list(root, dir, problems)) {
    const file = `${dir}/${entry.name}`;
    if (entry.isDirectory || entry.name.startsWith('.')) continue;
    if (entry.name.endsWith('.rb')) {
      problems.push({ file, message: 'Ruby DSL files are not read; write this as JSON' });
      continue;
    }
    if (!entry.name.endsWith('.json')) continue;
    const read = await readJsonFile(join(root, file), file);
    if (!read.ok) {
      problems.push(read.problem);
      continue;
    }
    if (!isObject(read.value)) {
      problems.push({ file, message: 'must be a JSON object' });
      continue;
    }
    const name = entry.name.slice(0, -5);
    const named = read.value[naming.field];
    if (named === undefined && naming.required) problems.push({ file, message: `"${naming.field}" is missing; it must be "${name}"` });
    else if (named !== undefined && named !== name) {
      problems.push({ file, message: `"${naming.field}" is ${JSON.stringify(named)} but chef-solo finds it by its file name "${name}"` });
    }
    out.push({ name, file, json: read.value });
  }
  return out;
}

/** A field that must be an object of attributes (absent means empty). */
function attributes(json: Record<string, unknown>, key: string, file: string, problems: KitchenProblem[]): Attributes {
  const value = json[key];
  if (value === undefined || value === null) return {};
  if (isObject(value)) return value;
  problems.push({ file, message: `"${key}" must be an object` });
  return {};
}

function runList(value: unknown, what: string, file: string, problems: KitchenProblem[]): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  problems.push({ file, message: `${what} must be an array of strings` });
  return [];
}

/** The fields roles and environments share: a description and default/override attributes. */
function withAttributes(name: string, file: string, json: Record<string, unknown>, problems: KitchenProblem[]): Environment {
  return {
    name,
    description: typeof json.description === 'string' && json.description !== '' ? json.description : null,
    defaultAttributes: attributes(json, 'default_attributes', file, problems),
    overrideAttributes: attributes(json, 'override_attributes', file, problems),
    file,
  };
}

async function loadRoles(root: string, problems: KitchenProblem[]): Promise<Map<string, Role>> {
  const roles = new Map<string, Role>();
  for (const { name, file, json } of await loadNamedJson(root, 'roles', BY_NAME, problems)) {
    const envRunLists: Record<string, string[]> = {};
    const envLists = json.env_run_lists ?? {};
    if (!isObject(envLists)) problems.push({ file, message: '"env_run_lists" must be an object' });
    else for (const [env, list] of Object.entries(envLists)) envRunLists[env] = runList(list, `"env_run_lists.${env}"`, file, problems);
    roles.set(name, { ...withAttributes(name, file, json, problems), runList: runList(json.run_list, '"run_list"', file, problems), envRunLists });
  }
  return roles;
}

async function loadEnvironments(root: string, problems: KitchenProblem[]): Promise<Map<string, Environment>> {
  const environments = new Map<string, Environment>();
  for (const { name, file, json } of await loadNamedJson(root, 'environments', BY_NAME, problems)) {
    environments.set(name, withAttributes(name, file, json, problems));
  }
  return environments;
}

async function loadDataBags(root: string, problems: KitchenProblem[]): Promise<Map<string, DataBag>> {
  const bags = new Map<string, DataBag>();
  for (const bag of await list(root, 'data_bags', problems)) {
    if (!bag.isDirectory || bag.name.startsWith('.')) continue;
    const items = await loadNamedJson(root, `data_bags/${bag.name}`, { field: 'id', required: true }, problems);
    bags.set(bag.name, { name: bag.name, items: items.map((i) => i.name) });
  }
  return bags;
}

/**
 * Reads and validates a kitchen; `problems` lists every unreadable file and broken reference. A
 * kitchen with anything leading out of it (see findKitchenEscapes) is not read at all: its problems
 * are those escapes.
 */
export async function loadKitchen(dir: string): Promise<Kitchen> {
  // The real path, so a kitchen read through a symlink that is later swapped stays what was read.
  const root = await realpath(dir);
  const escapes = await findKitchenEscapes(root);
  if (escapes.length > 0) {
    return { dir: root, cookbooks: new Map(), roles: new Map(), environments: new Map(), dataBags: new Map(), problems: escapes };
  }
  const problems: KitchenProblem[] = [];
  const kitchen: Kitchen = {
    dir: root,
    cookbooks: await loadCookbooks(root, problems),
    roles: await loadRoles(root, problems),
    environments: await loadEnvironments(root, problems),
    dataBags: await loadDataBags(root, problems),
    problems,
  };
  problems.push(...validateKitchen(kitchen));
  return kitchen;
}
