/**
 * Expands a run list as chef-solo does (Chef's RunListExpansion): roles recursively, in order, a role
 * applied once even when several roles include it, its nested run list expanded before its own
 * attributes apply. Unlike Chef, which silently skips a role that includes itself, a cycle is an error.
 */
import { ConfigurationInvalidError } from '@overmind/cm';
import type { Kitchen, KitchenProblem } from '../kitchen/kitchen-types.js';
import { checkRunListItem, cookbookClosure, roleRunList } from './run-list-checks.js';
import { formatRunListItem, qualifiedRecipe } from './run-list-item.js';

export interface ResolveOptions {
  /** Environment whose role env_run_lists apply; null, '' or `_default` for none. */
  environment?: string | null;
}

export interface ResolvedRunList {
  /** The given run list in canonical spelling (`recipe[nginx]`, `role[web]`). */
  runList: string[];
  /** The environment in force, or null. */
  environment: string | null;
  /** Expanded recipes in run order, each once: `nginx::default`. */
  recipes: string[];
  /** Applied roles in the order their attributes apply (included roles before the including one). */
  roles: string[];
  /** Cookbooks the run needs, dependencies first. */
  cookbooks: string[];
}

export function normalizeEnvironment(environment: string | null | undefined): string | null {
  return environment && environment !== '_default' ? environment : null;
}

/** Resolves a run list against a kitchen; throws ConfigurationInvalidError listing every problem. */
export function resolveRunList(kitchen: Kitchen, runList: readonly string[], options: ResolveOptions = {}): ResolvedRunList {
  const environment = normalizeEnvironment(options.environment);
  const problems: KitchenProblem[] = [];
  if (environment && !kitchen.environments.has(environment)) {
    problems.push({ file: null, message: `environment "${environment}" is not in the kitchen` });
  }
  const recipes = new Set<string>();
  const cookbooks = new Set<string>();
  const roles: string[] = [];
  const applied = new Set<string>();
  const stack: string[] = [];

  const expand = (items: readonly string[], file: string | null) => {
    for (const text of items) {
      const { item, problem } = checkRunListItem(kitchen, text);
      if (problem || !item) {
        problems.push({ file, message: problem ?? `"${text}" is not a run list item` });
        continue;
      }
      if (item.type === 'recipe') {
        recipes.add(qualifiedRecipe(item));
        cookbooks.add(item.cookbook);
        continue;
      }
      if (stack.includes(item.name)) {
        const path = [...stack.slice(stack.indexOf(item.name)), item.name].map((r) => `role[${r}]`).join(' -> ');
        problems.push({ file, message: `roles include each other: ${path}` });
        continue;
      }
      if (applied.has(item.name)) continue;
      applied.add(item.name);
      const role = kitchen.roles.get(item.name)!;
      stack.push(item.name);
      expand(roleRunList(role, environment), role.file);
      stack.pop();
      roles.push(item.name);
    }
  };

  const canonical = runList.map((text) => {
    const checked = checkRunListItem(kitchen, text);
    return checked.item ? formatRunListItem(checked.item) : text;
  });
  expand(runList, null);
  const needed = cookbookClosure(kitchen, cookbooks, problems);
  if (problems.length > 0) throw new ConfigurationInvalidError(problems, 'Run list cannot be resolved');
  return { runList: canonical, environment, recipes: [...recipes], roles, cookbooks: needed };
}
