import type { DataSource, EntityManager } from 'typeorm';
import type { JobRow } from '../../db/entities/index.js';
import type { Actor } from '../../lib/actor.js';
import { ConflictError, NotFoundError, UnprocessableError } from '../../lib/errors.js';
import { offset, type Page, type PageRequest } from '../../lib/pagination.js';
import type { AuditService } from '../audit/audit-service.js';
import type { JobService } from '../jobs/job-service.js';
import type { CmKind } from '../cm/cm-registry.js';
import { formatProblem } from '@overmind/cm';
import type { KitchenService } from '../cm/kitchen-service.js';
import type { CatalogService } from '../providers/catalog-service.js';
import type { ProviderService } from '../providers/provider-service.js';
import type { BalancerService } from '../balancers/balancer-service.js';
import { currentBalancers, fixedSettingChanges } from './constellation-balancers.js';
import { readDocument, writeDocument, type DocumentFormat } from './constellation-document.js';
import { currentMembers, memberConfig, type MemberRow } from './constellation-members.js';
import { memberKey } from './constellation-outputs.js';
import { computePlan, type Machine, type Plan, type ResolvedTier } from './constellation-plan.js';
import { checkSpec, fieldName, tierOrder, type ConstellationSpec, type SpecProblem } from './constellation-spec.js';

interface ConstellationRow {
  id: string;
  name: string;
  latestVersion: number;
  targetVersion: number | null;
  appliedVersion: number | null;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  destroyedAt: Date | null;
}

const COLUMNS = `id, name, latest_version AS "latestVersion", target_version AS "targetVersion", applied_version AS "appliedVersion",
  created_by AS "createdBy", created_at AS "createdAt", updated_at AS "updatedAt", destroyed_at AS "destroyedAt"`;

export interface CloneInput {
  name: string;
  machine?: Partial<Machine>;
  counts?: Record<string, number>;
}

/** Where a spec problem is, for the error: `body.tiers[1].count`, or a document's line. */
type Locate = (path: (string | number)[]) => { line: number; column: number } | undefined;

export function createConstellationService(deps: {
  db: DataSource;
  audit: Pick<AuditService, 'record'>;
  jobs: Pick<JobService, 'enqueue' | 'activeFor'>;
  catalog: Pick<CatalogService, 'unknownIds'>;
  providers: Pick<ProviderService, 'get' | 'plugin'>;
  kitchen: Pick<KitchenService, 'plugin'>;
  balancers: Pick<BalancerService, 'ofConstellation'>;
}) {
  const { db, audit } = deps;

  function refuse(problems: SpecProblem[], prefix: string, locate?: Locate): never {
    const errors = problems.map((p) => ({ field: fieldName(p.path, prefix), message: p.message, ...locate?.(p.path) }));
    throw new UnprocessableError(`The constellation spec is not valid: ${errors.map((e) => `${'line' in e ? `line ${e.line}: ` : ''}${e.field} ${e.message}`).join('; ')}`, { errors });
  }

  /** The spec's tiers in dependency order, each with its server role and machine type checked against the catalog. */
  async function resolve(spec: ConstellationSpec, prefix = 'body', locate?: Locate): Promise<ResolvedTier[]> {
    const problems = checkSpec(spec);
    if (problems.length > 0) refuse(problems, prefix, locate);
    const names = [...new Set(spec.tiers.flatMap((t) => (t.serverRole ? [t.serverRole] : [])))];
    const roles: { id: string; name: string; updatedAt: Date; providerId: string; locationId: string; sizeId: string; imageId: string; cmKind: string; cmSettings: Record<string, unknown>; environment: string | null }[] = names.length === 0 ? [] : await db.query(
      `SELECT id, name, updated_at AS "updatedAt", provider_id AS "providerId", location_id AS "locationId", size_id AS "sizeId", image_id AS "imageId",
              cm_kind AS "cmKind", cm_settings AS "cmSettings", environment
         FROM server_roles WHERE name = ANY($1)`,
      [names],
    );
    const byName = new Map(roles.map((r) => [r.name, r]));
    const resolved = new Map<string, ResolvedTier>();
    for (const [i, tier] of spec.tiers.entries()) {
      const role = tier.serverRole ? byName.get(tier.serverRole) : undefined;
      if (tier.serverRole && !role) {
        problems.push({ path: ['tiers', i, 'serverRole'], message: `"${tier.serverRole}" is not a server role` });
        continue;
      }
      if (role && tier.runList) {
        // The tier's own run list must resolve in the kitchen as a role's does.
        const cm = await deps.kitchen.plugin(role.cmKind as CmKind, role.cmSettings);
        for (const p of await cm.validate({ runList: tier.runList, environment: role.environment })) problems.push({ path: ['tiers', i, 'runList'], message: formatProblem(p) });
      }
      const machine = { ...(role ? { providerId: role.providerId, locationId: role.locationId, sizeId: role.sizeId, imageId: role.imageId } : {}), ...tier.machine } as Machine;
      resolved.set(tier.name, { spec: tier, role: role ? { id: role.id, name: role.name, updatedAt: role.updatedAt } : null, machine });
    }
    // One catalog check per distinct machine type, not per tier.
    const checked = new Map<string, SpecProblem[]>();
    for (const [i, tier] of spec.tiers.entries()) {
      const r = resolved.get(tier.name);
      if (!r) continue;
      const key = JSON.stringify(r.machine);
      if (!checked.has(key)) checked.set(key, await machineProblems(r.machine));
      problems.push(...checked.get(key)!.map((p) => ({ path: ['tiers', i, 'machine', ...p.path], message: p.message })));
      if (tier.balancer && checked.get(key)!.length === 0) problems.push(...(await balancerProblems(r.machine.providerId, tier.balancer.hostNodeId)).map((p) => ({ path: ['tiers', i, 'balancer', ...p.path], message: p.message })));
    }
    if (problems.length > 0) refuse(problems, prefix, locate);
    return tierOrder(spec).map((t) => resolved.get(t.name)!);
  }

  async function machineProblems(machine: Machine): Promise<SpecProblem[]> {
    const provider = await deps.providers.get(machine.providerId).catch((err: unknown) => {
      if (err instanceof NotFoundError) return null;
      throw err;
    });
    if (!provider) return [{ path: ['providerId'], message: `provider ${machine.providerId} does not exist` }];
    const plugin = await deps.providers.plugin(provider.type);
    if (!plugin.capabilities.includes('createNode')) return [{ path: ['providerId'], message: `${plugin.displayName} providers cannot create nodes` }];
    const unknown = await deps.catalog.unknownIds(provider.id, { image: machine.imageId, size: machine.sizeId, location: machine.locationId });
    return unknown.map((k) => ({ path: [`${k}Id`], message: `is not a ${k} of provider ${provider.name}` }));
  }

  /** A provider with balancers of its own makes the tier's; libvirt and dedicated ones run HAProxy on a node of theirs. */
  async function balancerProblems(providerId: string, hostNodeId: string | undefined): Promise<SpecProblem[]> {
    const provider = await deps.providers.get(providerId);
    const plugin = await deps.providers.plugin(provider.type);
    if (plugin.capabilities.includes('loadBalancers')) {
      return hostNodeId ? [{ path: ['hostNodeId'], message: `is only for HAProxy on a node: ${plugin.displayName} providers make their own balancers` }] : [];
    }
    if (!hostNodeId) return [{ path: ['hostNodeId'], message: `is required: ${plugin.displayName} providers have no load balancers of their own; name a node of provider ${provider.name} to run HAProxy on` }];
    const [host] = await db.query('SELECT provider_id, destroyed_at IS NOT NULL OR decommissioned_at IS NOT NULL AS gone FROM nodes WHERE id = $1', [hostNodeId]);
    if (!host || host.gone) return [{ path: ['hostNodeId'], message: 'is not a live node' }];
    if (host.provider_id !== providerId) return [{ path: ['hostNodeId'], message: `is not a node of provider ${provider.name}` }];
    return [];
  }

  async function load(id: string, m: Pick<EntityManager, 'query'> = db, lock = false): Promise<ConstellationRow> {
    const [row] = await m.query(`SELECT ${COLUMNS} FROM constellations WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    if (!row) throw new NotFoundError('Constellation', id);
    return row;
  }

  async function live(id: string, m?: Pick<EntityManager, 'query'>, lock = false): Promise<ConstellationRow> {
    const row = await load(id, m, lock);
    if (row.destroyedAt) throw new ConflictError(`Constellation ${row.name} was destroyed`);
    return row;
  }

  async function specOf(id: string, version: number): Promise<ConstellationSpec> {
    const [row] = await db.query('SELECT spec FROM constellation_versions WHERE constellation_id = $1 AND version = $2', [id, version]);
    if (!row) throw new NotFoundError('Version', `${version} of constellation ${id}`);
    return row.spec;
  }

  async function assertNameFree(m: Pick<EntityManager, 'query'>, name: string): Promise<void> {
    const [taken] = await m.query('SELECT 1 FROM constellations WHERE lower(name) = lower($1) AND destroyed_at IS NULL', [name]);
    if (taken) throw new ConflictError(`A constellation named "${name}" already exists`);
  }

  async function view(row: ConstellationRow) {
    const spec = await specOf(row.id, row.latestVersion);
    const members = await currentMembers(db, row.id);
    const balancers = await deps.balancers.ofConstellation(row.id);
    const keyOf = new Map(members.map((m) => [m.nodeId, memberKey(m.tier, m.ordinal)]));
    const tiers = [...new Set([...spec.tiers.map((t) => t.name), ...members.map((m) => m.tier), ...balancers.map((b) => b.tier!)])].map((name) => {
      const b = balancers.find((x) => x.tier === name);
      return {
        name,
        count: spec.tiers.find((t) => t.name === name)?.count ?? 0,
        members: members.filter((m) => m.tier === name && !m.gone).map(memberView),
        balancer: b
          ? { id: b.id, name: b.name, state: b.state, address: b.address, port: b.port, protocol: b.protocol, members: b.members.map((m) => ({ key: keyOf.get(m.nodeId) ?? null, nodeId: m.nodeId, state: m.state })) }
          : null,
      };
    });
    const [last] = await db.query(`SELECT id FROM jobs WHERE target_id = $1 ORDER BY created_at DESC LIMIT 1`, [row.id]);
    return { ...row, spec, tiers, lastJobId: (last?.id as string | undefined) ?? null };
  }

  const memberView = (m: MemberRow) => ({
    key: memberKey(m.tier, m.ordinal),
    nodeId: m.nodeId,
    nodeName: m.nodeName,
    state: m.state,
    health: m.health,
    privateIps: m.privateIps,
    publicIps: m.publicIps,
    configured: m.appliedHash !== null,
  });

  async function insert(actor: Actor, name: string, spec: ConstellationSpec, action: string, details: Record<string, unknown> = {}) {
    const id = await db.transaction(async (m) => {
      await assertNameFree(m, name);
      const [{ id }] = await m.query('INSERT INTO constellations (name, created_by) VALUES ($1, $2) RETURNING id', [name, actor.id]);
      await m.query('INSERT INTO constellation_versions (constellation_id, version, spec, created_by) VALUES ($1, 1, $2, $3)', [id, JSON.stringify(spec), actor.id]);
      await audit.record(actor, action, { type: 'constellation', id }, { name, tiers: spec.tiers.map((t) => t.name), ...details }, { manager: m });
      return id as string;
    });
    return view(await load(id));
  }

  /** Records the steps of a plan and queues the parent job that carries them out, in one transaction. */
  async function start(actor: Actor, row: ConstellationRow, type: 'constellation.apply' | 'constellation.destroy', plan: Plan, version: number, m: EntityManager): Promise<JobRow> {
    const active = await deps.jobs.activeFor(row.id, m);
    if (active) throw new ConflictError(`Constellation ${row.name} has a job in progress (${active.type} ${active.id}); wait for it to finish`);
    const job = await deps.jobs.enqueue(m, {
      type,
      targetType: 'constellation',
      targetId: row.id,
      createdBy: actor.id,
      payload: type === 'constellation.apply' ? { version } : {},
      retries: 0,
    });
    if (plan.steps.length > 0) {
      await m.query(
        `INSERT INTO constellation_steps (job_id, seq, tier, ordinal, action, reasons, node_id)
         SELECT $1, s.seq, s.tier, s.ordinal, s.action, ARRAY(SELECT jsonb_array_elements_text(s.reasons)), s.node_id
           FROM jsonb_to_recordset($2::jsonb) AS s(seq int, tier text, ordinal int, action text, reasons jsonb, node_id uuid)`,
        [job.id, JSON.stringify(plan.steps.map((s, seq) => ({ seq, tier: s.tier, ordinal: s.ordinal, action: s.action, reasons: s.reasons, node_id: s.nodeId })))],
      );
    }
    await m.query('UPDATE constellations SET target_version = $2, updated_at = now() WHERE id = $1', [row.id, version]);
    await audit.record(actor, type, { type: 'constellation', id: row.id }, { jobId: job.id, version, summary: plan.summary }, { manager: m });
    return job;
  }

  async function plan(id: string, version?: number) {
    const row = await live(id);
    const v = version ?? row.latestVersion;
    const tiers = await resolve(await specOf(id, v), 'spec');
    const balancers = currentBalancers(await deps.balancers.ofConstellation(id));
    return { constellationId: id, version: v, ...computePlan(row.name, tiers, await currentMembers(db, id), balancers) };
  }

  return {
    resolve,

    async list(filter: PageRequest & { order: 'asc' | 'desc' }): Promise<Page<ConstellationRow>> {
      const [items, [{ total }]] = await Promise.all([
        db.query(`SELECT ${COLUMNS} FROM constellations WHERE destroyed_at IS NULL ORDER BY lower(name) ${filter.order === 'asc' ? 'ASC' : 'DESC'}, id OFFSET $1 LIMIT $2`, [offset(filter), filter.limit]),
        db.query('SELECT count(*)::int AS total FROM constellations WHERE destroyed_at IS NULL'),
      ]);
      return { items, total, page: filter.page, limit: filter.limit };
    },

    async get(id: string) {
      return view(await load(id));
    },

    async create(actor: Actor, input: { name: string } & ConstellationSpec) {
      const { name, ...spec } = input;
      await resolve(spec);
      return insert(actor, name, spec, 'constellation.create');
    },

    /** A new version of the spec; members change only at the next apply. */
    async update(actor: Actor, id: string, spec: ConstellationSpec) {
      await live(id);
      await resolve(spec);
      const fixed = fixedSettingChanges(await deps.balancers.ofConstellation(id), spec.tiers);
      if (fixed.length > 0) {
        throw new ConflictError(
          `A made balancer keeps its name, port, protocol, member port, algorithm and host; only its health check changes in place (${fixed.join('; ')}). ` +
            'To change them, remove the balancer from the tier and apply (its members are drained, then it is destroyed), then add it back with the new settings',
        );
      }
      await db.transaction(async (m) => {
        const row = await live(id, m, true);
        const version = row.latestVersion + 1;
        await m.query('INSERT INTO constellation_versions (constellation_id, version, spec, created_by) VALUES ($1, $2, $3, $4)', [id, version, JSON.stringify(spec), actor.id]);
        await m.query('UPDATE constellations SET latest_version = $2, updated_at = now() WHERE id = $1', [id, version]);
        await audit.record(actor, 'constellation.update', { type: 'constellation', id }, { version }, { manager: m });
      });
      return view(await load(id));
    },

    plan,

    async apply(actor: Actor, id: string, version?: number): Promise<JobRow> {
      const computed = await plan(id, version);
      return db.transaction(async (m) => {
        const row = await live(id, m, true);
        return start(actor, row, 'constellation.apply', computed, computed.version, m);
      });
    },

    /** Destroys every member, then the constellation; `confirm` must be its name. */
    async destroy(actor: Actor, id: string, confirm: string): Promise<JobRow> {
      const row = await live(id);
      if (confirm !== row.name) throw new UnprocessableError(`confirm must be the constellation's name, "${row.name}"`, { errors: [{ field: 'body.confirm', message: 'is not the name of the constellation' }] });
      const members = await currentMembers(db, id);
      const destroyAll: Plan = {
        steps: members.map((mb) => ({ tier: mb.tier, key: memberKey(mb.tier, mb.ordinal), ordinal: mb.ordinal, action: 'destroy' as const, nodeId: mb.nodeId, reasons: ['the constellation is destroyed'] })),
        summary: { create: 0, configure: 0, replace: 0, destroy: members.length, attach: 0, unchanged: 0 },
        balancers: [],
      };
      return db.transaction(async (m) => start(actor, await live(id, m, true), 'constellation.destroy', destroyAll, row.targetVersion ?? row.latestVersion, m));
    },

    /** A new constellation from another's latest spec, with another name, machine type or counts. */
    async clone(actor: Actor, id: string, input: CloneInput) {
      const source = await live(id);
      const spec = structuredClone(await specOf(id, source.latestVersion));
      for (const [tier, count] of Object.entries(input.counts ?? {})) {
        const t = spec.tiers.find((x) => x.name === tier);
        if (!t) throw new UnprocessableError(`Constellation ${source.name} has no tier "${tier}"`, { errors: [{ field: `body.counts.${tier}`, message: 'is not a tier of the constellation' }] });
        t.count = count;
      }
      if (input.machine && Object.keys(input.machine).length > 0) for (const t of spec.tiers) t.machine = { ...t.machine, ...input.machine };
      await resolve(spec);
      return insert(actor, input.name, spec, 'constellation.clone', { source: id });
    },

    async exportDocument(id: string, format: DocumentFormat, version?: number) {
      const row = await load(id);
      const v = version ?? row.latestVersion;
      return { format, version: v, document: writeDocument(row.name, await specOf(id, v), format) };
    },

    async importDocument(actor: Actor, input: { format: DocumentFormat; document: string; name?: string }) {
      const { name, spec, locate } = readDocument(input.document, input.format);
      await resolve(spec, '', locate);
      return insert(actor, input.name ?? name, spec, 'constellation.import', { format: input.format });
    },

    /** For the configure job: what a member node adds over its role (null for other nodes). */
    async overlayFor(nodeId: string) {
      return (await memberConfig(db, nodeId))?.overlay ?? null;
    },
  };
}

export type ConstellationService = ReturnType<typeof createConstellationService>;
