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
}

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
    registrationEnc: { type: 'text', name: 'registration_enc', nullable: true },
    driverState: { type: 'jsonb', name: 'driver_state', nullable: true },
    idempotencyKey: { type: 'uuid', name: 'idempotency_key', generated: 'uuid' },
    createdBy: { type: 'uuid', name: 'created_by', nullable: true },
    createdAt: { type: 'timestamptz', name: 'created_at', createDate: true },
    updatedAt: { type: 'timestamptz', name: 'updated_at', updateDate: true },
    destroyedBy: { type: 'uuid', name: 'destroyed_by', nullable: true },
    destroyedAt: { type: 'timestamptz', name: 'destroyed_at', nullable: true },
    decommissionedAt: { type: 'timestamptz', name: 'decommissioned_at', nullable: true },
  },
});
