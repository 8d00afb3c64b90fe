/**
 * Check definitions: a command with its arguments, interval and timeout, for the nodes of a server
 * role, of a tag, or one node. Every change is audited and reaches the agents (a `checks` signal: each
 * API process sends `checks.set` to the connected agents whose set changed); results of a check that
 * no longer applies to a node leave that node's health.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { CheckEntity, type CheckRow, type CheckScopeKind } from '../../db/entities/index.js';
import type { Actor } from '../../lib/actor.js';
import { ConflictError, NotFoundError, UnprocessableError } from '../../lib/errors.js';
import { offset, type Page, type PageRequest } from '../../lib/pagination.js';
import { sendSignal } from '../agents/agent-signals.js';
import type { AuditService } from '../audit/audit-service.js';
import type { EventBus } from '../events/event-bus.js';
import { definitionsFor } from './check-scope.js';
import { healthEvent, refreshHealth } from './node-health.js';

export type CheckScope = { kind: 'role'; serverRoleId: string } | { kind: 'tag'; tag: string } | { kind: 'node'; nodeId: string };

export interface CheckInput {
  name: string;
  command: string;
  args?: string[];
  shell?: boolean;
  intervalSeconds?: number;
  timeoutSeconds?: number;
  scope: CheckScope;
}

export type CheckPatch = Partial<CheckInput>;

export type CheckView = Omit<CheckRow, 'scopeKind' | 'scopeRoleId' | 'scopeTag' | 'scopeNodeId'> & { scope: CheckScope };

export function checkView(row: CheckRow): CheckView {
  const { scopeKind, scopeRoleId, scopeTag, scopeNodeId, ...rest } = row;
  const scope: CheckScope = scopeKind === 'role' ? { kind: 'role', serverRoleId: scopeRoleId! } : scopeKind === 'tag' ? { kind: 'tag', tag: scopeTag! } : { kind: 'node', nodeId: scopeNodeId! };
  return { ...rest, scope };
}

function scopeColumns(scope: CheckScope): Pick<CheckRow, 'scopeKind' | 'scopeRoleId' | 'scopeTag' | 'scopeNodeId'> {
  return {
    scopeKind: scope.kind as CheckScopeKind,
    scopeRoleId: scope.kind === 'role' ? scope.serverRoleId : null,
    scopeTag: scope.kind === 'tag' ? scope.tag : null,
    scopeNodeId: scope.kind === 'node' ? scope.nodeId : null,
  };
}

export function createCheckService(deps: { db: DataSource; audit: Pick<AuditService, 'record'>; events: Pick<EventBus, 'publishMany'> }) {
  const { db, audit, events } = deps;
  const checks = db.getRepository(CheckEntity);

  async function load(id: string, m: EntityManager = db.manager): Promise<CheckRow> {
    const row = await m.findOneBy(CheckEntity, { id });
    if (!row) throw new NotFoundError('Check', id);
    return row;
  }

  /** The scope must name a server role or a node that exists (a tag may be on no node yet). */
  async function assertScope(scope: CheckScope, m: EntityManager): Promise<void> {
    if (scope.kind === 'role') {
      const [role] = await m.query('SELECT id FROM server_roles WHERE id = $1', [scope.serverRoleId]);
      if (!role) throw new NotFoundError('Server role', scope.serverRoleId);
    } else if (scope.kind === 'node') {
      const [node] = await m.query('SELECT name, destroyed_at, decommissioned_at FROM nodes WHERE id = $1', [scope.nodeId]);
      if (!node) throw new NotFoundError('Node', scope.nodeId);
      if (node.destroyed_at || node.decommissioned_at) throw new ConflictError(`Node ${node.name} is gone; it runs no checks`);
    }
  }

  function assertTimes(row: Pick<CheckRow, 'intervalSeconds' | 'timeoutSeconds'>, field: string): void {
    if (row.timeoutSeconds > row.intervalSeconds) {
      const message = `must be at most intervalSeconds (${row.intervalSeconds})`;
      throw new UnprocessableError(`${field} ${message}`, { errors: [{ field, message }] });
    }
  }

  /** Drops the check's results on nodes it no longer applies to, and their health follows. */
  async function forgetOutOfScope(m: EntityManager, checkId: string): Promise<void> {
    const rows: { node_id: string }[] = await m.query('SELECT node_id FROM node_checks WHERE check_id = $1', [checkId]);
    const applies = await definitionsFor(m, rows.map((r) => r.node_id));
    const nodes = rows.map((r) => r.node_id).filter((n) => !applies.get(n)!.some((c) => c.id === checkId));
    if (nodes.length === 0) return;
    await m.query('DELETE FROM node_checks WHERE check_id = $1 AND node_id = ANY($2::uuid[])', [checkId, nodes]);
    const changes = await refreshHealth(m, nodes, false);
    await events.publishMany(changes.map(healthEvent), m);
  }

  return {
    async list(filter: PageRequest & { order: 'asc' | 'desc' }): Promise<Page<CheckView>> {
      const [items, total] = await checks
        .createQueryBuilder('c')
        .orderBy('lower(c.name)', filter.order === 'asc' ? 'ASC' : 'DESC')
        .addOrderBy('c.id', 'ASC')
        .skip(offset(filter))
        .take(filter.limit)
        .getManyAndCount();
      return { items: items.map(checkView), total, page: filter.page, limit: filter.limit };
    },

    async get(id: string): Promise<CheckView> {
      return checkView(await load(id));
    },

    async create(actor: Actor, input: CheckInput): Promise<CheckView> {
      const fields = {
        name: input.name,
        command: input.command,
        args: input.args ?? [],
        shell: input.shell ?? false,
        intervalSeconds: input.intervalSeconds ?? 60,
        timeoutSeconds: input.timeoutSeconds ?? 10,
        ...scopeColumns(input.scope),
      };
      assertTimes(fields, 'body.timeoutSeconds');
      return db.transaction(async (m) => {
        await assertScope(input.scope, m);
        const row = await m.save(CheckEntity, m.create(CheckEntity, { ...fields, createdBy: actor.id }));
        await audit.record(actor, 'check.create', { type: 'check', id: row.id }, { name: row.name, command: row.command, scope: input.scope }, { manager: m });
        await sendSignal(m, { t: 'checks', nodes: null });
        return checkView(row);
      });
    },

    async update(actor: Actor, id: string, patch: CheckPatch): Promise<CheckView> {
      return db.transaction(async (m) => {
        const row = await m.findOne(CheckEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
        if (!row) throw new NotFoundError('Check', id);
        const { scope, ...plain } = patch;
        Object.assign(row, plain, scope ? scopeColumns(scope) : {});
        assertTimes(row, patch.timeoutSeconds !== undefined ? 'body.timeoutSeconds' : 'body.intervalSeconds');
        if (scope) await assertScope(scope, m);
        const saved = await m.save(CheckEntity, row);
        await audit.record(actor, 'check.update', { type: 'check', id }, { fields: Object.keys(patch), ...(scope ? { scope } : {}) }, { manager: m });
        if (scope) await forgetOutOfScope(m, id);
        await sendSignal(m, { t: 'checks', nodes: null });
        return checkView(saved);
      });
    },

    async remove(actor: Actor, id: string): Promise<void> {
      await db.transaction(async (m) => {
        const row = await load(id, m);
        const [affected]: [{ nodes: string[] }] = await m.query('SELECT coalesce(array_agg(node_id), \'{}\') AS nodes FROM node_checks WHERE check_id = $1', [id]);
        await m.delete(CheckEntity, { id });
        await audit.record(actor, 'check.delete', { type: 'check', id }, { name: row.name }, { manager: m });
        const changes = await refreshHealth(m, affected.nodes, false);
        await events.publishMany(changes.map(healthEvent), m);
        await sendSignal(m, { t: 'checks', nodes: null });
      });
    },
  };
}

export type CheckService = ReturnType<typeof createCheckService>;
