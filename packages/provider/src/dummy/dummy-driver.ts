import { setTimeout as sleep } from 'node:timers/promises';
import { InvalidCredentialsError, NotFoundError, ProviderError, TransientError } from '../errors.js';
import type { NodeState } from '../states.js';
import type {
  CreateNodeRequest,
  DriverConfig,
  OperationContext,
  ProviderDriver,
  ProviderImage,
  ProviderLocation,
  ProviderNode,
  ProviderSize,
} from '../types.js';
import type { LoadBalancerDriver } from '../balancers.js';
import { createDummyBalancers } from './dummy-balancers.js';
import { DUMMY_IMAGES, DUMMY_LOCATIONS, DUMMY_SIZES } from './dummy-catalog.js';
import type { DummyCredentials, DummySettings } from './dummy-plugin.js';
import { dummyStore, type DummyNodeRecord, type DummyStore } from './dummy-store.js';

export class DummyDriver implements ProviderDriver {
  readonly #credentials: DummyCredentials;
  readonly #settings: Required<DummySettings>;
  readonly #store: DummyStore;
  /** In-memory balancers; every call waits and fails like the node calls do (latency, failure injection). */
  readonly balancers: LoadBalancerDriver;

  constructor(config: DriverConfig<DummyCredentials, DummySettings>) {
    this.#credentials = config.credentials;
    this.#settings = {
      latencyMs: config.settings.latencyMs ?? 0,
      failureRate: config.settings.failureRate ?? 0,
      failFirstCalls: config.settings.failFirstCalls ?? 0,
      transitionMs: config.settings.transitionMs ?? 0,
      initialNodes: config.settings.initialNodes ?? 0,
    };
    this.#store = dummyStore(config.providerId);
    this.balancers = createDummyBalancers(this.#store, { read: () => this.#delay(), write: () => this.#mutating() });
    if (this.#store.nodes.size === 0 && this.#store.mutatingCalls === 0) this.#seed(this.#settings.initialNodes);
  }

  async validateCredentials(ctx?: OperationContext): Promise<void> {
    await this.#delay(ctx);
    if (this.#credentials.apiKey.startsWith('bad')) {
      throw new InvalidCredentialsError('Dummy provider rejected the API key: keys beginning with "bad" are refused', {
        status: 401,
        providerCode: 'unauthorized',
      });
    }
  }

  async listNodes(ctx?: OperationContext): Promise<ProviderNode[]> {
    await this.#delay(ctx);
    return [...this.#store.nodes.values()].map((r) => this.#view(r));
  }

  async getNode(id: string, ctx?: OperationContext): Promise<ProviderNode | null> {
    await this.#delay(ctx);
    const record = this.#store.nodes.get(id);
    return record ? this.#view(record) : null;
  }

  async createNode(request: CreateNodeRequest, ctx?: OperationContext): Promise<ProviderNode> {
    await this.#mutating(ctx);
    for (const record of this.#store.nodes.values()) {
      if (record.idempotencyKey === request.idempotencyKey) {
        ctx?.log?.(`node for idempotency key ${request.idempotencyKey} already exists: ${record.node.id}`);
        return this.#view(record);
      }
    }
    this.#check(DUMMY_IMAGES, request.imageId, 'image');
    this.#check(DUMMY_SIZES, request.sizeId, 'size');
    this.#check(DUMMY_LOCATIONS, request.locationId, 'location');
    const id = this.#store.nextId();
    const n = this.#store.nodes.size + 1;
    const record: DummyNodeRecord = {
      node: {
        id,
        name: request.name,
        state: 'running',
        publicIps: [`203.0.113.${(n % 254) + 1}`],
        privateIps: [`10.0.${Math.floor(n / 254) % 256}.${(n % 254) + 1}`],
        imageId: request.imageId,
        sizeId: request.sizeId,
        locationId: request.locationId,
        createdAt: new Date().toISOString(),
        extra: { tags: request.tags ?? {}, userData: request.userData !== undefined },
      },
      settleAt: Date.now() + this.#settings.transitionMs,
      transitionalState: 'pending',
      idempotencyKey: request.idempotencyKey,
    };
    this.#store.nodes.set(id, record);
    ctx?.log?.(`dummy node ${id} created`);
    return this.#view(record);
  }

  rebootNode(id: string, ctx?: OperationContext): Promise<void> {
    // A hung machine (`fail` in the store) comes back with a reboot, as a real one would.
    return this.#transition(id, 'rebooting', 'running', ['running', 'error'], ctx);
  }

  startNode(id: string, ctx?: OperationContext): Promise<void> {
    return this.#transition(id, 'starting', 'running', ['stopped', 'running'], ctx);
  }

  stopNode(id: string, ctx?: OperationContext): Promise<void> {
    return this.#transition(id, 'stopping', 'stopped', ['running', 'stopped'], ctx);
  }

  async destroyNode(id: string, ctx?: OperationContext): Promise<void> {
    await this.#mutating(ctx);
    if (!this.#store.nodes.delete(id)) throw new NotFoundError(`Dummy node ${id} does not exist`, { status: 404 });
    ctx?.log?.(`dummy node ${id} destroyed`);
  }

  async listImages(ctx?: OperationContext): Promise<ProviderImage[]> {
    await this.#delay(ctx);
    return structuredClone([...DUMMY_IMAGES]);
  }

  async listSizes(ctx?: OperationContext): Promise<ProviderSize[]> {
    await this.#delay(ctx);
    return structuredClone([...DUMMY_SIZES]);
  }

  async listLocations(ctx?: OperationContext): Promise<ProviderLocation[]> {
    await this.#delay(ctx);
    return structuredClone([...DUMMY_LOCATIONS]);
  }

  async #transition(
    id: string,
    during: NodeState,
    after: NodeState,
    allowedFrom: NodeState[],
    ctx?: OperationContext,
  ): Promise<void> {
    await this.#mutating(ctx);
    const record = this.#store.nodes.get(id);
    if (!record) throw new NotFoundError(`Dummy node ${id} does not exist`, { status: 404 });
    const current = this.#view(record).state;
    if (!allowedFrom.includes(current)) {
      throw new ProviderError(`Dummy node ${id} is ${current}; cannot go ${during}`, { status: 409 });
    }
    record.node.state = after;
    record.transitionalState = during;
    record.settleAt = Date.now() + this.#settings.transitionMs;
    ctx?.log?.(`dummy node ${id} ${during}`);
  }

  #view(record: DummyNodeRecord): ProviderNode {
    const state = Date.now() < record.settleAt ? record.transitionalState : record.node.state;
    return structuredClone({ ...record.node, state });
  }

  #check(list: readonly { id: string }[], id: string, what: string): void {
    if (!list.some((item) => item.id === id)) {
      throw new NotFoundError(`Dummy provider has no ${what} "${id}"`, { status: 404 });
    }
  }

  async #mutating(ctx?: OperationContext): Promise<void> {
    await this.#delay(ctx);
    const call = ++this.#store.mutatingCalls;
    if (call <= this.#settings.failFirstCalls || Math.random() < this.#settings.failureRate) {
      throw new TransientError('Dummy provider: simulated transient failure', { status: 503, retryAfterMs: 0 });
    }
  }

  async #delay(ctx?: OperationContext): Promise<void> {
    if (this.#settings.latencyMs > 0) await sleep(this.#settings.latencyMs, undefined, { signal: ctx?.signal });
    ctx?.signal?.throwIfAborted();
  }

  #seed(count: number): void {
    for (let i = 1; i <= count; i++) {
      const id = this.#store.nextId();
      this.#store.nodes.set(id, {
        node: {
          id,
          name: `existing-${i}`,
          state: i % 10 === 0 ? 'stopped' : 'running',
          publicIps: [`198.51.${Math.floor(i / 254) % 256}.${(i % 254) + 1}`],
          privateIps: [`10.1.${Math.floor(i / 254) % 256}.${(i % 254) + 1}`],
          imageId: DUMMY_IMAGES[i % DUMMY_IMAGES.length]!.id,
          sizeId: DUMMY_SIZES[i % DUMMY_SIZES.length]!.id,
          locationId: DUMMY_LOCATIONS[i % DUMMY_LOCATIONS.length]!.id,
          createdAt: new Date(0).toISOString(),
          extra: {},
        },
        settleAt: 0,
        transitionalState: 'pending',
      });
    }
  }
}
