/**
 * A chef-solo push the way LittleChef and knife-solo do it, composed from the step functions:
 * resolve (local) -> check-tool -> upload-kitchen -> write-config -> converge, then cleanup always.
 */
import { ConfigurationInvalidError, runSteps, type ApplyResult, type CmContext, type CmHost } from '@overmind/cm';
import { deepMerge, nodeAttributes } from '../attributes/attribute-merge.js';
import type { Attributes, Kitchen } from '../kitchen/kitchen-types.js';
import { resolveRunList, type ResolvedRunList } from '../run-list/run-list-resolver.js';
import { resolveOptions, type ChefSoloOptions, type ResolvedChefSoloOptions } from './push-options.js';
import { CHECK_TOOL_STEP, ensureChefSolo } from './step-check-tool.js';
import { CLEANUP_STEP, cleanupNode } from './step-cleanup.js';
import { CONVERGE_STEP, runChefSolo } from './step-converge.js';
import { createWorkDir, UPLOAD_STEP, uploadKitchen } from './step-upload-kitchen.js';
import { nodeJson, soloRb, WRITE_CONFIG_STEP, writeChefConfig } from './step-write-config.js';

export const RESOLVE_STEP = 'resolve';

/** The node as chef-solo should see it. */
export interface ChefNode {
  /** Chef's node_name. */
  name: string;
  runList: string[];
  /** The node's own (normal) attributes. */
  attributes?: Attributes;
  /**
   * Normal attributes that are secrets, merged over `attributes`. They reach the node only inside
   * node.json (0600, root's, removed after the run) and are never logged by the push.
   */
  secretAttributes?: Attributes;
  environment?: string | null;
}

/** Everything a push will send, computed without touching the node. Holds the secret attributes: never show it. */
export interface ChefSoloPlan {
  resolved: ResolvedRunList;
  attributes: Attributes;
  soloRb: string;
  nodeJson: string;
}

/** Resolves and merges; throws ConfigurationInvalidError when the kitchen or the run list is broken. */
export function planChefSolo(kitchen: Kitchen, node: ChefNode, options: ChefSoloOptions = {}): ChefSoloPlan {
  const settings = resolveOptions(options);
  if (kitchen.problems.length > 0) throw new ConfigurationInvalidError(kitchen.problems, 'Kitchen is invalid');
  const resolved = resolveRunList(kitchen, node.runList, { environment: node.environment });
  const attributes = nodeAttributes(kitchen, resolved, deepMerge(node.attributes ?? {}, node.secretAttributes ?? {}));
  return {
    resolved,
    attributes,
    soloRb: soloRb(settings, node.name),
    nodeJson: nodeJson(attributes, resolved.runList),
  };
}

/** Pushes a kitchen to one node and runs chef-solo there. Never rejects: see the result's failedStep. */
export async function pushChefSolo(host: CmHost, kitchen: Kitchen, node: ChefNode, options: ChefSoloOptions = {}, ctx: CmContext = {}): Promise<ApplyResult> {
  let settings: ResolvedChefSoloOptions | undefined;
  let plan: ChefSoloPlan | undefined;
  let workDir: string | null = null;
  let remoteTouched = false;

  return runSteps(
    [
      {
        name: RESOLVE_STEP,
        run: async () => {
          settings = resolveOptions(options);
          plan = planChefSolo(kitchen, node, settings);
          ctx.log?.(`run list ${plan.resolved.runList.join(', ')} -> recipes ${plan.resolved.recipes.join(', ')}`);
        },
      },
      { name: CHECK_TOOL_STEP, run: async () => void (await ensureChefSolo(host, settings!, ctx)) },
      {
        name: UPLOAD_STEP,
        run: async () => {
          remoteTouched = true;
          workDir = await createWorkDir(host, settings!, ctx);
          await uploadKitchen(host, kitchen, plan!.resolved.cookbooks, workDir, settings!, ctx);
        },
      },
      { name: WRITE_CONFIG_STEP, run: () => writeChefConfig(host, plan!, workDir!, settings!, ctx) },
      { name: CONVERGE_STEP, run: () => runChefSolo(host, plan!.resolved.environment, settings!, ctx) },
    ],
    {
      ctx,
      cleanup: [
        {
          name: CLEANUP_STEP,
          run: async () => {
            if (remoteTouched) await cleanupNode(host, workDir, settings!, ctx);
          },
        },
      ],
    },
  );
}
