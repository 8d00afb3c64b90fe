import { setTimeout as sleep } from 'node:timers/promises';
import { ProviderError, type OperationContext } from '@overmind/provider';
import type { DigitalOceanClient } from './digitalocean-client.js';
import type { DoAction, DoActionType } from './digitalocean-types.js';

export interface PollOptions {
  pollIntervalMs: number;
  timeoutMs: number;
}

/** Starts a droplet action and polls GET /v2/actions/:id until it completes or errors. */
export async function runDropletAction(
  client: DigitalOceanClient,
  dropletId: string,
  type: DoActionType,
  poll: PollOptions,
  ctx?: OperationContext,
): Promise<DoAction> {
  const path = `/v2/droplets/${encodeURIComponent(dropletId)}/actions`;
  let action = actionOf(await client.post<{ action?: DoAction }>(path, { type }, ctx));
  ctx?.log?.(`droplet ${dropletId}: ${type} action ${action.id} ${action.status}`);
  const deadline = Date.now() + poll.timeoutMs;
  while (action.status === 'in-progress') {
    if (Date.now() >= deadline) {
      throw new ProviderError(`DigitalOcean ${type} action ${action.id} on droplet ${dropletId} did not finish within ${poll.timeoutMs} ms`);
    }
    try {
      await sleep(poll.pollIntervalMs, undefined, ctx?.signal ? { signal: ctx.signal } : {});
    } catch (err) {
      ctx?.signal?.throwIfAborted(); // surface the caller's own abort reason, as fetch does
      throw err;
    }
    action = actionOf(await client.get<{ action?: DoAction }>(`/v2/actions/${action.id}`, ctx));
  }
  if (action.status !== 'completed') {
    throw new ProviderError(`DigitalOcean ${type} action ${action.id} on droplet ${dropletId} ended ${action.status}`, {
      providerCode: action.status,
    });
  }
  ctx?.log?.(`droplet ${dropletId}: ${type} action ${action.id} completed`);
  return action;
}

function actionOf(body: { action?: DoAction }): DoAction {
  const action = body.action;
  if (!action || typeof action.id !== 'number' || typeof action.status !== 'string') {
    throw new ProviderError('DigitalOcean answered a droplet action without an action object');
  }
  return action;
}
