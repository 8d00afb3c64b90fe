/** Reference checks shared by kitchen validation and run list resolution. */
import type { Kitchen, KitchenProblem } from '../kitchen/kitchen-types.js';
import { formatRunListItem, parseRunListItem, type RunListItem } from './run-list-item.js';

export type CheckedItem = { item: RunListItem; problem: null } | { item: RunListItem | null; problem: string };

/** Parses an item and checks that what it names exists (role, cookbook, recipe file). */
export function checkRunListItem(kitchen: Kitchen, text: string): CheckedItem {
  const item = parseRunListItem(text);
  if (!item) return { item, problem: `"${text}" is not a run list item (role[name], recipe[cookbook::recipe] or cookbook)` };
  const label = formatRunListItem(item);
  if (item.type === 'role') {
    return kitchen.roles.has(item.name) ? { item, problem: null } : { item, problem: `${label} names a role that is not in the kitchen` };
  }
  const cookbook = kitchen.cookbooks.get(item.cookbook);
  if (!cookbook) return { item, problem: `${label} names cookbook "${item.cookbook}", which is not in the kitchen` };
  if (!cookbook.recipes.includes(item.recipe)) {
    return { item, problem: `${label}: cookbook "${item.cookbook}" has no recipes/${item.recipe}.rb` };
  }
  return { item, problem: null };
}

/**
 * The cookbooks needed for `names` and, transitively, their dependencies, dependencies first (the
 * order Chef loads them). Missing dependencies are reported against the metadata naming them.
 */
export function cookbookClosure(kitchen: Kitchen, names: Iterable<string>, problems: KitchenProblem[]): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const cookbook = kitchen.cookbooks.get(name);
    if (!cookbook) return;
    for (const dep of Object.keys(cookbook.dependencies)) {
      if (kitchen.cookbooks.has(dep)) visit(dep);
      else problems.push({ file: cookbook.metadataFile, message: `cookbook "${name}" depends on "${dep}", which is not in the kitchen` });
    }
    order.push(name);
  };
  for (const name of names) visit(name);
  return order;
}

/** The run list a role uses in `environment` (its env_run_lists entry, else its run_list). */
export function roleRunList(role: { runList: string[]; envRunLists: Record<string, string[]> }, environment: string | null): string[] {
  return (environment !== null && role.envRunLists[environment]) || role.runList;
}
