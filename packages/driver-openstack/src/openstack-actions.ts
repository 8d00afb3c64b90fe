import { setTimeout as sleep } from 'node:timers/promises';
import { ProviderError, type OperationContext } from '@overmind/provider';
import type { OpenStackClient } from './openstack-client.js';
import type { NovaServer } from './openstack-types.js';

export interface PollOptions {
  pollIntervalMs: number;
  timeoutMs: number;
}

export function serverPath(id: string): string {
  return `/servers/${encodeURIComponent(id)}`;
}

/**
 * Posts a server action (`{ "os-stop": null }`, `{ "reboot": { "type": "SOFT" } }`) and polls the
 * server until it shows `target` with no task in flight. Nova sets the task before it answers 202,
 * so a server still idle in `target` right after the call has already finished.
 */
export async function runServerAction(
  client: OpenStackClient,
  id: string,
  action: Record<string, unknown>,
  target: string,
  poll: PollOptions,
  ctx?: OperationContext,
): Promise<NovaServer> {
  const name = Object.keys(action)[0] ?? 'action';
  await client.request('compute', 'POST', `${serverPath(id)}/action`, { body: action, ctx });
  ctx?.log?.(`server ${id}: ${name} accepted`);
  const deadline = Date.now() + poll.timeoutMs;
  for (;;) {
    const { server } = await client.get<{ server?: NovaServer & { fault?: { message?: string } } }>('compute', serverPath(id), ctx);
    if (!server || typeof server.status !== 'string') throw new ProviderError(`Nova answered GET server ${id} without a server`);
    const task = server['OS-EXT-STS:task_state'] ?? null;
    if (server.status === 'ERROR') {
      throw new ProviderError(`server ${id} went to ERROR during ${name}: ${server.fault?.message ?? 'no fault given'}`);
    }
    if (server.status === target && task === null) {
      ctx?.log?.(`server ${id}: ${name} done, ${server.status}`);
      return server;
    }
    if (Date.now() >= deadline) {
      throw new ProviderError(`server ${id} did not reach ${target} within ${poll.timeoutMs} ms after ${name} (${server.status}, task ${task})`);
    }
    try {
      await sleep(poll.pollIntervalMs, undefined, ctx?.signal ? { signal: ctx.signal } : {});
    } catch (err) {
      ctx?.signal?.throwIfAborted(); // surface the caller's own abort reason, as fetch does
      throw err;
    }
  }
}
