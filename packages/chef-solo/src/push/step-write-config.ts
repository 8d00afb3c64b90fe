/**
 * Step 3: solo.rb (where chef-solo finds the kitchen) and node.json (run list and merged attributes,
 * which may hold secrets: mode 0600, removed after the run). Both are written over SFTP into the
 * private work directory, then installed into the config directory as root. The previous run's log
 * is kept as `<log>.1` so chef-solo starts a fresh one.
 */
import { shellQuote, type CmContext, type CmHost } from '@overmind/cm';
import type { Attributes } from '../kitchen/kitchen-types.js';
import { nodeJsonPath, nodePath, soloRbPath, type ResolvedChefSoloOptions } from './push-options.js';
import { runScript } from './remote-script.js';

export const WRITE_CONFIG_STEP = 'write-config';

/** A single-quoted Ruby string: no interpolation, only `\\` and `\'` escaped. */
function rubyString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export function soloRb(options: ResolvedChefSoloOptions, nodeName: string): string {
  const { stagingDir, fileCacheDir, logFile } = options.paths;
  const r = rubyString;
  return [
    '# Written by Overmind on every push; local changes are overwritten.',
    `node_name ${r(nodeName)}`,
    `cookbook_path [${r(`${stagingDir}/cookbooks`)}, ${r(`${stagingDir}/site-cookbooks`)}]`,
    `role_path ${r(`${stagingDir}/roles`)}`,
    `environment_path ${r(`${stagingDir}/environments`)}`,
    `data_bag_path ${r(`${stagingDir}/data_bags`)}`,
    // Named rather than derived from cookbook_path, so the cleanup removes exactly this directory.
    `node_path ${r(nodePath(options))}`,
    `file_cache_path ${r(fileCacheDir)}`,
    `log_location ${r(logFile)}`,
    '',
  ].join('\n');
}

/** chef-solo's `-j` file: the node's attributes with its run list. */
export function nodeJson(attributes: Attributes, runList: readonly string[]): string {
  return `${JSON.stringify({ ...attributes, run_list: runList }, null, 2)}\n`;
}

export function installConfigScript(workDir: string, options: ResolvedChefSoloOptions): string {
  const q = shellQuote;
  const { configDir, fileCacheDir, logFile } = options.paths;
  return [
    'set -e',
    'umask 077',
    `mkdir -p ${q(configDir)} ${q(fileCacheDir)} "$(dirname ${q(logFile)})"`,
    `install -m 0644 ${q(`${workDir}/solo.rb`)} ${q(soloRbPath(options))}`,
    `install -m 0600 ${q(`${workDir}/node.json`)} ${q(nodeJsonPath(options))}`,
    `rm -f ${q(`${workDir}/node.json`)} ${q(`${workDir}/solo.rb`)}`,
    `if [ -f ${q(logFile)} ]; then mv -f ${q(logFile)} ${q(`${logFile}.1`)}; fi`,
  ].join('\n');
}

export async function writeChefConfig(
  host: CmHost,
  files: { soloRb: string; nodeJson: string },
  workDir: string,
  options: ResolvedChefSoloOptions,
  ctx?: CmContext,
): Promise<void> {
  await host.writeFile(`${workDir}/solo.rb`, files.soloRb, { mode: 0o644 });
  await host.writeFile(`${workDir}/node.json`, files.nodeJson, { mode: 0o600 });
  await runScript(host, installConfigScript(workDir, options), options, { step: WRITE_CONFIG_STEP, ctx });
  ctx?.log?.(`wrote ${soloRbPath(options)} and ${nodeJsonPath(options)} (0600)`);
}
