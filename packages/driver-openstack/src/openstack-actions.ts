import { setTimeout as sleep } from 'node:timers/promises';
import { ProviderError, type OperationContext } from '@overmind/provider';
import type { OpenStackClient } from './openstack-client.js';
import type { NovaServer } from './openstack-types.js';

export interface PollOptions {
  pollIntervalMs: number;
  timeoutMs: number;
}

// Power actions whose end state is all they promise: Nova's 409 for a server already there is success.
const DONE_WHEN_THERE = new Set(['os-start', 'os-stop']);

export function serverPath(id: string): string {
  return `/servers/${encodeURIComponent(id)}`;
}

/**
 * Posts a server action (`{ "os-stop": null }`, `{ "reboot": { "type": "SOFT" } }`) and polls the
 * server until it shows `target` with no task in flight. Nova sets the task before it answers 202,
 * so a server idle in `target` right after the call has already finished (a fast reboot is never
 * seen in REBOOT). A 409 for starting a running server (or stopping a stopped one) is success; any
 * other 409 fails with Nova's reason and the server's fault.
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
  try {
    await client.request('compute', 'POST', `${serverPath(id)}/action`, { body: action, ctx });
  } catch (err) {
    if (!(err instanceof ProviderError && err.status === 409)) throw err;
    const server = await getServer(client, id, ctx);
    if (DONE_WHEN_THERE.has(name) && settledIn(server, target)) {
      ctx?.log?.(`server ${id}: already ${server.status}; ${name} has nothing to do`);
      return server;
    }
    const fault = server.fault?.message ? `; fault: ${server.fault.message}` : '';
    throw new ProviderError(`server ${id} is ${server.status}: ${err.message}${fault}`, {
      status: 409,
      ...(err.providerCode ? { providerCode: err.providerCode } : {}),
      cause: err,
    });
  }
  ctx?.log?.(`server ${id}: ${name} accepted`);
  return waitForServer(client, id, target, name, poll, ctx);
}

/** Polls a server until it is in `target` with no task in flight; ERROR fails with the fault. */
export async function waitForServer(
  client: OpenStackClient,
  id: string,
  target: string,
  name: string,
  poll: PollOptions,
  ctx?: OperationContext,
): Promise<NovaServer> {
  const deadline = Date.now() + poll.timeoutMs;
  for (;;) {
    const server = await getServer(client, id, ctx);
    const task = server['OS-EXT-STS:task_state'] ?? null;
    if (server.status === 'ERROR') {
      throw new ProviderError(`server ${id} went to ERROR during ${name}: ${server.fault?.message ?? 'no fault given'}`);
    }
    if (settledIn(server, target)) {
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

function settledIn(server: NovaServer, target: string): boolean {
  return server.status === target && (server['OS-EXT-STS:task_state'] ?? null) === null;
}

async function getServer(client: OpenStackClient, id: string, ctx?: OperationContext): Promise<NovaServer> {
  const { server } = await client.get<{ server?: NovaServer }>('compute', serverPath(id), ctx);
  if (!server || typeof server.status !== 'string') throw new ProviderError(`Nova answered GET server ${id} without a server`);
  return server;
}
