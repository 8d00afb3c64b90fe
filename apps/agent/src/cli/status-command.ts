/** `overmind-agent status`: connected or not and since when, the identity, the last run, the version. */
import { readFile } from 'node:fs/promises';
import { agentFiles, type AgentDirs } from '../config/agent-dirs.js';
import { readIdentity } from '../config/identity-store.js';
import { readStatus } from '../config/status-file.js';
import { AGENT_VERSION } from '../version.js';
import { EXIT_NOT_CONNECTED, EXIT_NOT_ENROLLED } from './cli-error.js';

function alive(pid: number | null): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, as another user (status run by someone else than the service's user).
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function configuredUrl(path: string): Promise<string | null> {
  try {
    const url = (JSON.parse(await readFile(path, 'utf8')) as { url?: unknown }).url;
    return typeof url === 'string' ? url : null;
  } catch {
    return null;
  }
}

/** Prints the status; resolves with the exit code (0 connected, 1 not connected or not running, 2 not enrolled). */
export async function printStatus(dirs: AgentDirs, json: boolean, out: (line: string) => void): Promise<number> {
  const files = agentFiles(dirs);
  const identity = await readIdentity(dirs);
  if (!identity) {
    if (json) out(JSON.stringify({ enrolled: false, running: false, connected: false, version: AGENT_VERSION }));
    else out(`not enrolled (no ${files.identity})\nversion    ${AGENT_VERSION}`);
    return EXIT_NOT_ENROLLED;
  }
  const status = await readStatus(files.status);
  const running = alive(status?.pid ?? null);
  const connected = running && status?.connected === true;
  const report = {
    enrolled: true,
    running,
    connected,
    since: status?.since ?? null,
    agentId: identity.agentId,
    nodeId: status?.nodeId ?? identity.nodeId,
    url: (await configuredUrl(files.config)) ?? status?.url ?? null,
    lastRun: status?.lastRun ?? null,
    lastError: connected ? null : (status?.lastError ?? null),
    pid: running ? status!.pid : null,
    version: AGENT_VERSION,
  };
  if (json) {
    out(JSON.stringify(report));
  } else {
    const state = connected ? 'connected' : running ? 'not connected' : 'not running';
    const lastRun = report.lastRun ? `${report.lastRun.id} (${report.lastRun.kind}) ${report.lastRun.outcome} at ${report.lastRun.finishedAt}` : 'none';
    out(
      [
        `${state}${report.since ? ` since ${report.since}` : ''}${report.lastError ? ` (${report.lastError})` : ''}`,
        `agent      ${report.agentId}`,
        `node       ${report.nodeId ?? 'none (waiting for approval)'}`,
        `server     ${report.url ?? 'unknown'}`,
        `last run   ${lastRun}`,
        `version    ${AGENT_VERSION}`,
      ].join('\n'),
    );
  }
  return connected ? 0 : EXIT_NOT_CONNECTED;
}
