import type { DataSource } from 'typeorm';
import { preparedQuery } from '../../db/prepared-query.js';
import { Counter } from '../../lib/counter.js';
import { likePattern, offset } from '../../lib/pagination.js';
import { SharedReads } from '../../lib/shared-reads.js';
import { factContainment, OS_LABEL, SHOWN_FACTS } from './node-facts-filter.js';
import type { NodeFilter } from './node-service.js';

const SORT_COLUMNS = {
  name: 'n.name',
  createdAt: 'n.created_at',
  updatedAt: 'n.updated_at',
  state: 'n.state',
  // The latest readings (node_readings, r); nodes without any come last either way.
  cpu: 'r.cpu',
  memory: 'r.memory',
  disk: 'r.disk',
  load: 'r.load1',
  // Worse last (ascending): no checks, ok, warning, unknown, critical, stale.
  health: `coalesce(array_position(ARRAY['ok', 'warning', 'unknown', 'critical', 'stale']::text[], n.health), 0)`,
} as const;
const READINGS_JOIN = 'LEFT JOIN node_readings r ON r.node_id = n.id';

/**
 * A page of nodes as UTF-8 JSON: each item is a node in the API's `Node` schema. Bytes, not text:
 * requests sharing it are answered without encoding and measuring 35 kB again for each.
 */
export interface NodeListPage {
  json: Buffer;
}

/**
 * The node list, the API's hottest read. It is plain SQL on the pg pool as prepared statements
 * (one per filter shape), and each row's JSON is stored with the row (column `list_json`, kept by a
 * trigger): at thousands of requests a second, the ORM's per-row work, re-planning each query, and
 * parsing then re-serializing every row dominate otherwise. The latest readings come from their own
 * small table (node_readings, also JSON text), joined by primary key. Identical requests at the
 * same moment share one query (shared-reads.ts: never an answer older than the request).
 */
export function createNodeListQuery(db: DataSource) {
  const counter = new Counter();
  const shared = new SharedReads<NodeListPage>();
  const run = (text: string, values: unknown[]) => preparedQuery(db, text, values);

  // Keyed by the filter as given (the same filter in another property order only shares less).
  return (filter: NodeFilter) => shared.read(JSON.stringify(filter), () => listNodes(filter));

  async function listNodes(filter: NodeFilter): Promise<NodeListPage> {
    const where: string[] = [];
    const values: unknown[] = [];
    const param = (v: unknown) => `$${values.push(v)}`;
    if (!filter.includeGone) where.push('n.decommissioned_at IS NULL AND n.destroyed_at IS NULL');
    if (filter.providerId) where.push(`n.provider_id = ${param(filter.providerId)}`);
    if (filter.state) where.push(`n.state = ${param(filter.state)}`);
    if (filter.tag) where.push(`n.tags @> ARRAY[${param(filter.tag)}]::text[]`);
    if (filter.health) where.push(`n.health = ${param(filter.health)}`);
    if (filter.search) {
      const p = param(likePattern(filter.search));
      where.push(`(n.name ILIKE ${p} OR array_to_string(n.public_ips || n.private_ips, ' ') ILIKE ${p})`);
    }
    if (filter.os) where.push(`${OS_LABEL} ILIKE ${param(likePattern(filter.os))}`);
    if (filter.fact) where.push(`(${factContainment(filter.fact).map((doc) => `${SHOWN_FACTS} @> ${param(doc)}::jsonb`).join(' OR ')})`);
    let byReadings = false;
    for (const [value, column] of [[filter.minCpu, 'r.cpu'], [filter.minMemory, 'r.memory'], [filter.minDisk, 'r.disk']] as const) {
      if (value === undefined) continue;
      // As double precision: the column is real, which a tiny or huge number would not fit.
      where.push(`${column} >= ${param(value)}::float8`);
      byReadings = true;
    }
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const dir = filter.order === 'asc' ? 'ASC' : 'DESC';
    const sortColumn = SORT_COLUMNS[filter.sort];
    const nulls = sortColumn.startsWith('r.') ? ' NULLS LAST' : '';
    const filterValues = [...values];
    const pageSql = `SELECT n.list_json AS j, r.json AS r FROM nodes n ${READINGS_JOIN} ${whereSql}
                     ORDER BY ${sortColumn} ${dir}${nulls}, n.id ${dir} LIMIT ${param(filter.limit)} OFFSET ${param(offset(filter))}`;
    const from = `nodes n ${byReadings ? READINGS_JOIN : ''}`;
    const key = JSON.stringify([whereSql, filterValues]);
    const [page, total] = await Promise.all([
      run(pageSql, values),
      counter.count(
        key,
        async (limit) => (await run(`SELECT count(*)::int AS n FROM (SELECT 1 FROM ${from} ${whereSql} LIMIT ${limit}) c`, filterValues))[0]!.n,
        async () => (await run(`SELECT count(*)::int AS n FROM ${from} ${whereSql}`, filterValues))[0]!.n,
      ),
    ]);
    // Each stored node view gets its latest readings (kept apart, so readings never rewrite node rows).
    const items = page.map((row) => `${row.j.slice(0, -1)},"readings":${row.r ?? 'null'}}`).join(',');
    return { json: Buffer.from(`{"items":[${items}],"page":${filter.page},"limit":${filter.limit},"total":${total}}`) };
  }
}
