import { EntitySchema } from 'typeorm';
import type { BalancerAlgorithm, BalancerProtocol, HealthCheck } from '@overmind/provider';

/**
 * Overmind's view of a balancer: `creating` and `destroying` while a job works on it, else the
 * driver's normalized state (`pending`, `active`, `error`...), and `destroyed` (kept for history).
 */
export type BalancerRowState = 'creating' | 'destroying' | 'destroyed' | 'pending' | 'active' | 'updating' | 'error' | 'deleting' | 'unknown';

/** A load balancer of a provider (or of an HAProxy host node of a libvirt or dedicated provider). */
export interface BalancerRow {
  id: string;
  providerId: string;
  /** The driver's id, once the create job made it. */
  providerBalancerId: string | null;
  name: string;
  state: BalancerRowState;
  /** Why the last job on it failed, when one did. */
  stateMessage: string | null;
  protocol: BalancerProtocol;
  port: number;
  /** The port members take traffic on. */
  memberPort: number;
  algorithm: BalancerAlgorithm;
  address: string | null;
  healthCheck: HealthCheck | null;
  locationId: string | null;
  /** For HAProxy: the node that runs it. */
  hostNodeId: string | null;
  /** Provider-only create options (subnets, a VPC, a certificate's id or path); never secrets. */
  options: Record<string, unknown>;
  /** A constellation tier's balancer: its constellation and tier (both or neither). */
  constellationId: string | null;
  tier: string | null;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  destroyedAt: Date | null;
}

export type BalancerMemberRowState = 'attaching' | 'detaching' | 'healthy' | 'unhealthy' | 'draining' | 'pending' | 'unused' | 'unknown' | 'error';

/** A node in a balancer's rotation. */
export interface BalancerMemberRow {
  balancerId: string;
  nodeId: string;
  /** The driver's member id (detachMember takes it), once attached. */
  memberId: string | null;
  state: BalancerMemberRowState;
  stateMessage: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const BalancerEntity = new EntitySchema<BalancerRow>({
  name: 'Balancer',
  tableName: 'balancers',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    providerId: { type: 'uuid', name: 'provider_id' },
    providerBalancerId: { type: 'text', name: 'provider_balancer_id', nullable: true },
    name: { type: 'text' },
    state: { type: 'text' },
    stateMessage: { type: 'text', name: 'state_message', nullable: true },
    protocol: { type: 'text' },
    port: { type: 'integer' },
    memberPort: { type: 'integer', name: 'member_port' },
    algorithm: { type: 'text' },
    address: { type: 'text', nullable: true },
    healthCheck: { type: 'jsonb', name: 'health_check', nullable: true },
    locationId: { type: 'text', name: 'location_id', nullable: true },
    hostNodeId: { type: 'uuid', name: 'host_node_id', nullable: true },
    options: { type: 'jsonb' },
    constellationId: { type: 'uuid', name: 'constellation_id', nullable: true },
    tier: { type: 'text', nullable: true },
    createdBy: { type: 'uuid', name: 'created_by', nullable: true },
    createdAt: { type: 'timestamptz', name: 'created_at', createDate: true },
    updatedAt: { type: 'timestamptz', name: 'updated_at', updateDate: true },
    destroyedAt: { type: 'timestamptz', name: 'destroyed_at', nullable: true },
  },
});

export const BalancerMemberEntity = new EntitySchema<BalancerMemberRow>({
  name: 'BalancerMember',
  tableName: 'balancer_members',
  columns: {
    balancerId: { type: 'uuid', name: 'balancer_id', primary: true },
    nodeId: { type: 'uuid', name: 'node_id', primary: true },
    memberId: { type: 'text', name: 'member_id', nullable: true },
    state: { type: 'text' },
    stateMessage: { type: 'text', name: 'state_message', nullable: true },
    createdAt: { type: 'timestamptz', name: 'created_at', createDate: true },
    updatedAt: { type: 'timestamptz', name: 'updated_at', updateDate: true },
  },
});
