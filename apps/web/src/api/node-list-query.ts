/**
 * The node list's query as the URL holds it (filters, sort, page): read by the nodes page, and by the
 * preload at start, which asks the API for the same page while the page's code is still loading.
 */
import type { ListNodesQuery, NodeHealth, NodeState } from '@overmind/sdk';

export const STATES: NodeState[] = ['running', 'starting', 'stopping', 'stopped', 'rebooting', 'pending', 'configuring', 'terminated', 'error', 'unknown'];
export const HEALTHS: NodeHealth[] = ['ok', 'warning', 'critical', 'unknown', 'stale'];
export const SORTS = ['name', 'createdAt', 'updatedAt', 'state', 'health', 'cpu', 'memory', 'disk'] as const;
/** Health and readings sort worst / busiest first on the first click: what an operator looks for. */
export const WORST_FIRST = new Set<string>(['health', 'cpu', 'memory', 'disk']);
/** Readings filters: at least this percent. */
export const MINIMUMS = [['minCpu', 'CPU'], ['minMemory', 'Memory'], ['minDisk', 'Disk']] as const;
export const NODE_PAGE_SIZE = 50;

const percent = (value: string | null) => {
  const n = value === null || value === '' ? NaN : Number(value);
  return Number.isFinite(n) && n >= 0 && n <= 100 ? n : undefined;
};

export function nodeQueryOf(params: URLSearchParams): ListNodesQuery {
  const sort = SORTS.find((s) => s === params.get('sort')) ?? 'name';
  const query: ListNodesQuery = {
    page: Number(params.get('page') ?? 1) || 1,
    limit: NODE_PAGE_SIZE,
    sort,
    order: params.get('order') === 'desc' ? 'desc' : 'asc',
    ...(params.get('search') ? { search: params.get('search')! } : {}),
    ...(params.get('state') ? { state: params.get('state') as NodeState } : {}),
    ...(params.get('providerId') ? { providerId: params.get('providerId')! } : {}),
    ...(params.get('tag') ? { tag: params.get('tag')! } : {}),
    ...(params.get('os') ? { os: params.get('os')! } : {}),
    ...(params.get('fact') ? { fact: params.get('fact')! } : {}),
    ...(params.get('includeGone') === 'true' ? { includeGone: true } : {}),
    ...(HEALTHS.includes(params.get('health') as NodeHealth) ? { health: params.get('health') as NodeHealth } : {}),
  };
  for (const [key] of MINIMUMS) {
    const min = percent(params.get(key));
    if (min !== undefined) query[key] = min;
  }
  return query;
}
