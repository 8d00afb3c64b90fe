import { EntitySchema } from 'typeorm';

/** Non-secret SSH settings of a server role's nodes; the private key is sealed apart (sshKeyEnc). */
export interface ServerRoleSsh {
  username: string;
  port: number;
  /** Given to the provider for new nodes. */
  publicKey?: string;
}

export interface ServerRoleRow {
  id: string;
  name: string;
  providerId: string;
  locationId: string;
  sizeId: string;
  imageId: string;
  runList: string[];
  /** Networks of the role's new nodes (ids, `auto` or `none`); null: the provider's default. */
  networkIds: string[] | 'auto' | 'none' | null;
  /** Whether new nodes get a floating IP; null: the provider's default. */
  floatingIp: boolean | null;
  attributes: Record<string, unknown>;
  environment: string | null;
  /** The CM plugin (`chef-solo`) and its settings, without the kitchen directory (the API's own). */
  cmKind: string;
  cmSettings: Record<string, unknown>;
  ssh: ServerRoleSsh;
  /** SecretBox-sealed `{ privateKey, passphrase?, sudoPassword? }`; never leaves the service. */
  sshKeyEnc: string;
  /** SecretBox-sealed `{ 'mysql.root_password': '...' }`; null when the role has none. Opened on the worker only. */
  secretAttributesEnc: string | null;
  /** The paths of the secret attributes, sorted: what the API shows of them. */
  secretAttributeKeys: string[];
  /** `push` (SSH from the worker) or `pull` (each node's agent). */
  configMode: 'push' | 'pull';
  /** Pull nodes converge again this often (drift correction); null: only when asked. */
  convergeIntervalSeconds: number | null;
  /** Each node's periodic converge is offset by up to this many seconds, so they do not all start at once. */
  convergeSplaySeconds: number;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const ServerRoleEntity = new EntitySchema<ServerRoleRow>({
  name: 'ServerRole',
  tableName: 'server_roles',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    name: { type: 'text' },
    providerId: { type: 'uuid', name: 'provider_id' },
    locationId: { type: 'text', name: 'location_id' },
    sizeId: { type: 'text', name: 'size_id' },
    imageId: { type: 'text', name: 'image_id' },
    runList: { type: 'text', array: true, name: 'run_list' },
    networkIds: { type: 'jsonb', name: 'network_ids', nullable: true },
    floatingIp: { type: 'boolean', name: 'floating_ip', nullable: true },
    attributes: { type: 'jsonb' },
    environment: { type: 'text', nullable: true },
    cmKind: { type: 'text', name: 'cm_kind' },
    cmSettings: { type: 'jsonb', name: 'cm_settings' },
    ssh: { type: 'jsonb' },
    sshKeyEnc: { type: 'text', name: 'ssh_key_enc' },
    secretAttributesEnc: { type: 'text', name: 'secret_attributes_enc', nullable: true },
    secretAttributeKeys: { type: 'text', array: true, name: 'secret_attribute_keys', default: () => "'{}'" },
    configMode: { type: 'text', name: 'config_mode', default: 'push' },
    convergeIntervalSeconds: { type: 'integer', name: 'converge_interval_seconds', nullable: true },
    convergeSplaySeconds: { type: 'integer', name: 'converge_splay_seconds', default: 0 },
    createdBy: { type: 'uuid', name: 'created_by', nullable: true },
    createdAt: { type: 'timestamptz', name: 'created_at', createDate: true },
    updatedAt: { type: 'timestamptz', name: 'updated_at', updateDate: true },
  },
});

/** A node made from (or attached to) a server role. */
export interface ServerRoleNodeRow {
  nodeId: string;
  serverRoleId: string;
  /** Pinned at the first successful SSH connection (trust on first use). */
  hostKeyFingerprint: string | null;
  /** The configure queued once after the node's create job; null until then. */
  firstConfigureJobId: string | null;
  lastConfiguredAt: Date | null;
  lastConfigureStatus: 'succeeded' | 'failed' | null;
  createdAt: Date;
}

export const ServerRoleNodeEntity = new EntitySchema<ServerRoleNodeRow>({
  name: 'ServerRoleNode',
  tableName: 'server_role_nodes',
  columns: {
    nodeId: { type: 'uuid', primary: true, name: 'node_id' },
    serverRoleId: { type: 'uuid', name: 'server_role_id' },
    hostKeyFingerprint: { type: 'text', name: 'host_key_fingerprint', nullable: true },
    firstConfigureJobId: { type: 'uuid', name: 'first_configure_job_id', nullable: true },
    lastConfiguredAt: { type: 'timestamptz', name: 'last_configured_at', nullable: true },
    lastConfigureStatus: { type: 'text', name: 'last_configure_status', nullable: true },
    createdAt: { type: 'timestamptz', name: 'created_at', createDate: true },
  },
});
