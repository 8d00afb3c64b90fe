/**
 * A `converge` run: the kitchen release from the cache (downloaded and checked when new), then the
 * chef-solo plugin's own steps (solo.rb, node.json 0600, chef-solo, cleanup) on this machine through
 * the local CmHost: the same code as a push over SSH, so what Chef reads is the same.
 */
import type { ConvergeSpec } from '@overmind/agent-protocol';
import { chefSoloPlugin, type ChefSoloOptions } from '@overmind/chef-solo';
import { ApplyFailedError, type CmHost, type CmPlugin } from '@overmind/cm';
import { errorMessage } from '../agent-log.js';
import { KitchenCache, type KitchenSource } from './kitchen-cache.js';
import { createLocalHost } from './local-host.js';
import type { RunEnd, RunIo } from './run-types.js';

export const FETCH_KITCHEN_STEP = 'fetch-kitchen';

export interface ConvergeRunner {
  /** Why the spec's chef-solo settings cannot be used, or null: a reason to reject the run. */
  refusal(spec: ConvergeSpec): string | null;
  run(spec: ConvergeSpec, io: RunIo): Promise<RunEnd>;
}

function convergePlugin(spec: ConvergeSpec, kitchenDir: string): CmPlugin {
  return chefSoloPlugin.create({ ...(spec.settings as ChefSoloOptions), kitchenDir });
}

export function createConvergeRunner(options: { kitchensDir: string; source: KitchenSource; host?: CmHost }): ConvergeRunner {
  const kitchens = new KitchenCache(options.kitchensDir, options.source);
  const host = options.host ?? createLocalHost();
  return {
    refusal(spec) {
      try {
        convergePlugin(spec, '/');
        return null;
      } catch (err) {
        return `invalid chef-solo settings: ${errorMessage(err)}`;
      }
    },

    async run(spec, io) {
      let kitchenDir: string;
      try {
        io.line('agent', `==> ${FETCH_KITCHEN_STEP}`);
        kitchenDir = await kitchens.get(spec.kitchen, io.signal, (line) => io.line('agent', line));
      } catch (err) {
        return { succeeded: false, exitCode: null, signal: null, summary: null, error: errorMessage(err), failedStep: FETCH_KITCHEN_STEP };
      }
      const result = await convergePlugin(spec, kitchenDir).apply(
        { name: spec.nodeName, host },
        { runList: spec.runList, attributes: spec.attributes, secretAttributes: spec.secretAttributes, environment: spec.environment },
        { signal: io.signal, log: (line) => io.line('stdout', line) },
      );
      if (result.ok) return { succeeded: true, exitCode: 0, signal: null, summary: result.summary, error: null, failedStep: null };
      const exitCode = result.error instanceof ApplyFailedError ? result.error.exitCode : null;
      return { succeeded: false, exitCode, signal: null, summary: null, error: result.error.message, failedStep: result.failedStep };
    },
  };
}
