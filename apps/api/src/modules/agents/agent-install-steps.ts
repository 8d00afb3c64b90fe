/**
 * Installing the agent over a shell on the node, in small steps: a private directory, the bundle and
 * install script uploaded, the join token written to a 0600 file (never a command line), install.sh
 * run (as root through sudo unless the install goes under a prefix, as the login user), and the
 * directory removed whatever happened.
 */
import { join } from 'node:path';
import { shellQuote } from '@overmind/cm';
import type { NodeSession } from '@overmind/provider';
import { AGENT_FILES } from './agent-release.js';

export interface AgentInstallInput {
  /** Where the agent connects: the API's public URL. */
  url: string;
  /** The one-time join token, bound to the node. */
  token: string;
  /** The API's built agent (overmind-agent.mjs and install.sh). */
  distDir: string;
  /** All install paths under this root, installed as the login user (no sudo, no systemd). */
  prefix?: string | null;
  signal: AbortSignal;
  /** How long install.sh may take. */
  timeoutMs: number;
}

export class AgentInstallError extends Error {
  /** An outcome to report (the node said why), not a bug to log. */
  readonly code = 'agent_install_failed';

  constructor(
    message: string,
    /** The install script's last lines. */
    readonly tail: string[],
  ) {
    super(tail.length > 0 ? `${message}; its last lines:\n${tail.join('\n')}` : message);
    this.name = 'AgentInstallError';
  }
}

const TAIL_LINES = 20;

/** The command that runs install.sh from `dir`. Nothing secret: the token is a file's name here. */
export function installCommand(dir: string, input: Pick<AgentInstallInput, 'url' | 'prefix'>): string {
  const file = (name: string) => shellQuote(join(dir, name));
  const env = input.prefix ? `OVERMIND_AGENT_PREFIX=${shellQuote(input.prefix)} OVERMIND_AGENT_SYSTEMD=no ` : '';
  // Unprivileged, the agent runs as the login user (and runs chef-solo through sudo -n).
  const user = input.prefix ? ' --user "$(id -un)"' : '';
  return `${env}sh ${file(AGENT_FILES.installScript)} --url ${shellQuote(input.url)} --bundle ${file(AGENT_FILES.bundle)} --token-file ${file('join-token')}${user}`;
}

/** Runs install.sh on the node; resolves with its output's last lines, throws AgentInstallError when it failed. */
export async function installAgentOver(session: NodeSession, input: AgentInstallInput, log: (line: string) => void): Promise<string[]> {
  const made = await session.exec('umask 077 && mktemp -d', { signal: input.signal, timeoutMs: 30_000 });
  const dir = made.stdout.trim();
  if (made.exitCode !== 0 || !dir.startsWith('/')) throw new AgentInstallError('could not make a private directory on the node (mktemp -d)', lastLines(`${made.stdout}\n${made.stderr}`));
  const tail: string[] = [];
  const keep = (line: string) => {
    log(line);
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
  };
  try {
    await session.upload(join(input.distDir, AGENT_FILES.bundle), join(dir, AGENT_FILES.bundle), { mode: 0o600 });
    await session.upload(join(input.distDir, AGENT_FILES.installScript), join(dir, AGENT_FILES.installScript), { mode: 0o600 });
    await session.writeFile(join(dir, 'join-token'), `${input.token}\n`, { mode: 0o600 });
    log(`uploaded the agent to ${dir}; running install.sh${input.prefix ? ` under ${input.prefix} as the login user` : ' as root'}`);
    const result = await session.exec(installCommand(dir, input), {
      sudo: !input.prefix,
      signal: input.signal,
      timeoutMs: input.timeoutMs,
      onStdout: keep,
      onStderr: keep,
    });
    if (result.exitCode !== 0) throw new AgentInstallError(`install.sh exited with ${result.exitCode ?? `signal ${result.signal}`}`, tail);
    return tail;
  } finally {
    await session.exec(`rm -rf ${shellQuote(dir)}`, { timeoutMs: 30_000 }).catch(() => {});
  }
}

function lastLines(text: string): string[] {
  return text.split('\n').map((l) => l.trimEnd()).filter(Boolean).slice(-TAIL_LINES);
}
