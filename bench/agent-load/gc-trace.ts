/**
 * The live JavaScript heap of a process started with `--trace-gc`, read from its output. After each
 * full (mark-compact) collection V8 prints the heap's size before and after: the "after" is what the
 * process holds, without the garbage that an RSS figure includes until the next full collection (so
 * a mean RSS depends on where the collections fall in the window; the live heap does not).
 */
const FULL_GC = /^\[(\d+):(0x[0-9a-f]+)\]\s+\d+ ms: Mark-Compact(?: \(reduce\))? [\d.]+ \([\d.]+\) -> ([\d.]+) \(([\d.]+)\) MB/;

export interface LiveHeap {
  /** Full collections of the process's main heap in the window (0: none; the figures are the first one's after it). */
  collections: number;
  /** Its size after each, MiB (V8 prints MB meaning MiB). */
  minMiB: number;
  maxMiB: number;
  /** The most V8 had reserved for it after one, MiB. */
  committedMaxMiB: number;
}

interface FullGc {
  pid: number;
  /** The V8 isolate: each thread with JavaScript has its own heap. */
  isolate: string;
  liveMiB: number;
  committedMiB: number;
}

export class FullGcTrace {
  #partial = '';
  readonly #seen: FullGc[] = [];

  /** Feeds the process's standard output, in whatever pieces it comes. */
  write(chunk: string | Buffer): void {
    const lines = (this.#partial + String(chunk)).split('\n');
    this.#partial = lines.pop()!;
    for (const line of lines) {
      const m = FULL_GC.exec(line);
      if (m) this.#seen.push({ pid: Number(m[1]), isolate: m[2]!, liveMiB: Number(m[3]), committedMiB: Number(m[4]) });
    }
  }

  /** A mark for `liveHeap`: the collections seen so far. */
  mark(): number {
    return this.#seen.length;
  }

  /**
   * Process `pid`'s main heap after its full collections between the marks `from` and `to`; with
   * none there (a quiet heap collects rarely), the first one after `to` seen so far; else null.
   * Helper threads (tsx's loader thread) have small heaps of their own: the main heap is the largest.
   */
  liveHeap(pid: number, from: number, to: number): LiveHeap | null {
    const mine = this.#seen.map((g, at) => ({ ...g, at })).filter((g) => g.pid === pid);
    if (mine.length === 0) return null;
    const main = mine.reduce((a, b) => (b.liveMiB > a.liveMiB ? b : a)).isolate;
    const heap = mine.filter((g) => g.isolate === main);
    const inWindow = heap.filter((g) => g.at >= from && g.at < to);
    const chosen = inWindow.length ? inWindow : heap.filter((g) => g.at >= to).slice(0, 1);
    if (chosen.length === 0) return null;
    const live = chosen.map((g) => g.liveMiB);
    return { collections: inWindow.length, minMiB: Math.min(...live), maxMiB: Math.max(...live), committedMaxMiB: Math.max(...chosen.map((g) => g.committedMiB)) };
  }
}
