import { Stream } from 'node:stream';

/**
 * What no schema says but Postgres requires of every text it stores (text and jsonb alike): no NUL
 * character, and well-formed Unicode (JSON may carry half of a UTF-16 surrogate pair, which
 * `JSON.stringify` then writes as an escape jsonb refuses). And a bound on nesting: free-form objects
 * (credentials, settings, attributes) are copied and validated recursively.
 */
export const MAX_JSON_DEPTH = 64;

// With the `u` flag a lone surrogate is a code point of category Cs; a valid pair is not.
const UNPAIRED_SURROGATE = /\p{Cs}/u;

function problemWith(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain NUL characters';
  if (UNPAIRED_SURROGATE.test(text)) return 'must be valid Unicode (it has an unpaired surrogate)';
  return undefined;
}

export interface InputProblem {
  field: string;
  message: string;
}

/** Parsed input (JSON, a query string's object), not a body taken as a stream or as bytes. */
function isJsonContainer(v: object): boolean {
  return !(v instanceof Stream) && !ArrayBuffer.isView(v);
}

/**
 * The first string, key or nesting level in `value` that could not be stored, with its field path
 * (`body.tags.0`), or undefined. Iterative, so no input can exhaust the stack.
 */
export function findUnstorableInput(value: unknown, root: string): InputProblem | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: root, depth: 0 }];
  while (stack.length > 0) {
    const { value: v, path, depth } = stack.pop()!;
    if (typeof v === 'string') {
      const message = problemWith(v);
      if (message) return { field: path, message };
      continue;
    }
    // Only parsed JSON is walked: a body taken as a stream (a kitchen upload) is no input to check.
    if (v === null || typeof v !== 'object' || !isJsonContainer(v)) continue;
    // Named by its outer field: the full path would be as long as the nesting.
    if (depth >= MAX_JSON_DEPTH) return { field: path.split('.').slice(0, 2).join('.'), message: `must not be nested more than ${MAX_JSON_DEPTH} levels deep` };
    for (const [key, child] of Object.entries(v)) {
      const message = problemWith(key);
      if (message) return { field: path, message: `has a field name that ${message}` };
      stack.push({ value: child, path: `${path}.${key}`, depth: depth + 1 });
    }
  }
  return undefined;
}
