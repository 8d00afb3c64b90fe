/** Run list items: `role[web]`, `recipe[nginx]`, `recipe[nginx::ssl]`, `recipe[nginx@1.2.0]`, bare `nginx::ssl`. */

export type RunListItem =
  | { type: 'role'; name: string }
  | { type: 'recipe'; cookbook: string; recipe: string; version: string | null };

const NAME = '[A-Za-z0-9_.-]+';
const ROLE = new RegExp(`^role\\[(${NAME})\\]$`);
const RECIPE = new RegExp(`^(?:recipe\\[(${NAME})(?:::(${NAME}))?(?:@([0-9][0-9.]*))?\\]|(${NAME})(?:::(${NAME}))?)$`);

/** Parses one item; null when it is not valid run list syntax. */
export function parseRunListItem(text: string): RunListItem | null {
  const item = text.trim();
  const role = ROLE.exec(item);
  if (role) return { type: 'role', name: role[1]! };
  const recipe = RECIPE.exec(item);
  if (!recipe) return null;
  const cookbook = recipe[1] ?? recipe[4]!;
  return { type: 'recipe', cookbook, recipe: recipe[2] ?? recipe[5] ?? 'default', version: recipe[3] ?? null };
}

/** `cookbook::recipe`, with `default` spelled out: the form the expanded recipe list uses. */
export function qualifiedRecipe(item: Extract<RunListItem, { type: 'recipe' }>): string {
  return `${item.cookbook}::${item.recipe}`;
}

/** The canonical spelling Chef writes back: `role[web]`, `recipe[nginx]`, `recipe[nginx::ssl@1.2.0]`. */
export function formatRunListItem(item: RunListItem): string {
  if (item.type === 'role') return `role[${item.name}]`;
  const recipe = item.recipe === 'default' ? item.cookbook : qualifiedRecipe(item);
  return `recipe[${recipe}${item.version ? `@${item.version}` : ''}]`;
}
