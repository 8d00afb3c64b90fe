import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { Counter } from '../../lib/counter.js';
import { likePattern, offset } from '../../lib/pagination.js';
import type { NodeFilter } from './node-service.js';

const SORT_COLUMNS = { name: 'n.name', createdAt: 'n.created_at', updatedAt: 'n.updated_at', state: 'n.state' } as const;

interface PgPool {
  query(config: { name?: string; text: string; values: unknown[] }): Promise<{ rows: any[] }>;
}

/** A page of nodes as JSON text: each item is a node in the API's `Node` schema. */
export interface NodeListPage {
  json: string;
}

/**
 * The node list, the API's hottest read. It is plain SQL on the pg pool as prepared statements
 * (one per filter shape), and each row's JSON is stored with the row (column `list_json`, kept by a
 * trigger): at thousands of requests a second, the ORM's per-row work, re-planning each query, and
 * parsing then re-serializing every row dominate otherwise.
 */
export function createNodeListQuery(db: DataSource) {
  const counter = new Counter();
  const pool = () => (db.driver as unknown as { master: PgPool }).master;

  function run(text: string, values: unknown[]) {
    const name = `nodes_${createHash('sha1').update(text).digest('base64url').slice(0, 16)}`;
    return pool().query({ name, text, values });
  }

  return async function listNodes(filter: NodeFilter): Promise<NodeListPage> {
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
    const pageSql = `SELECT n.list_json AS j FROM nodes n ${whereSql} ORDER BY ${SORT_COLUMNS[filter.sort]} ${dir}, n.id ${dir}
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
    const items = page.rows.map((r: { j: string }) => r.j).join(',');
    return { json: `{"items":[${items}],"page":${filter.page},"limit":${filter.limit},"total":${total}}` };
  };
}
