import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { NodeRow } from '../../db/entities/index.js';
import { Counter } from '../../lib/counter.js';
import { likePattern, offset, type Page } from '../../lib/pagination.js';
import type { NodeFilter } from './node-service.js';

/** A node as the list returns it: timestamps already ISO 8601 text. */
export type NodeListItem = Omit<NodeRow, 'idempotencyKey' | 'registrationEnc' | 'driverState' | 'createdAt' | 'updatedAt' | 'destroyedAt' | 'decommissionedAt'> & {
  createdAt: string;
  updatedAt: string;
  destroyedAt: string | null;
  decommissionedAt: string | null;
};

const iso = (column: string) => `to_char(n.${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const COLUMNS = [
  'n.id',
  'n.provider_id AS "providerId"',
  'n.provider_node_id AS "providerNodeId"',
  'n.name',
  'n.state',
  'n.public_ips AS "publicIps"',
  'n.private_ips AS "privateIps"',
  'n.image_id AS "imageId"',
  'n.size_id AS "sizeId"',
  'n.location_id AS "locationId"',
  'n.extra',
  'n.tags',
  'n.facts',
  'n.created_by AS "createdBy"',
  `${iso('created_at')} AS "createdAt"`,
  `${iso('updated_at')} AS "updatedAt"`,
  'n.destroyed_by AS "destroyedBy"',
  `${iso('destroyed_at')} AS "destroyedAt"`,
  `${iso('decommissioned_at')} AS "decommissionedAt"`,
].join(', ');

const SORT_COLUMNS = { name: 'n.name', createdAt: 'n.created_at', updatedAt: 'n.updated_at', state: 'n.state' } as const;

interface PgPool {
  query(config: { name?: string; text: string; values: unknown[] }): Promise<{ rows: any[] }>;
}

/**
 * The node list, the API's hottest read. It is plain SQL on the pg pool as prepared statements
 * (one per filter shape), with timestamps formatted by Postgres: at thousands of requests a second
 * the ORM's per-row work and re-planning each query dominate otherwise.
 */
export function createNodeListQuery(db: DataSource) {
  const counter = new Counter();
  const pool = () => (db.driver as unknown as { master: PgPool }).master;

  function run(text: string, values: unknown[]) {
    const name = `nodes_${createHash('sha1').update(text).digest('base64url').slice(0, 16)}`;
    return pool().query({ name, text, values });
  }

  return async function listNodes(filter: NodeFilter): Promise<Page<NodeListItem>> {
    const where: string[] = [];
    const values: unknown[] = [];
    const param = (v: unknown) => `$${values.push(v)}`;
    if (!filter.includeGone) where.push('n.decommissioned_at IS NULL AND n.destroyed_at IS NULL');
    if (filter.providerId) where.push(`n.provider_id = ${param(filter.providerId)}`);
    if (filter.state) where.push(`n.state = ${param(filter.state)}`);
    if (filter.tag) where.push(`n.tags @> ARRAY[${param(filter.tag)}]::text[]`);
    if (filter.search) {
      const p = param(likePattern(filter.search));
      where.push(`(n.name ILIKE ${p} OR array_to_string(n.public_ips || n.private_ips, ' ') ILIKE ${p})`);
    }
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const dir = filter.order === 'asc' ? 'ASC' : 'DESC';
    const filterValues = [...values];
    const pageSql = `SELECT ${COLUMNS} FROM nodes n ${whereSql} ORDER BY ${SORT_COLUMNS[filter.sort]} ${dir}, n.id ${dir}
                     LIMIT ${param(filter.limit)} OFFSET ${param(offset(filter))}`;
    const key = JSON.stringify([whereSql, filterValues]);
    const [page, total] = await Promise.all([
      run(pageSql, values),
      counter.count(
        key,
        async (limit) => (await run(`SELECT count(*)::int AS n FROM (SELECT 1 FROM nodes n ${whereSql} LIMIT ${limit}) c`, filterValues)).rows[0].n,
        async () => (await run(`SELECT count(*)::int AS n FROM nodes n ${whereSql}`, filterValues)).rows[0].n,
      ),
    ]);
    return { items: page.rows as NodeListItem[], total, page: filter.page, limit: filter.limit };
  };
}
