/** Gathers a node's facts over an open session: one exec of the facts script, parsed robustly. */
import { ProviderError, type NodeFacts, type OperationContext } from '@overmind/provider';
import type { SshSession } from '@overmind/ssh';
import { parseFacts } from './facts-parser.js';
import { FACTS_SCRIPT, SECTION_MARKER } from './facts-script.js';

const FACTS_TIMEOUT_MS = 60_000;

export async function gatherFacts(session: SshSession, ctx?: OperationContext): Promise<NodeFacts> {
  // `sh -s` reads the script from stdin, so a non-POSIX login shell only has to start sh.
  const result = await session.exec('sh -s', { stdin: FACTS_SCRIPT, timeoutMs: FACTS_TIMEOUT_MS, signal: ctx?.signal });
  if (!result.stdout.includes(SECTION_MARKER)) {
    const said = result.stderr.trim().split('\n').pop() ?? '';
    throw new ProviderError(`Facts script did not run on ${session.endpoint} (exit ${result.exitCode})${said ? `: ${said}` : ''}`);
  }
  const facts = parseFacts(result.stdout);
  ctx?.log?.(
    `Facts: ${facts.os?.prettyName ?? 'unknown OS'}, kernel ${facts.kernel?.release ?? '?'}, ` +
      `${facts.cpu?.count ?? '?'} CPUs, ${facts.memory?.totalBytes ? Math.round(facts.memory.totalBytes / 2 ** 20) : '?'} MiB`,
  );
  return facts;
}
