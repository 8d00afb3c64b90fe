/**
 * Zero-touch agents for cloud nodes of a pull server role: the node's create carries user data that
 * cloud-init runs at first boot, downloading install.sh from this API and enrolling with a join
 * token minted for that node. The token is minted and the script built on the worker, right before
 * the provider's create call; it is never stored (the job's payload does not hold it) and is masked
 * in the job's log. Cloud user data stays readable on the instance's metadata service, so the token
 * is one-time, bound to the node and short-lived, and the script holds nothing else secret.
 */
import { shellQuote } from '@overmind/cm';
import type { DataSource } from 'typeorm';
import { NodeEntity } from '../../db/entities/index.js';
import { systemActor } from '../../lib/actor.js';
import type { JobContext, JobHandlers } from '../jobs/job-runner.js';
import type { JobPayloads } from '../jobs/job-types.js';
import type { ProviderService } from '../providers/provider-service.js';
import { agentTargets } from './agent-targets.js';
import type { AgentTokenService } from './agent-token-service.js';

/** The node boots, cloud-init runs, the install enrols: an hour leaves room for a slow create and boot. */
export const USER_DATA_TOKEN_TTL_SECONDS = 3600;

/** The first-boot script: fetch install.sh from the API, enrol with the token, start the service. */
export function agentUserData(input: { url: string; token: string; expiresAt: Date }): string {
  const url = shellQuote(input.url);
  return `#!/bin/sh
# Overmind: installs this node's agent (overmind-agent) at first boot. The join token below is bound
# to this node, works once and expires at ${input.expiresAt.toISOString()}.
set -eu
umask 077
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
printf '%s\\n' ${shellQuote(input.token)} >"$dir/join-token"
url=${url}
if command -v curl >/dev/null 2>&1; then
  curl -fsSL --retry 10 --retry-delay 5 --retry-connrefused -o "$dir/install.sh" "$url/api/v1/agent/install.sh"
else
  wget -q --tries=10 --waitretry=5 -O "$dir/install.sh" "$url/api/v1/agent/install.sh"
fi
sh "$dir/install.sh" --url "$url" --token-file "$dir/join-token"
`;
}

/** Loopback and unspecified addresses: a cloud node cannot reach the API there. */
const UNREACHABLE_HOST = /^(localhost|127\.[\d.]+|0\.0\.0\.0|\[::1?\])$/i;

/**
 * Wraps the create handler: a node of a pull role, created by a provider that applies user data,
 * gets the agent install as its user data (unless the create brought user data of its own).
 */
export function withAgentUserData(
  handlers: JobHandlers,
  deps: {
    db: DataSource;
    providers: Pick<ProviderService, 'get' | 'plugin'>;
    agentTokens: Pick<AgentTokenService, 'mint'>;
    publicUrl: string;
  },
): void {
  const create = handlers['node.create'];

  async function userDataFor(ctx: JobContext): Promise<string | null> {
    const node = await deps.db.getRepository(NodeEntity).findOneByOrFail({ id: ctx.job.targetId });
    if (node.providerNodeId) return null; // created already: the provider has its user data
    const target = (await agentTargets(deps.db, [node.id])).get(node.id);
    if (target?.mode !== 'pull' || target.hasAgent) return null;
    const plugin = await deps.providers.plugin((await deps.providers.get(node.providerId)).type);
    if (!plugin.capabilities.includes('userData')) return null; // its first configure installs the agent over SSH
    if ((ctx.job.payload as JobPayloads['node.create']).userData) {
      ctx.log(`${node.name} brings its own user data: its agent is not installed from it`, 'warn');
      return null;
    }
    const { row, token } = await deps.db.transaction((m) =>
      deps.agentTokens.mint(m, systemActor('agent-install'), { ttlSeconds: USER_DATA_TOKEN_TTL_SECONDS, nodeId: node.id, description: `user data of ${node.name}, job ${ctx.job.id}` }),
    );
    ctx.mask(token);
    ctx.log(`${node.name}'s user data installs its agent at first boot (join token ${row.prefix}…, bound to the node, valid ${USER_DATA_TOKEN_TTL_SECONDS / 60} min)`);
    if (UNREACHABLE_HOST.test(new URL(deps.publicUrl).hostname)) {
      ctx.log(`the agent will connect to ${deps.publicUrl}, which a cloud node cannot reach: set OVERMIND_PUBLIC_URL`, 'warn');
    }
    return agentUserData({ url: deps.publicUrl, token, expiresAt: row.expiresAt });
  }

  handlers['node.create'] = {
    ...create,
    async run(ctx) {
      const userData = await userDataFor(ctx);
      if (!userData) return create.run(ctx);
      // Only in memory, for this call: the stored payload never holds the token.
      return create.run({ ...ctx, job: { ...ctx.job, payload: { ...ctx.job.payload, userData } } });
    },
  };
}
