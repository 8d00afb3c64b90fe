import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/**
 * Counts the rows a filtered query matches without making every page request count them all.
 * Up to `exactUpTo` rows are counted exactly on each call (cheap: the scan stops there); larger
 * totals are counted once and then served from memory for `ttlMs`, so a page of 10,000 nodes
 * does not re-count 10,000 rows per request. A large total may thus lag by up to `ttlMs`.
 */
export class Counter {
  readonly #cache = new Map<string, { total: number; at: number }>();

  constructor(
    private readonly exactUpTo = 1000,
    private readonly ttlMs = 2000,
  ) {}

  async count<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, key: string): Promise<number> {
    const base = qb.clone().orderBy().skip(undefined).take(undefined).offset(undefined).limit(undefined);
    const capped = base.clone().select('1').limit(this.exactUpTo + 1);
    const [sql, params] = capped.getQueryAndParameters();
    const [{ n }] = await qb.connection.query(`SELECT count(*)::int AS n FROM (${sql}) AS capped`, params);
    if (n <= this.exactUpTo) return n;

    const hit = this.#cache.get(key);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.total;
    const [fullSql, fullParams] = base.clone().select('1').getQueryAndParameters();
    const [{ total }] = await qb.connection.query(`SELECT count(*)::int AS total FROM (${fullSql}) AS all_rows`, fullParams);
    if (this.#cache.size > 1000) this.#cache.clear();
    this.#cache.set(key, { total, at: Date.now() });
    return total;
  }
}
