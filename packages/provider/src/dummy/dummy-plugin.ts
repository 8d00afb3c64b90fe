import { CLOUD_CAPABILITIES, type ProviderPlugin } from '../types.js';
import { DummyDriver } from './dummy-driver.js';

export interface DummyCredentials {
  apiKey: string;
}

export interface DummySettings {
  /** Delay added to every call, in milliseconds. */
  latencyMs?: number;
  /** Probability (0..1) that a mutating call fails with a transient error. */
  failureRate?: number;
  /** The first N mutating calls fail with a transient error (deterministic retries). */
  failFirstCalls?: number;
  /** How long a node stays pending/rebooting/starting/stopping, in milliseconds. */
  transitionMs?: number;
  /** Nodes the provider already has when first used, named `existing-1`... */
  initialNodes?: number;
}

export const dummyPlugin: ProviderPlugin<DummyCredentials, DummySettings> = {
  kind: 'dummy',
  displayName: 'Dummy (in-memory)',
  description:
    'An in-memory provider for trying Overmind without a cloud account. Its nodes live in the worker ' +
    'process and vanish when it restarts. API keys beginning with "bad" are rejected.',
  credentialSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['apiKey'],
    properties: {
      apiKey: { type: 'string', minLength: 1, maxLength: 256, writeOnly: true, title: 'API key' },
    },
  },
  settingsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      latencyMs: { type: 'integer', minimum: 0, maximum: 600000, default: 0, title: 'Latency (ms)' },
      failureRate: { type: 'number', minimum: 0, maximum: 1, default: 0, title: 'Failure rate' },
      failFirstCalls: { type: 'integer', minimum: 0, maximum: 1000, default: 0, title: 'Fail first N calls' },
      transitionMs: { type: 'integer', minimum: 0, maximum: 600000, default: 0, title: 'Transition time (ms)' },
      initialNodes: { type: 'integer', minimum: 0, maximum: 100000, default: 0, title: 'Existing nodes' },
    },
  },
  // Nothing leaves the worker process.
  endpointSettings: [],
  capabilities: [...CLOUD_CAPABILITIES, 'loadBalancers'],
  createDriver: (config) => new DummyDriver(config),
};
