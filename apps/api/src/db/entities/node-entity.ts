import type { NodeState } from '@overmind/provider';
import { EntitySchema } from 'typeorm';

export interface NodeRow {
  id: string;
  providerId: string;
  providerNodeId: string | null;
  name: string;
  state: NodeState;
  publicIps: string[];
  privateIps: string[];
  imageId: string | null;
  sizeId: string | null;
  locationId: string | null;
  extra: Record<string, unknown>;
  tags: string[];
  facts: Record<string, unknown> | null;
  /** The node's agent's facts, copied by triggers (migration 1764000000018); shown where `facts` is null. */
  agentFacts?: Record<string, unknown> | null;
  /** Registered nodes only: SecretBox-sealed registration JSON (address, SSH and BMC login); never leaves the service. */
  registrationEnc: string | null;
  /** Registered nodes only: the driver's non-secret state (pinned host key, facts, last power action). */
  driverState: Record<string, unknown> | null;
  idempotencyKey: string;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  destroyedBy: string | null;
  destroyedAt: Date | null;
  decommissionedAt: Date | null;
  /** How the node is configured: `push` (SSH) or `pull` (its agent); null: its server role's mode. */
  configMode: 'push' | 'pull' | null;
  /** Its active (or pending) agent and that agent's connection state, kept here for the node list. */
  agentId: string | null;
  agentState: 'pending' | 'connected' | 'disconnected' | null;
  agentStateSince: Date | null;
  /** The worst state of its checks, or `stale` when its agent stopped reporting; null: no check results. */
  health: NodeHealth | null;
  healthSince: Date | null;
}

export const NODE_HEALTHS = ['ok', 'warning', 'critical', 'unknown', 'stale'] as const;
export type NodeHealth = (typeof NODE_HEALTHS)[number];

export const NodeEntity = new EntitySchema<NodeRow>({
  name: 'Node',
  tableName: 'nodes',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    providerId: { type: 'uuid', name: 'provider_id' },
    providerNodeId: { type: 'text', name: 'provider_node_id', nullable: true },
    name: { type: 'text' },
    state: { type: 'text' },
    publicIps: { type: 'text', array: true, name: 'public_ips' },
    privateIps: { type: 'text', array: true, name: 'private_ips' },
    imageId: { type: 'text', name: 'image_id', nullable: true },
    sizeId: { type: 'text', name: 'size_id', nullable: true },
    locationId: { type: 'text', name: 'location_id', nullable: true },
    extra: { type: 'jsonb' },
    tags: { type: 'text', array: true },
    facts: { type: 'jsonb', nullable: true },
    // The database keeps it (triggers on agents and nodes): the ORM reads it and never writes it.
    agentFacts: { type: 'jsonb', name: 'agent_facts', nullable: true, insert: false, update: false },
    registrationEnc: { type: 'text', name: 'registration_enc', nullable: true },
    driverState: { type: 'jsonb', name: 'driver_state', nullable: true },
    idempotencyKey: { type: 'uuid', name: 'idempotency_key', generated: 'uuid' },
    createdBy: { type: 'uuid', name: 'created_by', nullable: true },
    createdAt: { type: 'timestamptz', name: 'created_at', createDate: true },
    updatedAt: { type: 'timestamptz', name: 'updated_at', updateDate: true },
    destroyedBy: { type: 'uuid', name: 'destroyed_by', nullable: true },
    destroyedAt: { type: 'timestamptz', name: 'destroyed_at', nullable: true },
    decommissionedAt: { type: 'timestamptz', name: 'decommissioned_at', nullable: true },
    configMode: { type: 'text', name: 'config_mode', nullable: true },
    agentId: { type: 'uuid', name: 'agent_id', nullable: true },
    agentState: { type: 'text', name: 'agent_state', nullable: true },
    agentStateSince: { type: 'timestamptz', name: 'agent_state_since', nullable: true },
    health: { type: 'text', nullable: true },
    healthSince: { type: 'timestamptz', name: 'health_since', nullable: true },
  },
});
