/**
 * Step 5, run whatever happened before: node.json (attributes may hold secrets), the node object
 * chef-solo saved from it, the data bags and the work directory leave the node. Cookbooks, roles and
 * the logs stay for debugging.
 */
import { shellQuote, type CmContext, type CmHost } from '@overmind/cm';
import { nodeJsonPath, nodePath, type ResolvedChefSoloOptions } from './push-options.js';
import { runScript } from './remote-script.js';

export const CLEANUP_STEP = 'cleanup';

export function cleanupScript(workDir: string | null, options: ResolvedChefSoloOptions): string {
  const q = shellQuote;
  const paths = [nodeJsonPath(options), nodePath(options), `${options.paths.stagingDir}/data_bags`, ...(workDir ? [workDir] : [])];
  return `rm -rf ${paths.map(q).join(' ')}`;
}

export async function cleanupNode(host: CmHost, workDir: string | null, options: ResolvedChefSoloOptions, ctx?: CmContext): Promise<void> {
  await runScript(host, cleanupScript(workDir, options), options, { step: CLEANUP_STEP, ctx, abortable: false });
  ctx?.log?.('removed node.json, the saved node object, data bags and the upload directory from the node');
}
