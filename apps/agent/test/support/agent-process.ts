/**
 * Real agent processes for the tests: the TypeScript sources through tsx (or the built bundle), in
 * temporary config and state directories, with their output captured for assertions.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const AGENT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MAIN = join(AGENT_DIR, 'src', 'main.ts');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface AgentProcess {
  child: ChildProcess;
  /** stdout and stderr so far. */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then the exit. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(): Promise<void>;
}

export interface AgentHome {
  configDir: string;
  stateDir: string;
  /** Runs a CLI command to its end. */
  cli(args: string[], options?: { stdin?: string; env?: Record<string, string> }): Promise<CliResult>;
  /** Starts `overmind-agent run`. */
  start(options?: { env?: Record<string, string> }): AgentProcess;
  /** Enrols through the CLI with a token file. */
  enroll(url: string, token: string): Promise<CliResult>;
  remove(): Promise<void>;
}

export interface AgentHomeOptions {
  /** The program: the sources through tsx by default, or a built bundle's path. */
  bundle?: string;
}

const live = new Set<ChildProcess>();

/** Kills every agent a test left running (afterEach). */
export async function killAgents(): Promise<void> {
  await Promise.all(
    [...live].map(async (child) => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await new Promise((resolve) => child.once('exit', resolve));
      }
    }),
  );
  live.clear();
}

export async function makeAgentHome(options: AgentHomeOptions = {}): Promise<AgentHome> {
  const root = await mkdtemp(join(tmpdir(), 'overmind-agent-test-'));
  const configDir = join(root, 'etc');
  const stateDir = join(root, 'state');
  const argv = (args: string[]) => (options.bundle ? [options.bundle, ...args] : ['--import', 'tsx', MAIN, ...args]);
  const spawnAgent = (args: string[], env: Record<string, string> = {}) => {
    const child = spawn(process.execPath, argv(args), {
      cwd: options.bundle ? dirname(options.bundle) : AGENT_DIR,
      env: { ...process.env, OVERMIND_AGENT_CONFIG_DIR: configDir, OVERMIND_AGENT_STATE_DIR: stateDir, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    live.add(child);
    return child;
  };

  const home: AgentHome = {
    configDir,
    stateDir,
    async cli(args, cliOptions = {}) {
      const child = spawnAgent(args, cliOptions.env);
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (d) => (stdout += d));
      child.stderr!.on('data', (d) => (stderr += d));
      child.stdin!.end(cliOptions.stdin ?? '');
      const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
      live.delete(child);
      return { code, stdout, stderr };
    },
    start(startOptions = {}) {
      const child = spawnAgent(['run'], startOptions.env);
      child.stdin!.end();
      let output = '';
      child.stdout!.on('data', (d) => (output += d));
      child.stderr!.on('data', (d) => (output += d));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
      return {
        child,
        output: () => output,
        exited,
        async stop() {
          child.kill('SIGTERM');
          return exited;
        },
        async kill() {
          child.kill('SIGKILL');
          await exited;
        },
      };
    },
    async enroll(url, token) {
      const tokenFile = join(root, 'token');
      await writeFile(tokenFile, `${token}\n`, { mode: 0o600 });
      const result = await home.cli(['enroll', '--url', url, '--token-file', tokenFile]);
      await rm(tokenFile, { force: true });
      if (result.code !== 0) throw new Error(`enroll failed (${result.code}): ${result.stderr}`);
      return result;
    },
    remove: () => rm(root, { recursive: true, force: true }),
  };
  return home;
}
