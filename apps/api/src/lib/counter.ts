/**
 * Counts the rows a filtered list matches without making every page request count them all.
 * Up to `exactUpTo` rows are counted exactly on each call (cheap: the scan stops there); a larger
 * total is counted once and then served from memory for `ttlMs`, so paging through 10,000 nodes
 * does not re-count 10,000 rows per request. A large total may thus lag by up to `ttlMs`.
 */
export class Counter {
  readonly #cache = new Map<string, { total: number; at: number }>();

  constructor(
    readonly exactUpTo = 1000,
    private readonly ttlMs = 2000,
  ) {}

  /**
   * `countUpTo(limit)` counts matches but stops at `limit`; `countAll()` counts them all.
   * `key` identifies the filter.
   */
  async count(key: string, countUpTo: (limit: number) => Promise<number>, countAll: () => Promise<number>): Promise<number> {
    const hit = this.#cache.get(key);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.total;
    const capped = await countUpTo(this.exactUpTo + 1);
    if (capped <= this.exactUpTo) return capped;
    const total = await countAll();
    if (this.#cache.size > 1000) this.#cache.clear();
    this.#cache.set(key, { total, at: Date.now() });
    return total;
  }
}
