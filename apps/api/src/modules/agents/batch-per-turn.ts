/**
 * Gathers the calls made in one turn of the event loop into one call of `run`, each caller getting its
 * own answer: when thousands of agents connect at once (an API restart), their lookups are a few
 * queries instead of one each. A lone call waits only for the end of the current turn.
 */
export function batchPerTurn<K, V>(run: (keys: K[]) => Promise<Map<K, V>>, maxBatch = 1000): (key: K) => Promise<V | undefined> {
  let pending: { key: K; resolve: (value: V | undefined) => void; reject: (err: unknown) => void }[] = [];

  function flush(): void {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    run([...new Set(batch.map((b) => b.key))]).then(
      (found) => {
        for (const b of batch) b.resolve(found.get(b.key));
      },
      (err: unknown) => {
        for (const b of batch) b.reject(err);
      },
    );
  }

  return (key) =>
    new Promise<V | undefined>((resolve, reject) => {
      if (pending.length === 0) setImmediate(flush);
      pending.push({ key, resolve, reject });
      if (pending.length >= maxBatch) flush();
    });
}
