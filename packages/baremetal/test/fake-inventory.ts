/** An in-memory NodeInventory, typed against the real interface the API implements. */
import type { DriverConfig, NodeInventory, RegisteredNode } from '@overmind/provider';
import { createDedicatedPlugin, type DedicatedCredentials, type DedicatedRuntimeOptions, type DedicatedSettings } from '../src/index.js';

export class FakeInventory implements NodeInventory {
  readonly nodes = new Map<string, RegisteredNode>();
  readonly saves: { id: string; patch: Record<string, unknown> }[] = [];

  add(id: string, registration: Record<string, unknown>, state: Record<string, unknown> = {}): RegisteredNode {
    const node = { id, name: `node-${id}`, registration, state };
    this.nodes.set(id, node);
    return node;
  }

  async list(): Promise<RegisteredNode[]> {
    return [...this.nodes.values()].map((n) => structuredClone(n));
  }

  async get(id: string): Promise<RegisteredNode | null> {
    const node = this.nodes.get(id);
    return node ? structuredClone(node) : null;
  }

  async saveState(id: string, patch: Record<string, unknown>): Promise<void> {
    const node = this.nodes.get(id);
    if (!node) throw new Error(`no node ${id}`);
    this.saves.push({ id, patch: structuredClone(patch) });
    node.state = { ...node.state, ...structuredClone(patch) };
  }
}

export function createTestDriver(
  inventory: NodeInventory,
  settings: DedicatedSettings = {},
  credentials: DedicatedCredentials = {},
  runtime: DedicatedRuntimeOptions = {},
) {
  const config: DriverConfig<DedicatedCredentials, DedicatedSettings> = { credentials, settings, providerId: 'rack-1', inventory };
  const driver = createDedicatedPlugin(runtime).createDriver(config);
  return driver as Required<typeof driver>;
}
