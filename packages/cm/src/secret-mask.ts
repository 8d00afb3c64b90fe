/**
 * Hides secret values in text that is about to be recorded or sent (job log lines, job errors and
 * results in the API; an agent's run output before it leaves the node), the way CI systems mask
 * their secrets: every occurrence becomes `***`. One rule on both sides of the agent protocol.
 */

export const MASK = '***';
/** Shorter values (and lines of multi-line values) are not masked: they would hide ordinary words and digits. */
export const MIN_MASKED_LENGTH = 4;

export class SecretMask {
  /** Longest first, so a value containing another is replaced whole. */
  #values: string[] = [];

  get active(): boolean {
    return this.#values.length > 0;
  }

  /** Masks these values from now on; a multi-line value is also masked line by line (logs arrive as lines). */
  add(...values: readonly string[]): void {
    const next = new Set(this.#values);
    for (const value of values) {
      for (const part of [value, ...value.split(/\r?\n/)]) {
        if (part.trim().length >= MIN_MASKED_LENGTH) next.add(part);
      }
    }
    this.#values = [...next].sort((a, b) => b.length - a.length);
  }

  apply(text: string): string {
    let out = text;
    for (const value of this.#values) if (out.includes(value)) out = out.split(value).join(MASK);
    return out;
  }

  /** Masks every string leaf of a JSON-like value from now on (secret attributes; keys are not secrets). */
  addLeaves(value: unknown): void {
    const leaves: string[] = [];
    const walk = (v: unknown): void => {
      if (typeof v === 'string') leaves.push(v);
      else if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk(value);
    this.add(...leaves);
  }

  /** Masks every string inside a JSON-like value (a job result), keys included. */
  applyDeep<T>(value: T): T {
    if (!this.active) return value;
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return this.apply(v);
      if (Array.isArray(v)) return v.map(walk);
      if (v && typeof v === 'object' && !(v instanceof Date)) {
        return Object.fromEntries(Object.entries(v).map(([k, inner]) => [this.apply(k), walk(inner)]));
      }
      return v;
    };
    return walk(value) as T;
  }

  /** An error safe to log: same name, message and stack with the values masked. */
  applyError(err: unknown): unknown {
    if (!this.active || !(err instanceof Error)) return err;
    const masked = new Error(this.apply(err.message));
    masked.name = err.name;
    masked.stack = err.stack === undefined ? undefined : this.apply(err.stack);
    return masked;
  }
}
