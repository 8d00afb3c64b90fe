/**
 * Identical reads at once share a query, but never one sent before they arrived: the node page and
 * the summary rely on this to stay fresh while a burst of requests costs one query or two.
 */
import { describe, expect, it } from 'vitest';
import { SharedReads } from '../src/lib/shared-reads.js';

/** A load whose answers are released by hand: each answer is the number of loads started before it, plus one. */
function manualLoads() {
  const pending: { resolve: (n: number) => void; reject: (e: Error) => void }[] = [];
  let started = 0;
  return {
    load: () => {
      const n = ++started;
      return new Promise<number>((resolve, reject) => pending.push({ resolve: () => resolve(n), reject }));
    },
    get started() {
      return started;
    },
    release: () => pending.shift()!.resolve(0),
    fail: (e: Error) => pending.shift()!.reject(e),
  };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('shared reads', () => {
  it('gives a burst of reads two queries: the one in flight, and one started after it for all that came later', async () => {
    const reads = new SharedReads<number>();
    const loads = manualLoads();
    const first = reads.read('page', loads.load);
    const later = Array.from({ length: 10 }, () => reads.read('page', loads.load));
    await tick();
    // The later reads wait: their query is not sent while the first is in flight.
    expect(loads.started).toBe(1);
    loads.release();
    expect(await first).toBe(1);
    await tick();
    expect(loads.started).toBe(2);
    loads.release();
    // Every later read has the second query's answer, not the first's (sent before they arrived).
    expect(await Promise.all(later)).toEqual(Array(10).fill(2));
    expect(reads.size).toBe(0);
  });

  it('starts a new query for a read that arrives after the shared one was sent', async () => {
    const reads = new SharedReads<number>();
    const loads = manualLoads();
    void reads.read('page', loads.load);
    const waiting = reads.read('page', loads.load);
    loads.release();
    await tick();
    expect(loads.started).toBe(2);
    // The second query is in flight now: this read must not share it.
    const afterIt = reads.read('page', loads.load);
    loads.release();
    await tick();
    expect(loads.started).toBe(3);
    loads.release();
    expect(await waiting).toBe(2);
    expect(await afterIt).toBe(3);
  });

  it('keeps keys apart, and gives every sharer the failure of a failed query, then queries again', async () => {
    const reads = new SharedReads<number>();
    const loads = manualLoads();
    const a = reads.read('a', loads.load);
    const b = reads.read('b', loads.load);
    expect(loads.started).toBe(2);
    const a2 = reads.read('a', loads.load);
    const a3 = reads.read('a', loads.load);
    loads.release();
    loads.release();
    expect([await a, await b]).toEqual([1, 2]);
    await tick();
    loads.fail(new Error('connection lost'));
    await expect(a2).rejects.toThrow('connection lost');
    await expect(a3).rejects.toThrow('connection lost');
    expect(reads.size).toBe(0);
    const again = reads.read('a', loads.load);
    loads.release();
    expect(await again).toBe(4);
  });

  it('passes on a load that throws at once', async () => {
    const reads = new SharedReads<number>();
    await expect(reads.read('a', () => { throw new Error('bad filter'); })).rejects.toThrow('bad filter');
    expect(reads.size).toBe(0);
  });
});
