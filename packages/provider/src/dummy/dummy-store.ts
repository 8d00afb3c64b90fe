import type { NodeState } from '../states.js';
import type { ProviderNode } from '../types.js';
import type { DummyBalancerRecord } from './dummy-balancers.js';

export interface DummyNodeRecord {
  node: ProviderNode;
  /** While `Date.now() < settleAt` the node reports `transitionalState`. */
  settleAt: number;
  transitionalState: NodeState;
  idempotencyKey?: string;
}

/** State of one dummy provider: its nodes, and counters used to simulate failures. */
export class DummyStore {
  readonly nodes = new Map<string, DummyNodeRecord>();
  readonly balancers = new Map<string, DummyBalancerRecord>();
  mutatingCalls = 0;
  #nextId = 1;

  nextId(): string {
    return `dummy-${this.#nextId++}`;
  }

  /** Makes a node fail as if its machine hung (failure injection): it reports `error` until it is rebooted. */
  fail(id: string): boolean {
    const record = this.nodes.get(id);
    if (!record) return false;
    record.node.state = 'error';
    record.settleAt = 0;
    return true;
  }

  /** Removes a node as if someone deleted it outside Overmind (for sync scenarios). */
  forget(id: string): boolean {
    return this.nodes.delete(id);
  }
}

// One store per provider id in this process, like libcloud's DummyNodeDriver: nothing persists.
const stores = new Map<string, DummyStore>();

export function dummyStore(providerId: string): DummyStore {
  let store = stores.get(providerId);
  if (!store) {
    store = new DummyStore();
    stores.set(providerId, store);
  }
  return store;
}
