import type { CmProblem } from '@overmind/cm';

/** A JSON object of node attributes. */
export type Attributes = Record<string, unknown>;

export type KitchenProblem = CmProblem;

export interface Cookbook {
  name: string;
  version: string | null;
  description: string | null;
  /** Dependency name -> version constraint ('' when none); constraints are kept, not enforced. */
  dependencies: Record<string, string>;
  /** Recipe names without the cookbook prefix, from `recipes/*.rb` (`default`, `server`...). */
  recipes: string[];
  /** Defaults declared in metadata.json `attributes` (`"nginx/port": { "default": 80 }`). */
  attributeDefaults: Attributes;
  /** Directory relative to the kitchen root, e.g. `site-cookbooks/app`. */
  path: string;
  /** The metadata file read, relative to the kitchen root. */
  metadataFile: string;
}

export interface Role {
  name: string;
  description: string | null;
  runList: string[];
  /** Per-environment run lists replacing `runList` in that environment. */
  envRunLists: Record<string, string[]>;
  defaultAttributes: Attributes;
  overrideAttributes: Attributes;
  file: string;
}

export interface Environment {
  name: string;
  description: string | null;
  defaultAttributes: Attributes;
  overrideAttributes: Attributes;
  file: string;
}

export interface DataBag {
  name: string;
  /** Item ids (file names without `.json`). */
  items: string[];
}

/** A Chef repository in the LittleChef/knife-solo layout, read from disk. */
export interface Kitchen {
  /** Absolute path of the kitchen root. */
  dir: string;
  cookbooks: Map<string, Cookbook>;
  roles: Map<string, Role>;
  environments: Map<string, Environment>;
  dataBags: Map<string, DataBag>;
  /** Everything wrong with it: unreadable files and broken references. Empty means usable. */
  problems: KitchenProblem[];
}

/** Top-level directories of a kitchen, in the order chef-solo is told about them. */
export const COOKBOOK_DIRS = ['cookbooks', 'site-cookbooks'] as const;
export const KITCHEN_DIRS = [...COOKBOOK_DIRS, 'roles', 'environments', 'data_bags'] as const;
