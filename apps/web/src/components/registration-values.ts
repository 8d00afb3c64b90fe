/**
 * Form state for a nested JSON Schema (objects of scalars, nested objects, and a `oneOf` of objects
 * told apart by a `const` property, such as a dedicated server's `bmc`), and its conversion to the
 * value the API takes: blanks left out, numbers as numbers, empty objects dropped.
 */
import type { JsonSchema } from './schema-fields.js';

export interface NestedSchema extends JsonSchema {
  properties?: Record<string, NestedSchema>;
  oneOf?: NestedSchema[];
  const?: unknown;
}

/** Strings and booleans as typed; nested objects as nested state; a `oneOf` as the chosen variant's state plus `$variant`. */
export type FormState = { [key: string]: string | boolean | FormState | undefined };

/** The constant that names a `oneOf` variant (`ipmi`, `redfish`), and the property holding it. */
export function variantTag(schema: NestedSchema): { key: string; value: string } | null {
  for (const [key, prop] of Object.entries(schema.properties ?? {})) if (typeof prop.const === 'string') return { key, value: prop.const };
  return null;
}

export const isObjectSchema = (s: NestedSchema) => s.type === 'object' || !!s.properties;

/** The value for the API, or undefined when nothing was filled in. */
export function valueOf(schema: NestedSchema, state: FormState | undefined): Record<string, unknown> | undefined {
  if (!state) return undefined;
  if (schema.oneOf) {
    const chosen = schema.oneOf.find((v) => variantTag(v)?.value === state.$variant);
    if (!chosen) return undefined;
    const tag = variantTag(chosen)!;
    return { [tag.key]: tag.value, ...valueOf(chosen, state) };
  }
  const out: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    if (prop.const !== undefined) continue;
    const v = state[key];
    if (prop.oneOf || isObjectSchema(prop)) {
      const nested = valueOf(prop, v as FormState | undefined);
      if (nested && Object.keys(nested).length > 0) out[key] = nested;
    } else if (typeof v === 'boolean') {
      if (v) out[key] = true;
    } else if (typeof v === 'string' && v.trim() !== '') {
      out[key] = prop.type === 'integer' || prop.type === 'number' ? Number(v) : prop.writeOnly ? v : v.trim();
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The API's field errors under `prefix` (e.g. `body.registration`), keyed by the path below it (`ssh.port`). */
export function messagesByPath(errors: { field: string; message: string }[], prefix: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const e of errors) {
    if (e.field !== prefix && !e.field.startsWith(`${prefix}.`)) continue;
    const path = e.field.slice(prefix.length + 1);
    (out[path] ??= []).push(e.message);
  }
  return out;
}

/** `privateKey` → `Private key`, for properties without a title. */
export const humanize = (key: string) => {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};
