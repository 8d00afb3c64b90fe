import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import {
  InvalidCredentialsError,
  ProviderError,
  type Capability,
  type ProviderDriver,
  type ProviderPlugin,
  type ProviderRegistry,
} from '@overmind/provider';
import type { DataSource } from 'typeorm';
import { JobEntity, NodeEntity, ProviderEntity, type JobRow, type ProviderRow } from '../../db/entities/index.js';
import type { Actor } from '../../lib/actor.js';
import { BadGatewayError, ConflictError, NotFoundError, UnprocessableError } from '../../lib/errors.js';
import { likePattern, offset, type Page, type PageRequest } from '../../lib/pagination.js';
import type { SecretBox } from '../../lib/secret-box.js';
import type { AuditService } from '../audit/audit-service.js';
import type { JobService } from '../jobs/job-service.js';
import { createNodeInventory } from '../nodes/node-inventory.js';
import { validateAgainst } from './schema-validator.js';

export interface ProviderInput {
  name: string;
  type: string;
  credentials: Record<string, unknown>;
  settings?: Record<string, unknown>;
  syncIntervalSeconds?: number;
}

export interface ProviderPatch {
  name?: string;
  credentials?: Record<string, unknown>;
  settings?: Record<string, unknown>;
  syncIntervalSeconds?: number;
}

export interface ProviderFilter extends PageRequest {
  type?: string;
  search?: string;
  order: 'asc' | 'desc';
}

const VALIDATION_TIMEOUT_MS = 30_000;

/** The plugin's endpoint settings (where its credentials go) whose value differs between two settings objects. */
export function changedEndpoints(p: Pick<ProviderPlugin, 'endpointSettings'>, before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  return p.endpointSettings.filter((key) => !isDeepStrictEqual(before[key], after[key]));
}

export function createProviderService(deps: {
  db: DataSource;
  registry: ProviderRegistry;
  secrets: SecretBox;
  audit: Pick<AuditService, 'record'>;
  jobs: Pick<JobService, 'enqueue'>;
  defaultSyncIntervalSeconds: number;
}) {
  const { db, registry, secrets, audit, jobs } = deps;
  const providers = db.getRepository(ProviderEntity);

  async function plugin(type: string): Promise<ProviderPlugin> {
    if (!registry.has(type)) {
      throw new UnprocessableError(`Unknown provider type "${type}"; known types: ${registry.kinds.join(', ')}`, {
        errors: [{ field: 'body.type', message: 'is not a registered provider type' }],
      });
    }
    return registry.get(type);
  }

  /** Proves the credentials with a cheap real call before anything is stored. */
  async function check(p: ProviderPlugin, credentials: Record<string, unknown>, settings: Record<string, unknown>): Promise<void> {
    const driver = p.createDriver({ credentials, settings, providerId: randomUUID() });
    try {
      await driver.validateCredentials({ signal: AbortSignal.timeout(VALIDATION_TIMEOUT_MS) });
    } catch (err) {
      if (err instanceof InvalidCredentialsError) {
        throw new UnprocessableError(`${p.displayName} rejected the credentials: ${err.message}`, {
          errors: [{ field: 'body.credentials', message: err.message }],
        });
      }
      if (err instanceof ProviderError) throw new BadGatewayError(`Could not verify the credentials with ${p.displayName}: ${err.message}`);
      if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
        throw new BadGatewayError(`${p.displayName} did not answer within ${VALIDATION_TIMEOUT_MS / 1000} s`);
      }
      throw err;
    } finally {
      await driver.close?.().catch(() => {});
    }
  }

  async function assertNameFree(name: string, exceptId?: string): Promise<void> {
    const rows: { id: string }[] = await db.query(
      'SELECT id FROM providers WHERE lower(name) = lower($1) AND deleted_at IS NULL',
      [name],
    );
    if (rows.some((r) => r.id !== exceptId)) throw new ConflictError(`A provider named "${name}" already exists`);
  }

  async function get(id: string): Promise<ProviderRow> {
    const row = await providers.findOneBy({ id });
    if (!row || row.deletedAt) throw new NotFoundError('Provider', id);
    return row;
  }

  async function queueCatalogAndSync(m: DataSource['manager'], actor: Actor, row: ProviderRow): Promise<JobRow[]> {
    const base = { targetType: 'provider' as const, targetId: row.id, providerId: row.id, createdBy: actor.id };
    return [await jobs.enqueue(m, { ...base, type: 'provider.refresh' }), await jobs.enqueue(m, { ...base, type: 'provider.sync' })];
  }

  return {
    get,
    plugin,

    async types(): Promise<ProviderPlugin[]> {
      return registry.all();
    },

    async capabilities(row: Pick<ProviderRow, 'type'>): Promise<readonly Capability[]> {
      return (await plugin(row.type)).capabilities;
    },

    async list(filter: ProviderFilter): Promise<Page<ProviderRow & { nodeCount: number }>> {
      const qb = providers.createQueryBuilder('p').where('p.deletedAt IS NULL');
      if (filter.type) qb.andWhere('p.type = :type', { type: filter.type });
      if (filter.search) qb.andWhere('p.name ILIKE :s', { s: likePattern(filter.search) });
      qb.orderBy('lower(p.name)', filter.order === 'asc' ? 'ASC' : 'DESC').skip(offset(filter)).take(filter.limit);
      const [items, total] = await qb.getManyAndCount();
      const counts = await this.nodeCounts(items.map((p) => p.id));
      return { items: items.map((p) => ({ ...p, nodeCount: counts.get(p.id) ?? 0 })), total, page: filter.page, limit: filter.limit };
    },

    async nodeCounts(ids: string[]): Promise<Map<string, number>> {
      if (ids.length === 0) return new Map();
      const rows: { provider_id: string; n: number }[] = await db.query(
        `SELECT provider_id, count(*)::int AS n FROM nodes
          WHERE provider_id = ANY($1) AND decommissioned_at IS NULL AND destroyed_at IS NULL GROUP BY provider_id`,
        [ids],
      );
      return new Map(rows.map((r) => [r.provider_id, r.n]));
    },

    async create(actor: Actor, input: ProviderInput): Promise<{ provider: ProviderRow; jobs: JobRow[] }> {
      const p = await plugin(input.type);
      const credentials = validateAgainst<Record<string, unknown>>(p.credentialSchema, input.credentials, 'body.credentials');
      const settings = validateAgainst<Record<string, unknown>>(p.settingsSchema, input.settings ?? {}, 'body.settings');
      await assertNameFree(input.name);
      await check(p, credentials, settings);
      return db.transaction(async (m) => {
        const provider = await m.save(
          ProviderEntity,
          m.create(ProviderEntity, {
            type: input.type,
            name: input.name,
            credentialsEnc: secrets.sealJson(credentials),
            settings,
            status: 'ok',
            statusMessage: null,
            syncIntervalSeconds: input.syncIntervalSeconds ?? deps.defaultSyncIntervalSeconds,
            createdBy: actor.id,
          }),
        );
        await audit.record(actor, 'provider.create', { type: 'provider', id: provider.id }, { name: provider.name, type: provider.type }, { manager: m });
        return { provider, jobs: await queueCatalogAndSync(m, actor, provider) };
      }).catch((err: unknown) => {
        if ((err as { code?: string }).code === '23505') throw new ConflictError(`A provider named "${input.name}" already exists`);
        throw err;
      });
    },

    async update(actor: Actor, id: string, patch: ProviderPatch): Promise<ProviderRow> {
      const row = await get(id);
      const p = await plugin(row.type);
      if (patch.name !== undefined && patch.name.toLowerCase() !== row.name.toLowerCase()) await assertNameFree(patch.name, id);
      // A host key pinned on first use stays pinned unless the patch names a fingerprint itself.
      const pinned = row.settings.hostKeyFingerprint;
      const requested = patch.settings !== undefined && pinned && !('hostKeyFingerprint' in patch.settings)
        ? { ...patch.settings, hostKeyFingerprint: pinned }
        : patch.settings;
      const settings = requested === undefined ? row.settings : validateAgainst<Record<string, unknown>>(p.settingsSchema, requested, 'body.settings');
      // Stored secrets never follow an edited address: whoever moves them must know them. Admins too,
      // as credentials are write-only for everyone (an admin could otherwise read them at a host of
      // their own), and an admin's stolen token must not be worth more than an operator's.
      const moved = changedEndpoints(p, row.settings, settings);
      if (moved.length > 0 && patch.credentials === undefined) {
        const names = moved.map((key) => `settings.${key}`).join(', ');
        throw new UnprocessableError(
          `Changing ${names} changes where ${p.displayName} credentials are sent: send the credentials again in the same request`,
          { errors: [{ field: 'body.credentials', message: `are required when ${names} changes` }] },
        );
      }
      let credentialsEnc = row.credentialsEnc;
      if (patch.credentials !== undefined || patch.settings !== undefined) {
        const credentials = patch.credentials === undefined
          ? secrets.openJson<Record<string, unknown>>(row.credentialsEnc)
          : validateAgainst<Record<string, unknown>>(p.credentialSchema, patch.credentials, 'body.credentials');
        await check(p, credentials, settings);
        credentialsEnc = secrets.sealJson(credentials);
      }
      return db.transaction(async (m) => {
        const next = { ...row, settings, credentialsEnc, name: patch.name ?? row.name, syncIntervalSeconds: patch.syncIntervalSeconds ?? row.syncIntervalSeconds };
        if (patch.credentials !== undefined) Object.assign(next, { status: 'ok', statusMessage: null });
        await m.save(ProviderEntity, next);
        await audit.record(actor, 'provider.update', { type: 'provider', id }, {
          fields: Object.keys(patch),
        }, { manager: m });
        return next;
      });
    },

    /**
     * Removes a provider from Overmind. Its machines keep running at the provider: the nodes are
     * marked decommissioned (kept for history) and queued jobs are cancelled.
     */
    async remove(actor: Actor, id: string): Promise<{ decommissioned: number }> {
      return db.transaction(async (m) => {
        const row = await m.findOne(ProviderEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
        if (!row || row.deletedAt) throw new NotFoundError('Provider', id);
        const running = await m.countBy(JobEntity, { providerId: id, state: 'running' });
        if (running > 0) throw new ConflictError(`Provider has ${running} running job(s); wait for them to finish`);
        await m.update(JobEntity, { providerId: id, state: 'queued' }, { state: 'cancelled', finishedAt: new Date() });
        const result = await m
          .createQueryBuilder()
          .update(NodeEntity)
          .set({ decommissionedAt: () => 'now()' })
          .where('providerId = :id AND decommissionedAt IS NULL', { id })
          .execute();
        await m.update(ProviderEntity, { id }, { deletedAt: new Date() });
        const decommissioned = result.affected ?? 0;
        await audit.record(actor, 'provider.delete', { type: 'provider', id }, { name: row.name, decommissioned }, { manager: m });
        return { decommissioned };
      });
    },

    async enqueue(actor: Actor, id: string, type: 'provider.sync' | 'provider.refresh'): Promise<JobRow> {
      const row = await get(id);
      return db.transaction(async (m) => {
        const job = await jobs.enqueue(m, { type, targetType: 'provider', targetId: row.id, providerId: row.id, createdBy: actor.id });
        await audit.record(actor, type, { type: 'provider', id }, { jobId: job.id }, { manager: m });
        return job;
      });
    },

    /** A configured driver for a stored provider; the caller closes it. */
    async driverFor(row: ProviderRow): Promise<ProviderDriver> {
      const p = await plugin(row.type);
      return p.createDriver({
        credentials: secrets.openJson(row.credentialsEnc),
        settings: row.settings,
        providerId: row.id,
        // Drivers of registered (dedicated) nodes read them, and keep their state, through this.
        inventory: createNodeInventory(db, secrets, row.id),
        // Trust on first use: pin the host key the driver saw, unless one is pinned already.
        onHostKey: async ({ hostKeyFingerprint }) => {
          await db.query(
            `UPDATE providers SET settings = settings || jsonb_build_object('hostKeyFingerprint', $2::text), updated_at = now()
              WHERE id = $1 AND NOT (settings ? 'hostKeyFingerprint' AND settings->>'hostKeyFingerprint' IS NOT NULL)`,
            [row.id, hostKeyFingerprint],
          );
        },
      });
    },
  };
}

export type ProviderService = ReturnType<typeof createProviderService>;
