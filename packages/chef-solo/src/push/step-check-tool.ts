/** Step 1: chef-solo is on the node (`--version` answers), installing it first when configured to. */
import { shellQuote, ToolMissingError, type CmContext, type CmHost } from '@overmind/cm';
import type { ResolvedChefSoloOptions } from './push-options.js';
import { lastLines, runScript } from './remote-script.js';

export interface ChefSoloTool {
  /** What `--version` said, e.g. `18.4.12` (the whole first line when it has no version number). */
  version: string;
  /** True when this call ran the install command. */
  installed: boolean;
}

export const CHECK_TOOL_STEP = 'check-tool';

type Probe = { ok: true; version: string } | { ok: false; detail: string };

/** Runs `<chef-solo> --version` the way the push will run chef-solo (same user, same PATH). */
export async function probeChefSolo(host: CmHost, options: ResolvedChefSoloOptions, ctx?: CmContext): Promise<Probe> {
  const result = await host.exec(`${shellQuote(options.chefSoloCommand)} --version`, {
    sudo: options.sudo,
    timeoutMs: options.commandTimeoutMs,
    signal: ctx?.signal,
  });
  const said = lastLines(`${result.stdout}\n${result.stderr}`, 3);
  if (result.exitCode !== 0) {
    const how = result.exitCode === 127 ? 'command not found' : `--version exited with code ${result.exitCode}`;
    return { ok: false, detail: `${shellQuote(options.chefSoloCommand)}: ${how}${said.length ? ` (${said.join(' | ')})` : ''}` };
  }
  const first = lastLines(result.stdout, Infinity)[0] ?? '';
  return { ok: true, version: /\d+\.\d+(?:\.\d+)*/.exec(first)?.[0] ?? first };
}

export async function ensureChefSolo(host: CmHost, options: ResolvedChefSoloOptions, ctx?: CmContext): Promise<ChefSoloTool> {
  const probe = await probeChefSolo(host, options, ctx);
  if (probe.ok) {
    ctx?.log?.(`chef-solo ${probe.version} found`);
    return { version: probe.version, installed: false };
  }
  if (!options.installCommand) throw new ToolMissingError('chef-solo', host.endpoint, `${probe.detail}; no install command is configured`);
  ctx?.log?.(`chef-solo not found (${probe.detail}); running the install command`);
  await runScript(host, options.installCommand, options, { step: CHECK_TOOL_STEP, ctx, streamStdout: true });
  const after = await probeChefSolo(host, options, ctx);
  if (!after.ok) throw new ToolMissingError('chef-solo', host.endpoint, `still missing after the install command: ${after.detail}`);
  ctx?.log?.(`chef-solo ${after.version} installed`);
  return { version: after.version, installed: true };
}
