/**
 * A server role's secret attributes: a flat map from a dotted attribute path (`mysql.root_password`)
 * to a string, stored sealed apart from the plain attributes and nested into the node's attributes
 * only on the worker, when a node is configured.
 */
import { UnprocessableError } from '../../lib/errors.js';

export type SecretAttributes = Record<string, string>;
/** A PATCH: a string sets the attribute, null removes it, a path left out keeps its value. */
export type SecretAttributesPatch = Record<string, string | null>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Own properties only, whatever the name (`__proto__` included). */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

export function applySecretPatch(current: SecretAttributes, patch: SecretAttributesPatch): SecretAttributes {
  const next: SecretAttributes = {};
  for (const [path, value] of Object.entries(current)) define(next, path, value);
  for (const [path, value] of Object.entries(patch)) {
    if (value === null) delete next[path];
    else define(next, path, value);
  }
  return next;
}

/**
 * Why these paths cannot be secret attributes beside these plain attributes: `run_list` is node.json's
 * own key, one secret cannot hold another, and a path must not also be (or sit under a value of) a
 * plain attribute, which every observer can read.
 */
export function secretAttributeErrors(paths: readonly string[], plain: Record<string, unknown>, field: string): { field: string; message: string }[] {
  const errors: { field: string; message: string }[] = [];
  const sorted = [...paths].sort();
  for (const path of sorted) {
    const at = `${field}.${path}`;
    const segments = path.split('.');
    if (segments[0] === 'run_list') {
      errors.push({ field: at, message: 'run_list is the run list, not an attribute' });
      continue;
    }
    const holder = sorted.find((other) => path.startsWith(`${other}.`));
    if (holder) {
      errors.push({ field: at, message: `is inside secret attribute ${holder}, which is a string` });
      continue;
    }
    let node: unknown = plain;
    for (let i = 0; i < segments.length; i++) {
      if (!isObject(node) || !Object.hasOwn(node, segments[i]!)) break;
      node = node[segments[i]!];
      const prefix = segments.slice(0, i + 1).join('.');
      if (i === segments.length - 1) errors.push({ field: at, message: `is also a plain attribute (attributes.${prefix}); keep a secret out of attributes` });
      else if (!isObject(node)) errors.push({ field: at, message: `would replace the plain attribute attributes.${prefix}` });
      else continue;
      break;
    }
  }
  return errors;
}

export function assertSecretAttributes(paths: readonly string[], plain: Record<string, unknown>, field: string): void {
  const errors = secretAttributeErrors(paths, plain, field);
  if (errors.length > 0) throw new UnprocessableError(errors.map((e) => `${e.field} ${e.message}`).join('; '), { errors });
}

/** `{ 'mysql.root_password': 'x' }` -> `{ mysql: { root_password: 'x' } }`, for the CM plugin. */
export function nestSecretAttributes(secrets: SecretAttributes): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(secrets)) {
    const segments = path.split('.');
    let node = out;
    for (const segment of segments.slice(0, -1)) {
      if (!isObject(node[segment]) || !Object.hasOwn(node, segment)) define(node, segment, {});
      node = node[segment] as Record<string, unknown>;
    }
    define(node, segments.at(-1)!, value);
  }
  return out;
}
