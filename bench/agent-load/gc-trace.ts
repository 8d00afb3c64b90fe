/**
 * The live JavaScript heap of a process started with `--trace-gc`, read from its output. After each
 * full (mark-compact) collection V8 prints the heap's size before and after: the "after" is what the
 * process holds, without the garbage that an RSS figure includes until the next full collection (so
 * a mean RSS depends on where the collections fall in the window; the live heap does not).
 */
const FULL_GC = /^\[(\d+:0x[0-9a-f]+)\]\s+\d+ ms: Mark-Compact(?: \(reduce\))? [\d.]+ \([\d.]+\) -> ([\d.]+) \(([\d.]+)\) MB/;

export interface LiveHeap {
  /** Full collections of the process's main heap in the window (0: the figures are the last one's before it). */
  collections: number;
  /** Its size after each, MiB (V8 prints MB meaning MiB). */
  minMiB: number;
  maxMiB: number;
  /** The most V8 had reserved for it after one, MiB. */
  committedMaxMiB: number;
}

interface FullGc {
  /** The process and V8 isolate (each thread with JavaScript has its own heap). */
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
      if (m) this.#seen.push({ isolate: m[1]!, liveMiB: Number(m[2]), committedMiB: Number(m[3]) });
    }
  }

  /** A mark to pass to `liveHeap` later: the collections after it count. */
  mark(): number {
    return this.#seen.length;
  }

  /**
   * The main heap's collections since `mark` (or the last before it), or null when there was none.
   * Helper threads (tsx's loader thread) have small heaps of their own: each process's main heap is
   * its largest seen.
   */
  liveHeap(mark: number): LiveHeap | null {
    const largest = new Map<string, FullGc>();
    for (const g of this.#seen) {
      const pid = g.isolate.split(':')[0]!;
      if (g.liveMiB > (largest.get(pid)?.liveMiB ?? -1)) largest.set(pid, g);
    }
    const main = new Set([...largest.values()].map((g) => g.isolate));
    const inWindow = this.#seen.slice(mark).filter((g) => main.has(g.isolate));
    // None in the window (a quiet heap): the last one before it, still the latest figure.
    const mine = inWindow.length ? inWindow : this.#seen.slice(0, mark).filter((g) => main.has(g.isolate)).slice(-1);
    if (mine.length === 0) return null;
    const live = mine.map((g) => g.liveMiB);
    return { collections: inWindow.length, minMiB: Math.min(...live), maxMiB: Math.max(...live), committedMaxMiB: Math.max(...mine.map((g) => g.committedMiB)) };
  }
}
