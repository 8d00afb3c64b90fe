import { generateAgentKeyPair } from '@overmind/agent-protocol';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { PASSWORDS } from './test-app.js';
import type { Role } from '../../src/db/entities/index.js';

/** A JSON Schema as @fastify/swagger prints it; only the parts the tests read. */
export interface SchemaNode {
  type?: string;
  enum?: unknown[];
  anyOf?: SchemaNode[];
  required?: string[];
  properties?: Record<string, SchemaNode>;
  minProperties?: number;
  maximum?: number;
}

export interface Operation {
  operationId: string;
  method: string;
  /** OpenAPI path, e.g. `/api/v1/nodes/{id}`. */
  path: string;
  /** `[]` for public routes; absent when the document-wide bearer requirement applies. */
  security?: unknown[];
  pathParams: string[];
  query: Record<string, SchemaNode>;
  body?: SchemaNode;
}

interface OpenApiOperation {
  operationId: string;
  security?: unknown[];
  parameters?: { in: string; name: string; schema: SchemaNode }[];
  requestBody?: { content: Record<string, { schema: SchemaNode }> };
}

/** Every operation in the app's own OpenAPI document. */
export function listOperations(app: FastifyInstance): Operation[] {
  const doc = app.swagger() as unknown as { paths: Record<string, Record<string, OpenApiOperation>> };
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const params = op.parameters ?? [];
      return {
        operationId: op.operationId,
        method: method.toUpperCase(),
        path,
        security: op.security,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        query: Object.fromEntries(params.filter((p) => p.in === 'query').map((p) => [p.name, p.schema])),
        body: op.requestBody?.content['application/json']?.schema,
      };
    }),
  );
}

/** Fills path parameters: random UUIDs for ids, a plausible catalog id otherwise (or the overrides). */
export function samplePath(op: Operation, values: Record<string, string> = {}): string {
  return op.path.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? (name === 'id' || name === 'nodeId' ? randomUUID() : name === 'sha256' ? 'a'.repeat(64) : 'debian-12'));
}

/**
 * A minimal body that passes schema validation, per operation that takes one. Names are unique per
 * call so repeated creates do not collide; those that ask for the caller's password get that of
 * the fixture user of `caller`'s role. changeOwnPassword is absent on purpose: a valid body would
 * either fail with 403 (wrong current password) or end the caller's sessions.
 */
export const VALID_BODIES: Record<string, (caller?: Role) => Record<string, unknown>> = {
  login: () => ({ username: 'admin', password: PASSWORDS.admin }),
  createUser: () => ({ username: `u-${randomUUID().slice(0, 8)}`, password: 'password-for-a-test-user', role: 'observer' }),
  updateUser: () => ({ role: 'observer' }),
  createApiToken: (caller = 'admin') => ({ name: 'a token', password: PASSWORDS[caller], expiresInDays: 1 }),
  createProvider: () => ({ name: `p-${randomUUID().slice(0, 8)}`, type: 'dummy', credentials: { apiKey: 'k-test' }, syncIntervalSeconds: 3600 }),
  updateProvider: () => ({ name: `p-${randomUUID().slice(0, 8)}` }),
  createNode: () => ({ providerId: randomUUID(), name: 'web-1', imageId: 'debian-12', sizeId: 'small', locationId: 'lab-1', tags: ['web'] }),
  updateNode: () => ({ name: 'web-2', tags: ['db'] }),
  registerNode: () => ({ name: 'metal-1', registration: { address: '127.0.0.1' }, tags: ['rack-1'] }),
  acceptNodeHostKey: () => ({ fingerprint: `SHA256:${'A'.repeat(43)}` }),
  setNodeBootDevice: () => ({ device: 'pxe' }),
  runCommand: () => ({ nodeIds: [randomUUID()], command: 'uptime', timeoutSeconds: 60, concurrency: 10 }),
  createServerRole: () => ({
    name: `r-${randomUUID().slice(0, 8)}`,
    providerId: randomUUID(),
    locationId: 'lab-1',
    sizeId: 'small',
    imageId: 'debian-12',
    runList: ['role[web]'],
    ssh: { username: 'root', privateKey: 'k'.repeat(64) },
  }),
  updateServerRole: () => ({ runList: ['role[web]'] }),
  createNodesFromServerRole: () => ({ count: 1 }),
  createAgentToken: () => ({ ttlSeconds: 600, description: 'role matrix' }),
  assignNodeRole: () => ({ serverRoleId: randomUUID() }),
  approveAgent: () => ({ nodeId: randomUUID() }),
  installNodeAgent: () => ({ prefix: '/opt/overmind-agent' }),
  createCheck: () => ({ name: 'load', command: '/usr/lib/nagios/plugins/check_load', args: ['-w', '5,4,3', '-c', '10,8,6'], scope: { kind: 'tag', tag: 'web' } }),
  updateCheck: () => ({ intervalSeconds: 120 }),
  createAlertRule: () => ({ name: 'cpu hot', condition: { kind: 'reading', metric: 'cpu.total', op: 'above', threshold: 90 }, durationSeconds: 60, scope: { kind: 'tag', tag: 'web' }, webhook: { url: 'http://127.0.0.1:9/hook', secret: 'a-shared-secret-of-some-length' } }),
  updateAlertRule: () => ({ durationSeconds: 120 }),
  createConstellation: () => ({ name: `c-${randomUUID().slice(0, 8)}`, tiers: [{ name: 'web', serverRole: 'web', count: 2 }] }),
  importConstellation: () => ({ format: 'yaml', document: `name: c-${randomUUID().slice(0, 8)}\ntiers:\n  - { name: web, serverRole: web, count: 1 }\n` }),
  updateConstellationSpec: () => ({ tiers: [{ name: 'web', serverRole: 'web', count: 3 }] }),
  cloneConstellation: () => ({ name: `c-${randomUUID().slice(0, 8)}`, counts: { web: 1 } }),
  destroyConstellation: () => ({ confirm: 'shop' }),
  createBalancer: () => ({ name: 'web front', port: 80, protocol: 'http', algorithm: 'round_robin', nodeIds: [] }),
  attachBalancerMember: () => ({ nodeId: randomUUID() }),
  setBalancerHealthCheck: () => ({ protocol: 'http', path: '/health', intervalSeconds: 5, timeoutSeconds: 2, healthyThreshold: 2, unhealthyThreshold: 2 }),
  enrollAgent: () => ({ token: 'omj_not-a-real-token', publicKey: generateAgentKeyPair().publicKey, hostname: 'web-1', agentVersion: '0.1.0' }),
};

/** A value of the wrong JSON type for a schema. */
export function wrongTypeFor(schema: SchemaNode): unknown {
  // A number is no wrong type for a nullable number.
  if (schema.anyOf?.some((s) => s.type === 'integer' || s.type === 'number')) return 'not-the-right-type';
  return schema.type === 'string' || schema.enum || schema.anyOf ? 12345 : 'not-the-right-type';
}

/** Asserts an RFC 9457 problem body with the request id in both the body and the header. */
export function expectProblem(res: LightMyRequestResponse, status: number): Record<string, any> {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.json();
  expect(body).toMatchObject({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String) });
  expect(body.detail.length).toBeGreaterThan(0);
  expect(body.requestId).toMatch(/^[0-9a-f-]{36}$/);
  expect(res.headers['x-request-id']).toBe(body.requestId);
  return body;
}
