/** The `chef-solo` configuration-management plugin: the @overmind/cm contract over a kitchen directory. */
import {
  ConfigurationInvalidError,
  failedApply,
  type ApplyResult,
  type CmConfiguration,
  type CmContext,
  type CmDescription,
  type CmItem,
  type CmPlugin,
  type CmPluginFactory,
  type CmProblem,
  type CmTarget,
  type PrepareResult,
} from '@overmind/cm';
import { loadKitchen } from './kitchen/kitchen-loader.js';
import type { Kitchen } from './kitchen/kitchen-types.js';
import { resolveOptions, type ChefSoloOptions } from './push/push-options.js';
import { planChefSolo, pushChefSolo, RESOLVE_STEP, type ChefNode } from './push/push-chef-solo.js';
import { ensureChefSolo } from './push/step-check-tool.js';
import { formatRunListItem } from './run-list/run-list-item.js';

export interface ChefSoloSettings extends ChefSoloOptions {
  /** The kitchen to push: a directory, or a KitchenStore's `currentDir`. Re-read on every call. */
  kitchenDir: string;
}

function toNode(name: string, configuration: CmConfiguration): ChefNode {
  return {
    name,
    runList: configuration.runList,
    attributes: configuration.attributes,
    secretAttributes: configuration.secretAttributes,
    environment: configuration.environment,
  };
}

export function describeKitchen(kitchen: Kitchen): CmDescription {
  const items: CmItem[] = [...kitchen.roles.values()].map((r) => ({ name: `role[${r.name}]`, type: 'role', description: r.description }));
  for (const cookbook of kitchen.cookbooks.values()) {
    for (const recipe of cookbook.recipes) {
      const name = formatRunListItem({ type: 'recipe', cookbook: cookbook.name, recipe, version: null });
      items.push({ name, type: 'recipe', description: recipe === 'default' ? cookbook.description : null });
    }
  }
  return {
    kind: 'chef-solo',
    items,
    environments: [...kitchen.environments.values()].map((e) => ({ name: e.name, description: e.description })),
    problems: kitchen.problems,
  };
}

class ChefSoloConfigurer implements CmPlugin {
  readonly kind = 'chef-solo';

  constructor(private readonly settings: ChefSoloSettings) {
    resolveOptions(settings); // fail at configuration time, not at the first push
  }

  async prepare(target: CmTarget, ctx?: CmContext): Promise<PrepareResult> {
    const tool = await ensureChefSolo(target.host, resolveOptions(this.settings), ctx);
    return { tool: 'chef-solo', ...tool };
  }

  async apply(target: CmTarget, configuration: CmConfiguration, ctx?: CmContext): Promise<ApplyResult> {
    let kitchen: Kitchen;
    try {
      kitchen = await loadKitchen(this.settings.kitchenDir);
    } catch (err) {
      return failedApply(RESOLVE_STEP, err);
    }
    return pushChefSolo(target.host, kitchen, toNode(target.name, configuration), this.settings, ctx);
  }

  async describe(): Promise<CmDescription> {
    return describeKitchen(await loadKitchen(this.settings.kitchenDir));
  }

  async validate(configuration: CmConfiguration): Promise<CmProblem[]> {
    const kitchen = await loadKitchen(this.settings.kitchenDir);
    try {
      planChefSolo(kitchen, toNode('validate', configuration), this.settings);
      return [];
    } catch (err) {
      if (err instanceof ConfigurationInvalidError) return err.problems;
      throw err;
    }
  }
}

const pathSetting = (title: string) => ({ type: 'string', pattern: '^/', title });

export const chefSoloPlugin: CmPluginFactory<ChefSoloSettings> = {
  kind: 'chef-solo',
  displayName: 'Chef Solo (push over SSH)',
  description:
    'Pushes a Chef kitchen (cookbooks, roles, environments, data bags) to the node over SSH and runs ' +
    'chef-solo there, as LittleChef and knife-solo do. Works with Chef Infra and Cinc.',
  settingsSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['kitchenDir'],
    properties: {
      kitchenDir: { type: 'string', minLength: 1, title: 'Kitchen directory' },
      chefSoloCommand: { type: 'string', minLength: 1, default: 'chef-solo', title: 'chef-solo command' },
      installCommand: { type: ['string', 'null'], default: null, title: 'Install command (run as root when chef-solo is missing)' },
      extraArgs: { type: 'array', items: { type: 'string' }, default: [], title: 'Extra chef-solo arguments' },
      sudo: { type: 'boolean', default: true, title: 'Use sudo when not root' },
      // Bounded: a JSON 1e400 is Infinity, which ajv takes for an integer and a timer for 1 ms.
      runTimeoutMs: { type: 'integer', minimum: 1000, maximum: 86_400_000, default: 3600000, title: 'chef-solo run timeout (ms)' },
      commandTimeoutMs: { type: 'integer', minimum: 1000, maximum: 86_400_000, default: 600000, title: 'Other commands timeout (ms)' },
      failureLines: { type: 'integer', minimum: 1, maximum: 500, default: 20, title: 'Output lines quoted on failure' },
      paths: {
        type: 'object',
        additionalProperties: false,
        properties: {
          stagingDir: pathSetting('Kitchen staging directory'),
          configDir: pathSetting('Config directory (solo.rb, node.json)'),
          fileCacheDir: pathSetting('File cache directory'),
          logFile: pathSetting('Log file'),
          tempDir: pathSetting('Temporary directory for uploads'),
        },
      },
    },
  },
  create: (settings) => new ChefSoloConfigurer(settings),
};
