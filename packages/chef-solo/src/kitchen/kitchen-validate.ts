/** Structural checks of a loaded kitchen: every reference resolves and roles do not include themselves. */
import { checkRunListItem, cookbookClosure, roleRunList } from '../run-list/run-list-checks.js';
import { parseRunListItem } from '../run-list/run-list-item.js';
import type { Kitchen, KitchenProblem } from './kitchen-types.js';

/** Role names included directly by `name`'s run list in `environment`. */
function includedRoles(kitchen: Kitchen, name: string, environment: string | null): string[] {
  const role = kitchen.roles.get(name);
  if (!role) return [];
  return roleRunList(role, environment).flatMap((text) => {
    const item = parseRunListItem(text);
    return item?.type === 'role' ? [item.name] : [];
  });
}

/** Each role cycle once, as `role[a] -> role[b] -> role[a]`, checked in every environment's graph. */
export function findRoleCycles(kitchen: Kitchen): { role: string; path: string }[] {
  const environments = new Set<string | null>([null]);
  for (const role of kitchen.roles.values()) for (const env of Object.keys(role.envRunLists)) environments.add(env);
  const found = new Map<string, { role: string; path: string }>();
  for (const environment of environments) {
    const done = new Set<string>();
    const stack: string[] = [];
    const visit = (name: string) => {
      const at = stack.indexOf(name);
      if (at !== -1) {
        const cycle = stack.slice(at);
        // Rotate to the smallest name so the same cycle found from elsewhere is reported once.
        const start = cycle.indexOf([...cycle].sort()[0]!);
        const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
        const path = [...rotated, rotated[0]!].map((r) => `role[${r}]`).join(' -> ');
        found.set(path, { role: rotated[0]!, path });
        return;
      }
      if (done.has(name)) return;
      stack.push(name);
      for (const next of includedRoles(kitchen, name, environment)) visit(next);
      stack.pop();
      done.add(name);
    };
    for (const name of kitchen.roles.keys()) visit(name);
  }
  return [...found.values()];
}

export function validateKitchen(kitchen: Kitchen): KitchenProblem[] {
  const problems: KitchenProblem[] = [];
  cookbookClosure(kitchen, kitchen.cookbooks.keys(), problems);
  for (const role of kitchen.roles.values()) {
    const lists: [string, string[]][] = [['run_list', role.runList], ...Object.entries(role.envRunLists).map(([env, list]): [string, string[]] => [`env_run_lists.${env}`, list])];
    for (const [where, list] of lists) {
      for (const text of list) {
        const { problem } = checkRunListItem(kitchen, text);
        if (problem) problems.push({ file: role.file, message: `${where}: ${problem}` });
      }
    }
  }
  for (const cycle of findRoleCycles(kitchen)) {
    problems.push({ file: kitchen.roles.get(cycle.role)!.file, message: `roles include each other: ${cycle.path}` });
  }
  if (kitchen.cookbooks.size === 0 && kitchen.roles.size === 0) {
    problems.push({ file: null, message: 'the kitchen has no cookbooks and no roles (expected cookbooks/, site-cookbooks/ or roles/)' });
  }
  return problems;
}
