/**
 * Where the agent keeps its settings and its state. Flags win over the environment, which wins over
 * the system defaults, so tests and unusual installs can move both.
 */
import { join, resolve } from 'node:path';

export const DEFAULT_CONFIG_DIR = '/etc/overmind-agent';
export const DEFAULT_STATE_DIR = '/var/lib/overmind-agent';

export interface AgentDirs {
  configDir: string;
  stateDir: string;
}

export interface DirOverrides {
  configDir?: string;
  stateDir?: string;
}

export function resolveDirs(flags: DirOverrides, env: Record<string, string | undefined>): AgentDirs {
  return {
    configDir: resolve(flags.configDir || env.OVERMIND_AGENT_CONFIG_DIR || DEFAULT_CONFIG_DIR),
    stateDir: resolve(flags.stateDir || env.OVERMIND_AGENT_STATE_DIR || DEFAULT_STATE_DIR),
  };
}

export const agentFiles = (dirs: AgentDirs) => ({
  config: join(dirs.configDir, 'agent.json'),
  identity: join(dirs.stateDir, 'identity.json'),
  privateKey: join(dirs.stateDir, 'agent.key'),
  status: join(dirs.stateDir, 'status.json'),
  runs: join(dirs.stateDir, 'runs'),
  kitchens: join(dirs.stateDir, 'kitchens'),
});
