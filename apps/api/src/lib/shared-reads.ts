/**
 * Identical reads at the same moment share one query, and every answer is still fresh: a read joins
 * only a query sent after it arrived. While a key's query is in flight, the reads that arrive wait
 * for it to end and then share the next one; so a key has at most one query in flight and one
 * waiting, however many callers ask. (Joining the query in flight instead would hand a caller an
 * answer older than its own request: a write it made just before could be missing.)
 *
 * This is what keeps a burst of identical requests cheap, e.g. every open console refetching the
 * same node page after the event that changed it, or a dashboard polled by many screens.
 */
export class SharedReads<T> {
  readonly #slots = new Map<string, Slot<T>>();

  read(key: string, load: () => Promise<T>): Promise<T> {
    const slot = this.#slots.get(key);
    if (!slot) return this.#start(key, load);
    slot.next ??= slot.running.then(ignore, ignore).then(() => this.#start(key, load));
    return slot.next;
  }

  /** Keys with a query in flight or waiting (for tests and metrics). */
  get size(): number {
    return this.#slots.size;
  }

  #start(key: string, load: () => Promise<T>): Promise<T> {
    let running: Promise<T>;
    try {
      running = load();
    } catch (err) {
      running = Promise.reject(err);
    }
    const slot: Slot<T> = { running };
    this.#slots.set(key, slot);
    // Runs before a waiting read's continuation (attached first): with none waiting, the key is done.
    const settle = () => {
      if (this.#slots.get(key) === slot && !slot.next) this.#slots.delete(key);
    };
    running.then(settle, settle);
    return running;
  }
}

interface Slot<T> {
  running: Promise<T>;
  /** The query the reads that arrived while `running` was in flight share; it starts when that ends. */
  next?: Promise<T>;
}

function ignore(): void {}
