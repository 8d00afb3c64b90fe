import fc from 'fast-check';

/** The parts of a JSON Schema (as the OpenAPI document prints it) the generators read. */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  minProperties?: number;
}

/** Strings that have broken something somewhere: NUL, lone surrogates, traversal, SQL, huge. */
const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff x',
  '💥',
  'e\u0301',
  '../../../etc/passwd',
  "' OR '1'='1' --",
  '%00',
  '%',
  '\\',
  '$(id)',
  '<script>alert(1)</script>',
  '__proto__',
  'constructor',
  'null',
  'x'.repeat(70_000),
];
const NASTY_NUMBERS = [0, -0, -1, 1.5, -1e300, 1e300, 2 ** 31, 2 ** 53, 2 ** 53 + 2, 2 ** 63, 2 ** 64, -(2 ** 63) - 1, Number.MIN_VALUE];

/** A value of any JSON type, sometimes deeply nested or oddly keyed. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(...NASTY_STRINGS, ...NASTY_NUMBERS, null, true, false, [], {}),
  fc.constant(JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}')),
  fc.integer({ min: 50, max: 3000 }).map((depth) => JSON.parse('['.repeat(depth) + ']'.repeat(depth))),
  fc.integer({ min: 50, max: 3000 }).map((depth) => JSON.parse('{"a":'.repeat(depth) + '1' + '}'.repeat(depth))),
);

function types(schema: JsonSchema): string[] {
  if (Array.isArray(schema.type)) return schema.type;
  if (schema.type) return [schema.type];
  if (schema.enum) return [...new Set(schema.enum.map((v) => (v === null ? 'null' : typeof v)))];
  return [];
}

/** Values the schema accepts, mostly: what gets past validation to the handlers. */
export function validValue(schema: JsonSchema): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map(validValue));
  const kinds = types(schema);
  if (kinds.length > 1) return fc.oneof(...kinds.map((type) => validValue({ ...schema, type })));
  switch (kinds[0]) {
    case 'string':
      return validString(schema);
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -(2 ** 31), max: schema.maximum ?? 2 ** 31 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e9, max: schema.maximum ?? 1e9, noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(schema.items ? validValue(schema.items) : anyJson, {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 5, 5)),
      });
    case 'object':
      return validObject(schema);
    default:
      return anyJson;
  }
}

function validString(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.format === 'uuid') return fc.uuid();
  if (schema.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? 200;
  if (schema.pattern) {
    const fits = (s: string) => s.length >= min && s.length <= max;
    return fc.stringMatching(new RegExp(schema.pattern), { size: 'small' }).map((s) => (fits(s) ? s : null)).filter((s): s is string => s !== null);
  }
  const size = { minLength: min, maxLength: Math.min(max, Math.max(min, 64)) };
  // Well-formed text (any script, emoji, combining marks); NUL and lone surrogates are hostile values.
  return fc.oneof(
    fc.string({ ...size, unit: 'grapheme-ascii' }),
    fc.string({ ...size, unit: 'grapheme' }),
  ).filter((s) => s.length >= min && s.length <= max);
}

function validObject(schema: JsonSchema): fc.Arbitrary<Record<string, unknown>> {
  const props = schema.properties ?? {};
  const known = fc.record(
    Object.fromEntries(Object.entries(props).map(([k, s]) => [k, validValue(s)])),
    { requiredKeys: (schema.required ?? []).filter((k) => k in props) },
  ) as fc.Arbitrary<Record<string, unknown>>;
  if (!schema.additionalProperties) return known;
  // A free-form object (credentials, settings, attributes): any JSON object.
  return fc.tuple(known, fc.dictionary(fc.string({ maxLength: 20 }), anyJson, { maxKeys: 6 })).map(([a, b]) => ({ ...b, ...a }));
}

/** Values just outside what the schema accepts, of the wrong type, or extreme. */
export function hostileValue(schema: JsonSchema): fc.Arbitrary<unknown> {
  const near: unknown[] = [];
  if (schema.minimum !== undefined) near.push(schema.minimum - 1, schema.minimum - 0.5);
  if (schema.maximum !== undefined) near.push(schema.maximum + 1, schema.maximum + 0.5);
  if (schema.maxLength !== undefined) near.push('y'.repeat(schema.maxLength + 1));
  if (schema.minLength) near.push('y'.repeat(schema.minLength - 1));
  if (schema.format === 'uuid') near.push('urn:uuid:6f1c1d2e-8a5b-4c3d-9e0f-1a2b3c4d5e6f', '6F1C1D2E-8A5B-4C3D-9E0F-1A2B3C4D5E6F', '{6f1c1d2e-8a5b-4c3d-9e0f-1a2b3c4d5e6f}', '6f1c1d2e8a5b4c3d9e0f1a2b3c4d5e6f', '00000000-0000-0000-0000-000000000000');
  if (schema.maxItems !== undefined && schema.items) near.push(Array.from({ length: schema.maxItems + 1 }, () => 'z'));
  const raw = fc.string({ maxLength: 40, unit: 'binary' }); // any code units: NUL, lone surrogates
  return near.length ? fc.oneof(fc.constantFrom(...near), anyJson, raw) : fc.oneof(anyJson, raw);
}

/** Mostly valid, sometimes hostile: deep into the handlers, and at their edges. */
export function fuzzValue(schema: JsonSchema): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 3, arbitrary: validValue(schema) }, { weight: 1, arbitrary: hostileValue(schema) });
}

/** A body for an object schema: each field valid or hostile, sometimes missing, sometimes extra. */
export function fuzzBody(schema: JsonSchema): fc.Arbitrary<unknown> {
  if (types(schema)[0] !== 'object' || !schema.properties) return fuzzValue(schema);
  const props = schema.properties;
  const fields = fc.record(
    Object.fromEntries(Object.entries(props).map(([k, s]) => [k, fuzzValue(s)])),
    { requiredKeys: [] },
  ) as fc.Arbitrary<Record<string, unknown>>;
  return fc.oneof(
    { weight: 4, arbitrary: validValue(schema) },
    { weight: 4, arbitrary: fields },
    { weight: 1, arbitrary: fc.tuple(validValue(schema), fc.dictionary(fc.string({ maxLength: 12 }), anyJson, { minKeys: 1, maxKeys: 3 })).map(([a, b]) => ({ ...(a as object), ...b })) },
    { weight: 1, arbitrary: anyJson },
  );
}

/**
 * A query-string or path value as text: valid values as the API's clients write them, and the
 * numbers and strings that break parsers (1e300, NaN, Infinity, 0x10, 400 digits...).
 */
export function fuzzText(schema: JsonSchema): fc.Arbitrary<string> {
  const numeric = types(schema).some((t) => t === 'integer' || t === 'number');
  const texts = ['1e300', '-1e300', '1e400', 'NaN', 'Infinity', '-Infinity', '-1', '-0', '0', '0x10', '1.5', '1e3', ' 7', '9'.repeat(400), '', 'true', '[]', '\u0000', '%00'];
  return fc.oneof(
    { weight: 3, arbitrary: validValue(schema).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))) },
    { weight: numeric ? 3 : 1, arbitrary: fc.constantFrom(...texts) },
    { weight: 1, arbitrary: hostileValue(schema).map((v) => (typeof v === 'string' ? v : JSON.stringify(v) ?? '')) },
    { weight: 1, arbitrary: fc.string({ maxLength: 40, unit: 'binary' }) },
  );
}
