/**
 * Step 4: run chef-solo, streaming its output. Success needs both exit code 0 and Chef's own closing
 * line, so a wrapper that swallows a failure, or a run cut short, is not mistaken for a converge.
 */
import { ApplyFailedError, shellQuote, type CmContext, type CmHost } from '@overmind/cm';
import { nodeJsonPath, soloRbPath, type ResolvedChefSoloOptions } from './push-options.js';
import { runScript } from './remote-script.js';

export const CONVERGE_STEP = 'converge';

/** "Chef Client finished", "Cinc Client finished", "Chef Infra Client finished", "Cinc Infra Client finished". */
export const COMPLETION_LINE = /\b(?:Chef|Cinc)(?: Infra)? Client finished\b/;

export function chefSoloCommand(options: ResolvedChefSoloOptions, environment: string | null): string {
  const q = shellQuote;
  const env = environment ? ['--environment', environment] : [];
  // No TTY over exec: without --force-formatter Chef prints logger lines instead of its run summary.
  const args = ['-c', soloRbPath(options), '-j', nodeJsonPath(options), ...env, '--force-formatter', '--no-color', ...options.extraArgs];
  return [options.chefSoloCommand, ...args].map(q).join(' ');
}

/** Runs chef-solo; resolves with Chef's completion line, throws ApplyFailedError with the last lines. */
export async function runChefSolo(host: CmHost, environment: string | null, options: ResolvedChefSoloOptions, ctx?: CmContext): Promise<string> {
  const tail: string[] = [];
  let completion: string | null = null;
  const onLine = (line: string) => {
    ctx?.log?.(line);
    if (COMPLETION_LINE.test(line)) completion = line.trim();
    if (line.trim() === '') return;
    tail.push(line.trimEnd());
    if (tail.length > options.failureLines) tail.shift();
  };
  const result = await host.exec(chefSoloCommand(options, environment), {
    sudo: options.sudo,
    timeoutMs: options.runTimeoutMs,
    signal: ctx?.signal,
    onStdout: onLine,
    onStderr: onLine,
  });
  if (result.exitCode === 0 && completion) return completion;
  const reason = [...tail].reverse().find((l) => /\b(FATAL|ERROR)\b/.test(l)) ?? tail.at(-1) ?? 'no output';
  const message =
    result.exitCode === 0
      ? 'chef-solo exited with code 0 but never printed "Chef Infra Client finished"'
      : result.exitCode === null
        ? `chef-solo was killed by ${result.signal ?? 'a signal'}: ${reason}`
        : `chef-solo exited with code ${result.exitCode}: ${reason}`;
  throw new ApplyFailedError(CONVERGE_STEP, message, { exitCode: result.exitCode, lastLines: [...tail] });
}
