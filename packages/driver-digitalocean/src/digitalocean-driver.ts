import {
  NotFoundError,
  type CreateNodeRequest,
  type DriverConfig,
  type LoadBalancerDriver,
  type OperationContext,
  type ProviderDriver,
  type ProviderImage,
  type ProviderLocation,
  type ProviderNode,
  type ProviderSize,
} from '@overmind/provider';
import { runDropletAction, type PollOptions } from './digitalocean-actions.js';
import { DigitalOceanClient } from './digitalocean-client.js';
import { idempotencyTag, toCreateDroplet, toImage, toLocation, toNode, toSize } from './digitalocean-mapper.js';
import {
  DIGITALOCEAN_DEFAULTS,
  type DigitalOceanCredentials,
  type DigitalOceanSettings,
} from './digitalocean-settings.js';
import { importSshKey } from './digitalocean-ssh-keys.js';
import { createDoBalancers } from './digitalocean-balancers.js';
import type { DoAccount, DoActionType, DoDroplet, DoImage, DoRegion, DoSize, DoSshKey } from './digitalocean-types.js';

/** A DigitalOcean account: composes the HTTP client with the mapper. */
export class DigitalOceanDriver implements ProviderDriver {
  readonly client: DigitalOceanClient;
  /** DigitalOcean Load Balancers of the same account. */
  readonly balancers: LoadBalancerDriver;
  readonly #poll: PollOptions;

  constructor(config: DriverConfig<DigitalOceanCredentials, DigitalOceanSettings>) {
    // A setting present but undefined must not hide its default.
    const given = Object.entries(config.settings).filter(([, v]) => v !== undefined);
    const settings: Required<DigitalOceanSettings> = { ...DIGITALOCEAN_DEFAULTS, ...Object.fromEntries(given) };
    this.client = new DigitalOceanClient({
      token: config.credentials.token,
      apiUrl: settings.apiUrl,
      requestTimeoutMs: settings.requestTimeoutMs,
      perPage: settings.perPage,
    });
    this.#poll = { pollIntervalMs: settings.pollIntervalMs, timeoutMs: settings.actionTimeoutMs };
    this.balancers = createDoBalancers(this.client);
  }

  async validateCredentials(ctx?: OperationContext): Promise<void> {
    const { account } = await this.client.get<{ account?: DoAccount }>('/v2/account', ctx);
    ctx?.log?.(`DigitalOcean account ${account?.email ?? '(unnamed)'} is ${account?.status ?? 'of unknown status'}`);
  }

  async listNodes(ctx?: OperationContext): Promise<ProviderNode[]> {
    return (await this.client.list<DoDroplet>('/v2/droplets', 'droplets', ctx)).map(toNode);
  }

  async getNode(id: string, ctx?: OperationContext): Promise<ProviderNode | null> {
    try {
      const { droplet } = await this.client.get<{ droplet: DoDroplet }>(dropletPath(id), ctx);
      return toNode(droplet);
    } catch (err) {
      if (err instanceof NotFoundError) return null;
      throw err;
    }
  }

  /** Creates a droplet tagged with the idempotency key; a retry finds that droplet instead of making another. */
  async createNode(request: CreateNodeRequest, ctx?: OperationContext): Promise<ProviderNode> {
    const tag = idempotencyTag(request.idempotencyKey);
    const [existing] = await this.client.list<DoDroplet>('/v2/droplets', 'droplets', ctx, { tag_name: tag });
    if (existing) {
      ctx?.log?.(`droplet ${existing.id} already carries ${tag}; not creating another`);
      return toNode(existing);
    }
    const keyIds: number[] = [];
    if (request.sshPublicKey) keyIds.push((await this.importSshKey(request.sshPublicKey, `overmind ${request.name}`, ctx)).id);
    const { droplet } = await this.client.post<{ droplet: DoDroplet }>('/v2/droplets', toCreateDroplet(request, keyIds), ctx);
    ctx?.log?.(`droplet ${droplet.id} created in ${request.locationId}`);
    return toNode(droplet);
  }

  rebootNode(id: string, ctx?: OperationContext): Promise<void> {
    return this.#action(id, 'reboot', ctx);
  }

  startNode(id: string, ctx?: OperationContext): Promise<void> {
    return this.#action(id, 'power_on', ctx);
  }

  /** Graceful: asks the OS to shut down. */
  stopNode(id: string, ctx?: OperationContext): Promise<void> {
    return this.#action(id, 'shutdown', ctx);
  }

  powerOn(id: string, ctx?: OperationContext): Promise<void> {
    return this.#action(id, 'power_on', ctx);
  }

  /** Hard: like pulling the plug. */
  powerOff(id: string, ctx?: OperationContext): Promise<void> {
    return this.#action(id, 'power_off', ctx);
  }

  powerCycle(id: string, ctx?: OperationContext): Promise<void> {
    return this.#action(id, 'power_cycle', ctx);
  }

  async destroyNode(id: string, ctx?: OperationContext): Promise<void> {
    await this.client.request('DELETE', dropletPath(id), { ctx });
    ctx?.log?.(`droplet ${id} destroyed`);
  }

  /** Distribution images plus the account's own snapshots, backups and custom images. */
  async listImages(ctx?: OperationContext): Promise<ProviderImage[]> {
    const [distributions, own] = await Promise.all([
      this.client.list<DoImage>('/v2/images', 'images', ctx, { type: 'distribution' }),
      this.client.list<DoImage>('/v2/images', 'images', ctx, { private: 'true' }),
    ]);
    return [...distributions, ...own].map(toImage);
  }

  async listSizes(ctx?: OperationContext): Promise<ProviderSize[]> {
    return (await this.client.list<DoSize>('/v2/sizes', 'sizes', ctx)).map(toSize);
  }

  async listLocations(ctx?: OperationContext): Promise<ProviderLocation[]> {
    return (await this.client.list<DoRegion>('/v2/regions', 'regions', ctx)).map(toLocation);
  }

  /** Finds the account key with this public key's fingerprint, or uploads it under `name`. */
  importSshKey(publicKey: string, name: string, ctx?: OperationContext): Promise<DoSshKey> {
    return importSshKey(this.client, publicKey, name, ctx);
  }

  async #action(id: string, type: DoActionType, ctx?: OperationContext): Promise<void> {
    await runDropletAction(this.client, id, type, this.#poll, ctx);
  }
}

function dropletPath(id: string): string {
  return `/v2/droplets/${encodeURIComponent(id)}`;
}
