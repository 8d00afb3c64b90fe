import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { JsonSchema } from '@overmind/provider';
import { UnprocessableError } from '../../lib/errors.js';

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
(addFormats as unknown as (a: Ajv) => void)(ajv);
const cache = new WeakMap<JsonSchema, ValidateFunction>();

function field(prefix: string, e: ErrorObject): { field: string; message: string } {
  const path = e.instancePath.replace(/^\//, '').replaceAll('/', '.');
  const extra =
    e.keyword === 'additionalProperties' ? String(e.params.additionalProperty)
    : e.keyword === 'required' ? String(e.params.missingProperty)
    : '';
  const name = [prefix, path, extra].filter(Boolean).join('.');
  const message = e.keyword === 'additionalProperties' ? 'is not a known field' : e.keyword === 'required' ? 'is required' : e.message ?? 'is invalid';
  return { field: name, message };
}

/**
 * Validates credentials or settings against a plugin's JSON Schema (applying its defaults) and
 * throws a 422 naming each bad field. Values are never echoed back: they may be secrets.
 */
export function validateAgainst<T>(schema: JsonSchema, value: unknown, prefix: string): T {
  let validate = cache.get(schema);
  if (!validate) {
    validate = ajv.compile(schema as object);
    cache.set(schema, validate);
  }
  const copy = structuredClone(value ?? {});
  if (!validate(copy)) {
    const errors = (validate.errors ?? []).map((e) => field(prefix, e));
    throw new UnprocessableError(errors.map((e) => `${e.field} ${e.message}`).join('; '), { errors });
  }
  return copy as T;
}
