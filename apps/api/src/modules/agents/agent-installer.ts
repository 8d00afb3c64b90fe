/**
 * Installs (or upgrades) a node's agent over the SSH access Overmind already has to it, with a join
 * token minted for this install only, and waits until the new agent is connected.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import type { NodeRow } from '../../db/entities/index.js';
import { systemActor } from '../../lib/actor.js';
import type { NodeAccess, NodeAccessContext, NodeAccessKind } from '../cm/node-access.js';
import { installAgentOver } from './agent-install-steps.js';
import { createAgentReleases } from './agent-release.js';
import type { AgentTokenService } from './agent-token-service.js';

/** A join token for an install lives this long: the install uses it within seconds, or never. */
export const INSTALL_TOKEN_TTL_SECONDS = 15 * 60;
const INSTALL_SCRIPT_TIMEOUT_MS = 5 * 60_000;

export interface AgentInstallContext extends NodeAccessContext {
  /** The job doing it, named in the token's description. */
  jobId: string;
}

export interface AgentInstallResult {
  agentId: string;
  agentVersion: string | null;
  via: NodeAccessKind;
  /** Where it went: null for the real paths (as root). */
  prefix: string | null;
  /** The agent was enrolled already and kept its identity (the token was not needed). */
  upgraded: boolean;
}

/** Installed, but the agent did not connect in time (or never started). */
export class AgentNotConnectedError extends Error {
  readonly code = 'agent_not_connected';
}

export function createAgentInstaller(deps: {
  db: DataSource;
  access: Pick<NodeAccess, 'withSession'>;
  agentTokens: Pick<AgentTokenService, 'mint' | 'revoke'>;
  publicUrl: string;
  distDir: string;
  /** The config's prefix for installs that name none. */
  defaultPrefix: string | null;
  /** How long the new agent gets to connect after install.sh finished. */
  connectTimeoutMs?: number;
}) {
  const releases = createAgentReleases(deps.distDir);
  const connectTimeoutMs = deps.connectTimeoutMs ?? 60_000;
  const actor = systemActor('agent-install');

  /** The node's agent, once one connected at or after `since` (a fresh connection, not the old agent's). */
  async function waitConnected(nodeId: string, since: Date, signal: AbortSignal): Promise<{ agentId: string; agentVersion: string | null }> {
    const deadline = Date.now() + connectTimeoutMs;
    for (;;) {
      const [row]: { agent_id: string; agent_version: string | null }[] = await deps.db.query(
        `SELECT n.agent_id, a.agent_version FROM nodes n JOIN agents a ON a.id = n.agent_id
          WHERE n.id = $1 AND n.agent_state = 'connected' AND n.agent_state_since >= $2`,
        [nodeId, since],
      );
      if (row) return { agentId: row.agent_id, agentVersion: row.agent_version };
      if (Date.now() > deadline) throw new Error(`the agent was installed but did not connect within ${Math.round(connectTimeoutMs / 1000)} s (see \`overmind-agent status\` and its log on the node)`);
      await sleep(500, undefined, { signal });
    }
  }

  /** Revokes the install's token unless the agent used it (an upgrade keeps its identity; a failed install leaves nothing usable). */
  async function dropUnused(tokenId: string): Promise<boolean> {
    const [row]: { used: boolean }[] = await deps.db.query('SELECT used_at IS NOT NULL AS used FROM agent_tokens WHERE id = $1', [tokenId]);
    if (row?.used) return false;
    await deps.agentTokens.revoke(actor, tokenId).catch(() => {});
    return true;
  }

  return {
    async install(node: NodeRow, ctx: AgentInstallContext, options: { prefix?: string | null } = {}): Promise<AgentInstallResult> {
      const prefix = options.prefix ?? deps.defaultPrefix;
      const release = await releases.release();
      const { row, token } = await deps.db.transaction((m) =>
        deps.agentTokens.mint(m, actor, { ttlSeconds: INSTALL_TOKEN_TTL_SECONDS, nodeId: node.id, description: `agent install, job ${ctx.jobId}` }),
      );
      ctx.mask(token);
      ctx.log(`installing agent ${release.version} on ${node.name} (join token ${row.prefix}…, bound to the node, valid ${INSTALL_TOKEN_TTL_SECONDS / 60} min)`);
      let finished = false;
      try {
        const since = ((await deps.db.query('SELECT now() AS now')) as { now: Date }[])[0]!.now;
        const { via, tail } = await deps.access.withSession(node, ctx, async (session, kind) => {
          const lines = await installAgentOver(session, { url: deps.publicUrl, token, distDir: deps.distDir, prefix, signal: ctx.signal, timeoutMs: INSTALL_SCRIPT_TIMEOUT_MS }, (line) => ctx.log(line));
          return { via: kind, tail: lines };
        });
        ctx.log(`install.sh finished; waiting for the agent to connect to ${deps.publicUrl}`);
        const agent = await waitConnected(node.id, since, ctx.signal).catch((err: Error) => {
          throw new AgentNotConnectedError(`${err.message}; install.sh's last lines:\n${tail.join('\n')}`);
        });
        const upgraded = await dropUnused(row.id);
        finished = true;
        ctx.log(`agent ${agent.agentId} (${agent.agentVersion ?? 'version unknown'}) is connected${upgraded ? '; it was enrolled already and kept its identity' : ''}`);
        return { ...agent, via, prefix, upgraded };
      } finally {
        if (!finished) await dropUnused(row.id).catch(() => {});
      }
    },
  };
}

export type AgentInstaller = ReturnType<typeof createAgentInstaller>;
