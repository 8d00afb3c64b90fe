import type { DataSource, EntityManager } from 'typeorm';
import { In } from 'typeorm';
import { NodeEntity, ServerRoleEntity, ServerRoleNodeEntity, type JobRow, type ServerRoleRow } from '../../db/entities/index.js';
import type { Actor } from '../../lib/actor.js';
import { ConflictError, NotFoundError, UnprocessableError } from '../../lib/errors.js';
import { offset, type Page, type PageRequest } from '../../lib/pagination.js';
import type { SecretBox } from '../../lib/secret-box.js';
import type { AuditService } from '../audit/audit-service.js';
import type { JobService } from '../jobs/job-service.js';
import type { NodeService } from '../nodes/node-service.js';
import type { CatalogService } from '../providers/catalog-service.js';
import type { ProviderService } from '../providers/provider-service.js';
import type { CmKind } from './cm-registry.js';
import { enqueueConfigure, type ConfigureQueueDeps } from './configure-queue.js';
import { problemsError, type KitchenService } from './kitchen-service.js';
import { applySecretPatch, assertSecretAttributes, type SecretAttributes, type SecretAttributesPatch } from './secret-attributes.js';

export interface SshInput {
  username: string;
  port: number;
  privateKey: string;
  passphrase?: string;
  sudoPassword?: string;
  publicKey?: string;
}

/** What stays sealed on a server role. */
export type SshSecret = Pick<SshInput, 'privateKey' | 'passphrase' | 'sudoPassword'>;

export type ServerRoleInput = Pick<ServerRoleRow, 'name' | 'providerId' | 'locationId' | 'sizeId' | 'imageId' | 'runList'> & {
  networkIds?: ServerRoleRow['networkIds'];
  floatingIp?: boolean | null;
  attributes?: Record<string, unknown>;
  /** Write-only: `{ 'mysql.root_password': '...' }`. */
  secretAttributes?: SecretAttributes;
  environment?: string | null;
  cm?: { kind: CmKind; settings: Record<string, unknown> };
  ssh: SshInput;
  configMode?: 'push' | 'pull';
  convergeIntervalSeconds?: number | null;
  convergeSplaySeconds?: number;
};

export type ServerRolePatch = Partial<Omit<ServerRoleInput, 'providerId' | 'secretAttributes'>> & {
  /** Set (string) or remove (null) single paths; paths left out keep their values. */
  secretAttributes?: SecretAttributesPatch;
};

export type ServerRoleView = Omit<ServerRoleRow, 'sshKeyEnc' | 'secretAttributesEnc' | 'cmKind' | 'cmSettings' | 'ssh'> & {
  cm: { kind: string; settings: Record<string, unknown> };
  ssh: { username: string; port: number; publicKey?: string; hasPrivateKey: boolean };
  nodeIds: string[];
};

export function createServerRoleService(deps: ConfigureQueueDeps & {
  secrets: SecretBox;
  audit: Pick<AuditService, 'record'>;
  jobs: Pick<JobService, 'enqueue' | 'activeFor'>;
  catalog: Pick<CatalogService, 'unknownIds' | 'checkNetworks'>;
  providers: Pick<ProviderService, 'get' | 'plugin'>;
  nodes: Pick<NodeService, 'create'>;
  kitchen: Pick<KitchenService, 'plugin' | 'checkSettings'>;
}) {
  const { db, secrets, audit } = deps;
  const roles = db.getRepository(ServerRoleEntity);
  const members = db.getRepository(ServerRoleNodeEntity);

  async function nodeIdsOf(ids: string[]): Promise<Map<string, string[]>> {
    const out = new Map(ids.map((id) => [id, [] as string[]]));
    if (ids.length === 0) return out;
    const rows: { role: string; node: string }[] = await db.query(
      `SELECT r.server_role_id AS role, r.node_id AS node FROM server_role_nodes r JOIN nodes n ON n.id = r.node_id
        WHERE r.server_role_id = ANY($1) AND n.destroyed_at IS NULL AND n.decommissioned_at IS NULL ORDER BY r.created_at, n.name`,
      [ids],
    );
    for (const r of rows) out.get(r.role)!.push(r.node);
    return out;
  }

  function view(row: ServerRoleRow, nodeIds: string[]): ServerRoleView {
    const { sshKeyEnc: _secret, secretAttributesEnc: _secrets, cmKind, cmSettings, ssh, ...rest } = row;
    return { ...rest, cm: { kind: cmKind, settings: cmSettings }, ssh: { ...ssh, hasPrivateKey: true }, nodeIds };
  }

  async function load(id: string): Promise<ServerRoleRow> {
    const row = await roles.findOneBy({ id });
    if (!row) throw new NotFoundError('Server role', id);
    return row;
  }

  async function assertNameFree(name: string, exceptId?: string): Promise<void> {
    const rows: { id: string }[] = await db.query('SELECT id FROM server_roles WHERE lower(name) = lower($1)', [name]);
    if (rows.some((r) => r.id !== exceptId)) throw new ConflictError(`A server role named "${name}" already exists`);
  }

  /** The machine type must be in the provider's catalog, and every run-list item must resolve in the kitchen. */
  async function check(row: Pick<ServerRoleRow, 'providerId' | 'imageId' | 'sizeId' | 'locationId' | 'networkIds' | 'runList' | 'environment' | 'cmKind' | 'cmSettings'>): Promise<void> {
    const provider = await deps.providers.get(row.providerId);
    const plugin = await deps.providers.plugin(provider.type);
    if (!plugin.capabilities.includes('createNode')) throw new UnprocessableError(`${plugin.displayName} providers cannot create nodes`);
    const unknown = await deps.catalog.unknownIds(provider.id, { image: row.imageId, size: row.sizeId, location: row.locationId });
    if (unknown.length > 0) {
      const errors = unknown.map((k) => ({ field: `body.${k}Id`, message: `is not a ${k} of provider ${provider.name}` }));
      throw new UnprocessableError(errors.map((e) => `${e.field} ${e.message}`).join('; '), { errors });
    }
    await deps.catalog.checkNetworks(provider, row.networkIds, 'body.networkIds');
    const cm = await deps.kitchen.plugin(row.cmKind as CmKind, row.cmSettings);
    const problems = await cm.validate({ runList: row.runList, environment: row.environment });
    if (problems.length > 0) throw problemsError('The run list does not resolve in the kitchen', problems, 'body.runList');
  }

  function sealSsh(ssh: SshInput): Pick<ServerRoleRow, 'ssh' | 'sshKeyEnc'> {
    const { privateKey, passphrase, sudoPassword, ...plain } = ssh;
    return { ssh: plain, sshKeyEnc: secrets.sealJson({ privateKey, passphrase, sudoPassword } satisfies SshSecret) };
  }

  function sealSecretAttributes(secretAttributes: SecretAttributes): Pick<ServerRoleRow, 'secretAttributesEnc' | 'secretAttributeKeys'> {
    const keys = Object.keys(secretAttributes).sort();
    return { secretAttributesEnc: keys.length > 0 ? secrets.sealJson(secretAttributes) : null, secretAttributeKeys: keys };
  }

  const openSecretAttributes = (row: ServerRoleRow): SecretAttributes => (row.secretAttributesEnc ? secrets.openJson<SecretAttributes>(row.secretAttributesEnc) : {});

  async function activeNodeJob(nodeId: string, m: EntityManager): Promise<void> {
    const active = await deps.jobs.activeFor(nodeId, m);
    if (active) throw new ConflictError(`Node ${nodeId} has a job in progress (${active.type} ${active.id}); wait for it to finish`);
  }

  return {
    async list(filter: PageRequest & { order: 'asc' | 'desc' }): Promise<Page<ServerRoleView>> {
      const [items, total] = await roles
        .createQueryBuilder('r')
        .orderBy('lower(r.name)', filter.order === 'asc' ? 'ASC' : 'DESC')
        .skip(offset(filter))
        .take(filter.limit)
        .getManyAndCount();
      const nodeIds = await nodeIdsOf(items.map((r) => r.id));
      return { items: items.map((r) => view(r, nodeIds.get(r.id)!)), total, page: filter.page, limit: filter.limit };
    },

    async get(id: string): Promise<ServerRoleView> {
      const row = await load(id);
      return view(row, (await nodeIdsOf([id])).get(id)!);
    },

    /** The role with its SSH secret and secret attributes opened, for the configure job only. */
    async withSecret(id: string): Promise<{ role: ServerRoleRow; secret: SshSecret; secretAttributes: SecretAttributes }> {
      const role = await load(id);
      return { role, secret: secrets.openJson<SshSecret>(role.sshKeyEnc), secretAttributes: openSecretAttributes(role) };
    },

    async create(actor: Actor, input: ServerRoleInput): Promise<ServerRoleView> {
      const cmKind = input.cm?.kind ?? 'chef-solo';
      const cmSettings = await deps.kitchen.checkSettings(cmKind, input.cm?.settings ?? {}, 'body.cm.settings');
      const fields = {
        ...input,
        networkIds: input.networkIds ?? null,
        floatingIp: input.floatingIp ?? null,
        attributes: input.attributes ?? {},
        environment: input.environment ?? null,
        cmKind,
        cmSettings,
      };
      const secretAttributes = input.secretAttributes ?? {};
      assertSecretAttributes(Object.keys(secretAttributes), fields.attributes, 'body.secretAttributes');
      await check(fields);
      await assertNameFree(input.name);
      return db.transaction(async (m) => {
        const { cm: _cm, ssh, secretAttributes: _values, ...rest } = fields;
        const sealed = { ...sealSsh(ssh), ...sealSecretAttributes(secretAttributes) };
        const row = await m.save(ServerRoleEntity, m.create(ServerRoleEntity, { ...rest, ...sealed, createdBy: actor.id }));
        const details = { name: row.name, runList: row.runList, secretAttributeKeys: row.secretAttributeKeys };
        await audit.record(actor, 'server-role.create', { type: 'server-role', id: row.id }, details, { manager: m });
        return view(row, []);
      });
    },

    async update(actor: Actor, id: string, patch: ServerRolePatch): Promise<ServerRoleView> {
      const row = await load(id);
      const { cm, ssh, secretAttributes, ...plain } = patch;
      Object.assign(row, plain);
      if (cm) Object.assign(row, { cmKind: cm.kind, cmSettings: await deps.kitchen.checkSettings(cm.kind, cm.settings, 'body.cm.settings') });
      if (ssh) Object.assign(row, sealSsh(ssh));
      if (secretAttributes) Object.assign(row, sealSecretAttributes(applySecretPatch(openSecretAttributes(row), secretAttributes)));
      // New plain attributes must not cover the secret ones either.
      assertSecretAttributes(row.secretAttributeKeys, row.attributes, secretAttributes ? 'body.secretAttributes' : 'body.attributes');
      await check(row);
      if (patch.name) await assertNameFree(patch.name, id);
      const details: Record<string, unknown> = { fields: Object.keys(patch) };
      if (secretAttributes) {
        const entries = Object.entries(secretAttributes);
        details.secretAttributes = { set: entries.filter(([, v]) => v !== null).map(([k]) => k).sort(), unset: entries.filter(([, v]) => v === null).map(([k]) => k).sort() };
      }
      await db.transaction(async (m) => {
        await m.save(ServerRoleEntity, row);
        await audit.record(actor, 'server-role.update', { type: 'server-role', id }, details, { manager: m });
      });
      return this.get(id);
    },

    /** Deletes the role; its nodes stay, no longer attached to any role. */
    async remove(actor: Actor, id: string): Promise<void> {
      const row = await load(id);
      await db.transaction(async (m) => {
        await m.delete(ServerRoleEntity, { id });
        await audit.record(actor, 'server-role.delete', { type: 'server-role', id }, { name: row.name }, { manager: m });
      });
    },

    /** Creates `count` nodes through the normal node.create job; each is configured once it runs. */
    async createNodes(actor: Actor, id: string, input: { count: number; namePrefix?: string }): Promise<JobRow[]> {
      const role = await load(id);
      await check(role);
      const [{ n }] = await db.query('SELECT count(*)::int AS n FROM server_role_nodes WHERE server_role_id = $1', [id]);
      const created: JobRow[] = [];
      for (let i = 1; i <= input.count; i++) {
        const job = await deps.nodes.create(actor, {
          providerId: role.providerId,
          name: `${input.namePrefix ?? role.name}-${n + i}`,
          imageId: role.imageId,
          sizeId: role.sizeId,
          locationId: role.locationId,
          ...(role.networkIds !== null ? { networkIds: role.networkIds } : {}),
          ...(role.floatingIp !== null ? { floatingIp: role.floatingIp } : {}),
          ...(role.ssh.publicKey ? { sshPublicKey: role.ssh.publicKey } : {}),
        }, {
          // With the node: its create job, once running, always finds the role and queues the configure.
          withNode: async (m, nodeId) => {
            await m.insert(ServerRoleNodeEntity, { nodeId, serverRoleId: id });
          },
        });
        created.push(job);
      }
      await audit.record(actor, 'server-role.create-nodes', { type: 'server-role', id }, { nodeIds: created.map((j) => j.targetId) });
      return created;
    },

    /** Re-applies the role to every live node of it, `concurrency` at a time, in one job. */
    async apply(actor: Actor, id: string, concurrency: number): Promise<JobRow> {
      const role = await load(id);
      await check(role);
      const nodeIds = (await nodeIdsOf([id])).get(id)!;
      if (nodeIds.length === 0) throw new ConflictError(`Server role ${role.name} has no nodes`);
      return db.transaction(async (m) => {
        const job = await deps.jobs.enqueue(m, {
          type: 'server-role.apply',
          targetType: 'server-role',
          targetId: id,
          providerId: role.providerId,
          createdBy: actor.id,
          payload: { concurrency },
          retries: 0,
        });
        await audit.record(actor, 'server-role.apply', { type: 'server-role', id }, { jobId: job.id, nodes: nodeIds.length }, { manager: m });
        return job;
      });
    },

    /** Re-applies a node's server role to it. */
    async configureNode(actor: Actor, nodeId: string): Promise<JobRow> {
      const member = await members.findOneBy({ nodeId });
      return db.transaction(async (m) => {
        const node = await m.findOne(NodeEntity, { where: { id: nodeId }, lock: { mode: 'pessimistic_write' } });
        if (!node) throw new NotFoundError('Node', nodeId);
        if (!member) throw new ConflictError(`Node ${node.name} has no server role: give it one first (PUT /api/v1/nodes/{id}/role)`);
        if (node.destroyedAt || node.decommissionedAt) throw new ConflictError(`Node ${node.name} is gone`);
        if (!node.providerNodeId) throw new ConflictError(`Node ${node.name} does not exist at its provider yet`);
        await activeNodeJob(nodeId, m);
        const job = await enqueueConfigure(deps, m, node, actor.id);
        await audit.record(actor, 'node.configure', { type: 'node', id: nodeId }, { jobId: job.id, serverRoleId: member.serverRoleId }, { manager: m });
        return job;
      });
    },

    /** Attaches any live node to a role (replacing its previous one) and sets its own configuration mode. */
    async assign(actor: Actor, nodeId: string, input: { serverRoleId: string; configMode?: 'push' | 'pull' | null }) {
      const role = await load(input.serverRoleId);
      return db.transaction(async (m) => {
        const node = await m.findOne(NodeEntity, { where: { id: nodeId }, lock: { mode: 'pessimistic_write' } });
        if (!node) throw new NotFoundError('Node', nodeId);
        if (node.destroyedAt || node.decommissionedAt) throw new ConflictError(`Node ${node.name} is gone`);
        await activeNodeJob(nodeId, m);
        const previous = await m.findOneBy(ServerRoleNodeEntity, { nodeId });
        if (previous?.serverRoleId !== role.id) {
          await m.delete(ServerRoleNodeEntity, { nodeId });
          // A node that exists already needs no first configure after its create job.
          await m.insert(ServerRoleNodeEntity, { nodeId, serverRoleId: role.id, firstConfigureJobId: previous?.firstConfigureJobId ?? null });
        }
        if (input.configMode !== undefined) {
          node.configMode = input.configMode;
          await m.update(NodeEntity, { id: nodeId }, { configMode: input.configMode });
        }
        await audit.record(actor, 'node.assign-role', { type: 'node', id: nodeId }, { serverRoleId: role.id, previous: previous?.serverRoleId ?? null, configMode: node.configMode }, { manager: m });
        return m.findOneByOrFail(NodeEntity, { id: nodeId });
      });
    },

    async unassign(actor: Actor, nodeId: string) {
      return db.transaction(async (m) => {
        const node = await m.findOne(NodeEntity, { where: { id: nodeId }, lock: { mode: 'pessimistic_write' } });
        if (!node) throw new NotFoundError('Node', nodeId);
        const previous = await m.findOneBy(ServerRoleNodeEntity, { nodeId });
        if (!previous) throw new ConflictError(`Node ${node.name} has no server role`);
        await activeNodeJob(nodeId, m);
        await m.delete(ServerRoleNodeEntity, { nodeId });
        await audit.record(actor, 'node.unassign-role', { type: 'node', id: nodeId }, { serverRoleId: previous.serverRoleId }, { manager: m });
        return node;
      });
    },

    /** A node's server role assignment; 409 when it has none. */
    async memberOf(nodeId: string) {
      const member = await members.findOneBy({ nodeId });
      if (!member) throw new ConflictError(`Node ${nodeId} has no server role`);
      return member;
    },

    /** Live nodes of a role (for the apply job). */
    async nodesOf(id: string) {
      const ids = (await nodeIdsOf([id])).get(id)!;
      return ids.length === 0 ? [] : db.getRepository(NodeEntity).findBy({ id: In(ids) });
    },
  };
}

export type ServerRoleService = ReturnType<typeof createServerRoleService>;
