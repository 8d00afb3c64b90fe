/**
 * The real agent, as built (`apps/agent/dist/overmind-agent.mjs`, made by `npm run build`), run as a
 * separate process in temporary config and state directories.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const AGENT_DIST = fileURLToPath(new URL('../../../agent/dist', import.meta.url));
export const AGENT_BUNDLE = join(AGENT_DIST, 'overmind-agent.mjs');

export function requireAgentBundle(): void {
  if (!existsSync(AGENT_BUNDLE)) throw new Error(`${AGENT_BUNDLE} is missing: build the agent first (npm run build)`);
}

export interface RunningAgent {
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface RealAgent {
  root: string;
  enroll(url: string, token: string): Promise<void>;
  status(): Promise<Record<string, unknown>>;
  start(): RunningAgent;
  remove(): Promise<void>;
}

const live = new Set<ChildProcess>();

export async function stopAllAgents(): Promise<void> {
  for (const child of live) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  live.clear();
}

/** `env` adds to (or replaces) the agent's environment, which its commands inherit (e.g. PATH). */
export async function makeRealAgent(options: { env?: NodeJS.ProcessEnv } = {}): Promise<RealAgent> {
  requireAgentBundle();
  const root = await mkdtemp(join(tmpdir(), 'overmind-real-agent-'));
  const env = { ...process.env, ...options.env, OVERMIND_AGENT_CONFIG_DIR: join(root, 'etc'), OVERMIND_AGENT_STATE_DIR: join(root, 'state') };
  const run = (args: string[]) => {
    const child = spawn(process.execPath, [AGENT_BUNDLE, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
    return { child, output: () => output, exited };
  };
  return {
    root,
    async enroll(url, token) {
      const file = join(root, 'join-token');
      await writeFile(file, `${token}\n`, { mode: 0o600 });
      const p = run(['enroll', '--url', url, '--token-file', file]);
      const { code } = await p.exited;
      await rm(file, { force: true });
      if (code !== 0) throw new Error(`overmind-agent enroll exited ${code}: ${p.output()}`);
    },
    async status() {
      const p = run(['status', '--json']);
      await p.exited;
      return JSON.parse(p.output()) as Record<string, unknown>;
    },
    start() {
      const p = run(['run']);
      return {
        ...p,
        async kill(signal: NodeJS.Signals = 'SIGKILL') {
          p.child.kill(signal);
          await p.exited;
        },
      };
    },
    remove: () => rm(root, { recursive: true, force: true }),
  };
}
