import {
  NotFoundError,
  ProviderError,
  type CreateNodeRequest,
  type DriverConfig,
  type LoadBalancerDriver,
  type OperationContext,
  type ProviderDriver,
  type ProviderImage,
  type ProviderLocation,
  type ProviderNetwork,
  type ProviderNode,
  type ProviderSize,
} from '@overmind/provider';
import { runServerAction, serverPath, waitForServer, type PollOptions } from './openstack-actions.js';
import { OpenStackClient } from './openstack-client.js';
import { createOctaviaBalancers } from './octavia-balancers.js';
import { importKeypair } from './openstack-keypairs.js';
import {
  FLOATING_IP_ID_KEY,
  FLOATING_IP_KEY,
  allocateFloatingIp,
  floatingNetwork,
  listNetworks,
  microversionAtLeast,
  releaseFloatingIp,
  resolveNetworks,
} from './openstack-networks.js';
import {
  IDEMPOTENCY_METADATA_KEY,
  idempotencyValue,
  toCreateServer,
  toImage,
  toLocation,
  toNode,
  toSize,
} from './openstack-mapper.js';
import {
  OPENSTACK_DEFAULTS,
  type OpenStackCredentials,
  type OpenStackSettings,
  type ResolvedOpenStackSettings,
} from './openstack-settings.js';
import type { GlanceImage, NovaAvailabilityZone, NovaFlavor, NovaNetworks, NovaServer } from './openstack-types.js';

/** One OpenStack project: composes the Keystone-authenticated client with the mapper. */
export class OpenStackDriver implements ProviderDriver {
  readonly client: OpenStackClient;
  /** Octavia load balancers of the same project (the catalog's `load-balancer` service). */
  readonly balancers: LoadBalancerDriver;
  readonly #settings: ResolvedOpenStackSettings;
  readonly #poll: PollOptions;

  constructor(config: DriverConfig<OpenStackCredentials, OpenStackSettings>) {
    this.#settings = { ...OPENSTACK_DEFAULTS, ...definedOnly(config.settings), authUrl: config.settings.authUrl };
    const s = this.#settings;
    this.client = new OpenStackClient({
      authUrl: s.authUrl,
      credentials: config.credentials,
      region: s.region,
      interface: s.interface,
      computeApiVersion: s.computeApiVersion,
      requestTimeoutMs: s.requestTimeoutMs,
      pageSize: s.pageSize,
    });
    this.balancers = createOctaviaBalancers(this.client);
    this.#poll = { pollIntervalMs: s.pollIntervalMs, timeoutMs: s.actionTimeoutMs };
  }

  /** Gets a project-scoped token and proves the compute endpoint answers it. */
  async validateCredentials(ctx?: OperationContext): Promise<void> {
    await this.client.session(ctx);
    await this.client.get('compute', '/flavors', ctx, { limit: 1 });
  }

  async listNodes(ctx?: OperationContext): Promise<ProviderNode[]> {
    return (await this.client.listCompute<NovaServer>('/servers/detail', 'servers', ctx)).map(toNode);
  }

  async getNode(id: string, ctx?: OperationContext): Promise<ProviderNode | null> {
    try {
      return toNode(await this.#server(id, ctx));
    } catch (err) {
      if (err instanceof NotFoundError) return null;
      throw err;
    }
  }

  /**
   * Creates a server carrying the idempotency key in its metadata; a retry finds that server instead.
   * With a floating IP asked for, waits for the server to be ACTIVE (its port exists then), allocates
   * one on its port and records it in the server's metadata so destroy releases it.
   */
  async createNode(request: CreateNodeRequest, ctx?: OperationContext): Promise<ProviderNode> {
    let server = await this.#findByIdempotencyKey(request, ctx);
    if (server) {
      ctx?.log?.(`server ${server.id} already carries idempotency key; not creating another`);
    } else {
      const networks = await this.#networks(request, ctx);
      const keyName = request.sshPublicKey ? await importKeypair(this.client, request.sshPublicKey, ctx) : undefined;
      const body = toCreateServer(request, { keyName, networks });
      const created = await this.client.request<{ server?: { id?: string } }>('compute', 'POST', '/servers', { body, ctx });
      const id = created?.server?.id;
      if (!id) throw new ProviderError('Nova accepted the server but returned no id');
      ctx?.log?.(`server ${id} created in ${request.locationId || 'the default zone'}`);
      server = await this.#server(id, ctx);
    }
    if ((request.floatingIp ?? this.#settings.floatingIp) && !server.metadata?.[FLOATING_IP_ID_KEY]) {
      server = await this.#attachFloatingIp(server.id, ctx);
    }
    return toNode(server);
  }

  rebootNode(id: string, ctx?: OperationContext): Promise<void> {
    return this.#action(id, { reboot: { type: 'SOFT' } }, 'ACTIVE', ctx);
  }

  powerCycle(id: string, ctx?: OperationContext): Promise<void> {
    return this.#action(id, { reboot: { type: 'HARD' } }, 'ACTIVE', ctx);
  }

  startNode(id: string, ctx?: OperationContext): Promise<void> {
    return this.#action(id, { 'os-start': null }, 'ACTIVE', ctx);
  }

  stopNode(id: string, ctx?: OperationContext): Promise<void> {
    return this.#action(id, { 'os-stop': null }, 'SHUTOFF', ctx);
  }

  /** Releases the floating IP Overmind gave the server, then deletes it (a never-scheduled one goes at once). */
  async destroyNode(id: string, ctx?: OperationContext): Promise<void> {
    const floatingIpId = (await this.#server(id, ctx)).metadata?.[FLOATING_IP_ID_KEY];
    if (floatingIpId) await releaseFloatingIp(this.client, floatingIpId, ctx);
    await this.client.request('compute', 'DELETE', serverPath(id), { ctx });
    ctx?.log?.(`server ${id} deleted`);
  }

  async listImages(ctx?: OperationContext): Promise<ProviderImage[]> {
    return (await this.client.listImages<GlanceImage>(ctx, { status: 'active' })).map(toImage);
  }

  async listSizes(ctx?: OperationContext): Promise<ProviderSize[]> {
    return (await this.client.listCompute<NovaFlavor>('/flavors/detail', 'flavors', ctx)).map(toSize);
  }

  async listLocations(ctx?: OperationContext): Promise<ProviderLocation[]> {
    const body = await this.client.get<{ availabilityZoneInfo?: NovaAvailabilityZone[] }>('compute', '/os-availability-zone', ctx);
    if (!Array.isArray(body.availabilityZoneInfo)) throw new ProviderError('Nova listed no availabilityZoneInfo');
    return body.availabilityZoneInfo.map(toLocation);
  }

  /** The project's networks with their subnets; external ones are where floating IPs come from. */
  listNetworks(ctx?: OperationContext): Promise<ProviderNetwork[]> {
    return listNetworks(this.client, ctx);
  }

  /** Finds the keypair holding this public key, or imports it; resolves to its name. */
  importKeypair(publicKey: string, ctx?: OperationContext): Promise<string> {
    return importKeypair(this.client, publicKey, ctx);
  }

  async #server(id: string, ctx?: OperationContext): Promise<NovaServer> {
    const { server } = await this.client.get<{ server?: NovaServer }>('compute', serverPath(id), ctx);
    if (!server || typeof server.id !== 'string') throw new ProviderError(`Nova answered GET server ${id} without a server`);
    return server;
  }

  // Nova cannot filter on metadata; the name filter (a regex) narrows the list to a few servers.
  async #findByIdempotencyKey(request: CreateNodeRequest, ctx?: OperationContext): Promise<NovaServer | undefined> {
    const name = `^${request.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
    const servers = await this.client.listCompute<NovaServer>('/servers/detail', 'servers', ctx, { name });
    const value = idempotencyValue(request.idempotencyKey);
    return servers.find((s) => s?.metadata?.[IDEMPOTENCY_METADATA_KEY] === value);
  }

  // Before 2.37 Nova takes no `auto`/`none`: leaving networks out means auto, and none cannot be said.
  async #networks(request: CreateNodeRequest, ctx?: OperationContext): Promise<NovaNetworks | undefined> {
    const networks = await resolveNetworks(this.client, request, this.#settings.networkIds, ctx);
    const version = this.#settings.computeApiVersion;
    if (microversionAtLeast(version, '2.37')) return networks;
    if (networks === 'none') throw new ProviderError(`A server without networks needs compute microversion 2.37 or later, not ${version}`);
    return networks === 'auto' ? undefined : networks;
  }

  async #attachFloatingIp(id: string, ctx?: OperationContext): Promise<NovaServer> {
    const networkId = await floatingNetwork(this.client, this.#settings.floatingNetworkId, ctx);
    await waitForServer(this.client, id, 'ACTIVE', 'create', this.#poll, ctx);
    const fip = await allocateFloatingIp(this.client, id, networkId, ctx);
    try {
      await this.client.request('compute', 'POST', `${serverPath(id)}/metadata`, {
        body: { metadata: { [FLOATING_IP_ID_KEY]: fip.id, [FLOATING_IP_KEY]: fip.floating_ip_address } },
        ctx,
      });
    } catch (err) {
      await releaseFloatingIp(this.client, fip.id, ctx);
      throw err;
    }
    return this.#server(id, ctx);
  }

  async #action(id: string, action: Record<string, unknown>, target: string, ctx?: OperationContext): Promise<void> {
    await runServerAction(this.client, id, action, target, this.#poll, ctx);
  }
}

// A setting present but undefined must not hide its default.
function definedOnly<T extends object>(settings: T): Partial<T> {
  return Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)) as Partial<T>;
}
