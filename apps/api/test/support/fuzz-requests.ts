/** Generated requests for the operations of an OpenAPI document (see http-fuzz.test.ts). */
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { fuzzBody, fuzzText, validValue, type JsonSchema } from './schema-arbitrary.js';

export interface Param {
  name: string;
  in: 'path' | 'query';
  required?: boolean;
  schema: JsonSchema;
}
export interface FuzzOperation {
  operationId: string;
  method: string;
  path: string;
  params: Param[];
  body?: { types: string[]; schema: JsonSchema; required: boolean };
  stream: boolean;
}
export interface OpenApiDoc {
  paths: Record<string, Record<string, {
    operationId: string;
    parameters?: Param[];
    requestBody?: { required?: boolean; content: Record<string, { schema: JsonSchema }> };
    responses: Record<string, { content?: Record<string, unknown> }>;
  }>>;
}

export function operationsOf(doc: OpenApiDoc): FuzzOperation[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const content = op.requestBody?.content;
      return {
        operationId: op.operationId,
        method: method.toUpperCase(),
        path,
        params: op.parameters ?? [],
        body: content && { types: Object.keys(content), schema: Object.values(content)[0]!.schema, required: op.requestBody!.required ?? false },
        stream: Boolean(op.responses['200']?.content?.['text/event-stream']),
      };
    }),
  );
}

/** What exists to act on: ids by the first path segment naming their collection, and more. */
export interface FuzzFixtures {
  existing: Record<string, string[]>;
  imageIds: string[];
  kitchen: Buffer;
  sshKey: string;
}

export type Caller = 'admin' | 'operator' | 'observer' | null | { token: string };
const callers: fc.Arbitrary<Caller> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom<Caller>('admin', 'operator', 'observer', null) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'om_', `om_${'A'.repeat(40)}`, 'a.b.c', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', '\u0000', 'Bearer', 'x'.repeat(5000),
    ).map((token) => ({ token })),
  },
);

export interface FuzzRequest {
  caller: Caller;
  method: string;
  url: string;
  contentType?: string;
  payload?: string | Buffer;
}

export function describeRequest(r: FuzzRequest): string {
  const who = r.caller === null ? 'no token' : typeof r.caller === 'string' ? r.caller : `token ${JSON.stringify(r.caller.token.slice(0, 60))}`;
  const body = r.payload === undefined ? '' : Buffer.isBuffer(r.payload) ? ` <${r.payload.length} bytes>` : ` ${r.payload.slice(0, 600)}`;
  return `${r.method} ${r.url.slice(0, 600)} as ${who} [${r.contentType ?? 'no content-type'}]${body}`;
}

/** Percent-encodes the UTF-8 bytes of any string (encodeURIComponent throws on a lone surrogate). */
export function encode(text: string): string {
  return Array.from(Buffer.from(text, 'utf8'), (b) => (/[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

function pathValue(op: FuzzOperation, param: Param, { existing, imageIds }: FuzzFixtures): fc.Arbitrary<string> {
  const collection = op.path.split('/')[3] ?? '';
  const known = param.name === 'id' ? existing[collection] ?? [] : param.name === 'nodeId' ? existing.nodes ?? [] : param.name === 'imageId' ? imageIds : [];
  return known.length ? fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...known) }, { weight: 2, arbitrary: fuzzText(param.schema) }) : fuzzText(param.schema);
}

const JSON_TYPES = ['application/json', 'application/json; charset=utf-8'];
const OTHER_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'application/gzip', ''];
const RAW_QUERY = ['', '&', '&%', '&a=%zz', '&=', '&&', '&page', '&limit[]=1', '&__proto__=1', '&constructor=x', '&page=1&page=2'];

/** Random bytes, gzipped garbage, a gzipped fake tar header: what a kitchen upload must survive. */
const archives: fc.Arbitrary<Buffer> = fc.oneof(
  fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b)),
  fc.uint8Array({ maxLength: 4096 }).map((b) => gzipSync(b)),
  fc.tuple(fc.string({ maxLength: 100, unit: 'binary-ascii' }), fc.uint8Array({ maxLength: 1024 })).map(([name, data]) => {
    const header = Buffer.alloc(512);
    header.write(name, 0, 'latin1');
    header.write('0000644\u0000', 100);
    header.write(`${data.length.toString(8).padStart(11, '0')}\u0000`, 124);
    return gzipSync(Buffer.concat([header, Buffer.from(data), Buffer.alloc(1024)]));
  }),
);

/** Request fields that name things: in well-formed requests they name things that exist. */
function withExisting(body: unknown, { existing, imageIds, sshKey }: FuzzFixtures): fc.Arbitrary<unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return fc.constant(body);
  const fixed: Record<string, fc.Arbitrary<unknown>> = {};
  const b = body as Record<string, unknown>;
  if ('providerId' in b) fixed.providerId = fc.constantFrom(...existing.providers!);
  if ('nodeIds' in b) fixed.nodeIds = fc.subarray(existing.nodes!, { minLength: 1 });
  if ('imageId' in b) fixed.imageId = fc.constantFrom(...imageIds);
  if ('sizeId' in b) fixed.sizeId = fc.constant('small');
  if ('locationId' in b) fixed.locationId = fc.constant('lab-1');
  if ('type' in b && 'credentials' in b) fixed.type = fc.constant('dummy');
  if ('credentials' in b) fixed.credentials = fc.string({ minLength: 1, maxLength: 20, unit: 'grapheme-ascii' }).map((k) => ({ apiKey: `k-${k}` }));
  if ('settings' in b && !('runList' in b)) fixed.settings = fc.constantFrom({}, { latencyMs: 0 }, { transitionMs: 10 });
  if ('runList' in b) fixed.runList = fc.subarray(['role[web]', 'role[base]', 'recipe[base]'], { minLength: 1 });
  if ('ssh' in b) fixed.ssh = fc.constant({ username: 'root', privateKey: sshKey });
  if ('cm' in b) fixed.cm = fc.constant({ kind: 'chef-solo', settings: {} });
  if ('environment' in b) fixed.environment = fc.constant(null);
  return fc.record(fixed).map((f) => ({ ...b, ...f }));
}

/** Requests a client could mean: real roles, existing ids, values the schemas accept. */
function wellFormedRequests(op: FuzzOperation, fixtures: FuzzFixtures): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.params.filter((p) => p.in === 'path');
  const query = op.params.filter((p) => p.in === 'query');
  const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  const path = fc.tuple(...pathParams.map((p) => {
    const known = p.name === 'id' ? fixtures.existing[op.path.split('/')[3] ?? ''] ?? [] : p.name === 'nodeId' ? fixtures.existing.nodes ?? [] : p.name === 'imageId' ? fixtures.imageIds : [];
    return known.length ? fc.constantFrom(...known) : validValue(p.schema).map(text);
  })).map((values) => values.reduce<string>((url, v, i) => url.replace(`{${pathParams[i]!.name}}`, encode(v)), op.path));
  const queryString = fc.tuple(...query.map((p) => fc.option(validValue(p.schema).map(text), { nil: undefined, freq: 2 }))).map((values) => {
    const parts = values.flatMap((v, i) => (v === undefined ? [] : [`${encode(query[i]!.name)}=${encode(v)}`]));
    return parts.length ? `?${parts.join('&')}` : '';
  });
  let body: fc.Arbitrary<{ contentType?: string; payload?: string | Buffer }> = fc.constant({});
  if (op.body?.types.includes('application/json')) {
    body = validValue(op.body.schema).chain((v) => withExisting(v, fixtures)).map((v) => ({ contentType: 'application/json', payload: JSON.stringify(v) }));
  } else if (op.body) {
    body = fc.constant({ contentType: op.body.types[0], payload: fixtures.kitchen });
  }
  const caller = fc.constantFrom<Caller>('admin', 'admin', 'operator', 'operator', 'observer');
  return fc.record({ caller, path, queryString, body }).map(({ caller: c, path: p, queryString: qs, body: b }) => ({ caller: c, method: op.method, url: `${p}${qs}`, ...b }));
}

/** Well-formed requests and hostile ones, for one operation. */
export function requestsFor(op: FuzzOperation, fixtures: FuzzFixtures): fc.Arbitrary<FuzzRequest> {
  return fc.oneof({ weight: 2, arbitrary: wellFormedRequests(op, fixtures) }, { weight: 3, arbitrary: hostileRequests(op, fixtures) });
}

/** Requests at and past every edge: hostile values anywhere, any or no credentials. */
function hostileRequests(op: FuzzOperation, fixtures: FuzzFixtures): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.params.filter((p) => p.in === 'path');
  const query = op.params.filter((p) => p.in === 'query');
  const path = fc.tuple(...pathParams.map((p) => pathValue(op, p, fixtures))).map((values) =>
    values.reduce<string>((url, v, i) => url.replace(`{${pathParams[i]!.name}}`, encode(v)), op.path),
  );
  const queryString = fc
    .tuple(
      fc.tuple(...query.map((p) => fc.option(fc.oneof(fuzzText(p.schema).map((v) => [v]), fc.tuple(fuzzText(p.schema), fuzzText(p.schema))), { nil: undefined }))),
      fc.constantFrom(...RAW_QUERY),
    )
    .map(([values, raw]) => {
      const parts = values.flatMap((vs, i) => (vs ?? []).map((v) => `${encode(query[i]!.name)}=${encode(v)}`));
      const qs = parts.join('&') + raw;
      return qs ? `?${qs}` : '';
    });
  let body: fc.Arbitrary<{ contentType?: string; payload?: string | Buffer }>;
  if (op.body && !op.body.types.some((type) => type.startsWith('application/json'))) {
    body = fc.oneof(
      { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...op.body.types), archives).map(([contentType, payload]) => ({ contentType, payload })) },
      { weight: 1, arbitrary: fc.record({ contentType: fc.constantFrom(...JSON_TYPES, ...OTHER_TYPES), payload: fc.string({ maxLength: 100 }) }) },
      { weight: 1, arbitrary: fc.constant({}) },
    );
  } else {
    const json = (op.body ? fuzzBody(op.body.schema) : fc.jsonValue({ maxDepth: 2 })).map((v) => JSON.stringify(v) ?? 'null');
    body = fc.oneof(
      { weight: op.body ? 8 : 1, arbitrary: fc.record({ contentType: fc.constantFrom(...JSON_TYPES), payload: json }) },
      { weight: 1, arbitrary: fc.record({ contentType: fc.constantFrom(...OTHER_TYPES), payload: fc.oneof(json, fc.string({ maxLength: 200, unit: 'binary' })) }) },
      { weight: 1, arbitrary: fc.constantFrom({}, { contentType: 'application/json', payload: '' }, { contentType: 'application/json', payload: '{"a":' }) },
    );
  }
  return fc.record({ caller: callers, path, queryString, body }).map(({ caller, path: p, queryString: qs, body: b }) => ({
    caller,
    method: op.method,
    url: `${p}${qs}`,
    ...b,
  }));
}
