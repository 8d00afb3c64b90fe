import { InvalidArgumentError } from 'commander';

/** Repeatable options (`--tag a --tag b`). */
export const collect = (value: string, previous: string[]) => [...previous, value];

export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a whole number of at least 1');
  return n;
}

/** `key=value` settings; a value that reads as JSON (a number, true, a list) is taken as that. */
export function keyValue(value: string, previous: Record<string, unknown>): Record<string, unknown> {
  const at = value.indexOf('=');
  if (at < 1) throw new InvalidArgumentError('expected key=value');
  const raw = value.slice(at + 1);
  let parsed: unknown = raw;
  try {
    parsed = JSON.parse(raw);
  } catch {
    // a plain string
  }
  return { ...previous, [value.slice(0, at)]: parsed };
}
