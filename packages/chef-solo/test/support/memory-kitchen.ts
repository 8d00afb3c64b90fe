/** Small in-memory kitchens for resolution tests that need shapes the fixture does not have. */
import type { Cookbook, Kitchen, Role } from '../../src/index.js';

type RoleSpec = Partial<Omit<Role, 'name'>> & { runList: string[] };
type CookbookSpec = Partial<Omit<Cookbook, 'name'>>;

export function memoryKitchen(spec: { roles?: Record<string, RoleSpec>; cookbooks?: Record<string, CookbookSpec>; environments?: string[] }): Kitchen {
  const cookbooks = new Map<string, Cookbook>();
  for (const [name, c] of Object.entries(spec.cookbooks ?? {})) {
    cookbooks.set(name, {
      name,
      version: '1.0.0',
      description: null,
      dependencies: {},
      recipes: ['default'],
      attributeDefaults: {},
      path: `cookbooks/${name}`,
      metadataFile: `cookbooks/${name}/metadata.json`,
      ...c,
    });
  }
  const roles = new Map<string, Role>();
  for (const [name, r] of Object.entries(spec.roles ?? {})) {
    roles.set(name, { name, description: null, envRunLists: {}, defaultAttributes: {}, overrideAttributes: {}, file: `roles/${name}.json`, ...r });
  }
  const environments = new Map(
    (spec.environments ?? []).map((name) => [name, { name, description: null, defaultAttributes: {}, overrideAttributes: {}, file: `environments/${name}.json` }]),
  );
  return { dir: '/nonexistent', cookbooks, roles, environments, dataBags: new Map(), problems: [] };
}
