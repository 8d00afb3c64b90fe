/**
 * The built agent this API hands out: one self-contained file (`overmind-agent.mjs`), its release
 * description (`release.json`: version, SHA-256, size), the install script and the systemd unit, all
 * in the agent's dist directory (`pnpm build` in apps/agent makes them).
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { ServiceUnavailableError } from '../../lib/errors.js';

export const AGENT_FILES = {
  bundle: 'overmind-agent.mjs',
  release: 'release.json',
  installScript: 'install.sh',
  serviceUnit: 'overmind-agent.service',
} as const;

export interface AgentRelease {
  version: string;
  sha256: string;
  bytes: number;
}

export function createAgentReleases(distDir: string) {
  let cached: { release: AgentRelease; mtimeMs: number } | null = null;

  function notBuilt(what: string): ServiceUnavailableError {
    return new ServiceUnavailableError(`The agent is not built on this server (${what} is missing in ${distDir}): run \`npm run build\``);
  }

  return {
    async release(): Promise<AgentRelease> {
      const path = join(distDir, AGENT_FILES.release);
      const info = await stat(path).catch(() => null);
      if (!info) throw notBuilt(AGENT_FILES.release);
      if (!cached || cached.mtimeMs !== info.mtimeMs) {
        const parsed = JSON.parse(await readFile(path, 'utf8')) as AgentRelease;
        cached = { release: { version: String(parsed.version), sha256: String(parsed.sha256), bytes: Number(parsed.bytes) }, mtimeMs: info.mtimeMs };
      }
      return cached.release;
    },

    /** A file of the release as a stream; 503 when it was not built. */
    async open(file: (typeof AGENT_FILES)[keyof typeof AGENT_FILES]): Promise<Readable> {
      const path = join(distDir, file);
      if (!(await stat(path).catch(() => null))) throw notBuilt(file);
      return createReadStream(path);
    },
  };
}

export type AgentReleases = ReturnType<typeof createAgentReleases>;
