import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../src/db/entities/index.js';
import { VALID_BODIES, expectProblem, listOperations, samplePath, type Operation } from './support/api-routes.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/** `agent`: authenticated by an agent's own credential (a join token, or a request signed with its key), never a user's. */
type Access = 'public' | 'agent' | Role;

/**
 * The intended access of every route, written down independently of the code: a change of a route's
 * access, a new route or a removed one must show up here.
 */
const EXPECTED: Record<string, Access> = {
  getHealth: 'public',
  login: 'public',
  getCurrentUser: 'observer',
  changeOwnPassword: 'observer',
  listUsers: 'admin',
  createUser: 'admin',
  getUser: 'admin',
  updateUser: 'admin',
  deleteUser: 'admin',
  listApiTokens: 'observer',
  createApiToken: 'observer',
  revokeApiToken: 'observer',
  listProviderTypes: 'observer',
  listProviders: 'observer',
  createProvider: 'operator',
  getProvider: 'observer',
  updateProvider: 'operator',
  deleteProvider: 'operator',
  refreshProviderCatalog: 'operator',
  syncProvider: 'operator',
  listProviderImages: 'observer',
  listProviderSizes: 'observer',
  listProviderLocations: 'observer',
  listProviderNetworks: 'observer',
  addImageFavourite: 'operator',
  removeImageFavourite: 'operator',
  listNodes: 'observer',
  summarizeNodes: 'observer',
  createNode: 'operator',
  getNode: 'observer',
  getNodeMetrics: 'observer',
  listNodeMetricSeries: 'observer',
  exportNodeMetrics: 'observer',
  updateNode: 'operator',
  destroyNode: 'operator',
  rebootNode: 'operator',
  startNode: 'operator',
  stopNode: 'operator',
  registerNode: 'operator',
  refreshNodeFacts: 'operator',
  readNodeSensors: 'operator',
  setNodeBootDevice: 'operator',
  acceptNodeHostKey: 'operator',
  runCommand: 'operator',
  listCommandHistory: 'observer',
  configureNode: 'operator',
  assignNodeRole: 'operator',
  unassignNodeRole: 'operator',
  getKitchen: 'observer',
  uploadKitchen: 'operator',
  listServerRoles: 'observer',
  createServerRole: 'operator',
  getServerRole: 'observer',
  updateServerRole: 'operator',
  deleteServerRole: 'operator',
  createNodesFromServerRole: 'operator',
  applyServerRole: 'operator',
  listJobs: 'observer',
  getJob: 'observer',
  getJobStats: 'observer',
  getJobLogs: 'observer',
  cancelJob: 'operator',
  streamEvents: 'observer',
  listAuditEvents: 'admin',
  getAnsibleInventory: 'observer',
  createAgentToken: 'operator',
  listAgentTokens: 'operator',
  revokeAgentToken: 'operator',
  enrollAgent: 'agent',
  listAgents: 'observer',
  getAgent: 'observer',
  approveAgent: 'operator',
  rejectAgent: 'operator',
  revokeAgent: 'operator',
  installNodeAgent: 'operator',
  getAgentRelease: 'public',
  downloadAgent: 'public',
  getAgentInstallScript: 'public',
  getAgentServiceUnit: 'public',
  downloadAgentKitchen: 'agent',
  listChecks: 'observer',
  createCheck: 'operator',
  getCheck: 'observer',
  updateCheck: 'operator',
  deleteCheck: 'operator',
  getNodeChecks: 'observer',
  listNodeCheckHistory: 'observer',
  listAlertRules: 'observer',
  createAlertRule: 'operator',
  getAlertRule: 'observer',
  updateAlertRule: 'operator',
  deleteAlertRule: 'operator',
  listAlerts: 'observer',
  getAlert: 'observer',
  acknowledgeAlert: 'operator',
  listConstellations: 'observer',
  createConstellation: 'operator',
  importConstellation: 'operator',
  getConstellation: 'observer',
  updateConstellationSpec: 'operator',
  planConstellation: 'observer',
  applyConstellation: 'operator',
  cloneConstellation: 'operator',
  exportConstellation: 'observer',
  destroyConstellation: 'operator',
  getConstellationGuarantee: 'observer',
  resetConstellationGuarantee: 'operator',
  listBalancers: 'observer',
  listConstellationBalancers: 'observer',
  createBalancer: 'operator',
  getBalancer: 'observer',
  destroyBalancer: 'operator',
  attachBalancerMember: 'operator',
  setBalancerHealthCheck: 'operator',
  detachBalancerMember: 'operator',
};

const RANK: Record<Access, number> = { public: -1, agent: -1, observer: 0, operator: 1, admin: 2 };
const CALLERS = ['admin', 'operator', 'observer', null] as const;

interface Answer {
  status: number;
  contentType: string;
  body: string;
  requestIdHeader: string | undefined;
}

let t: TestApp;
let ops: Map<string, Operation>;
let baseUrl: string;

beforeAll(async () => {
  // No worker: providers created by allowed calls need not be synced for this test.
  t = await createTestApp({ worker: false });
  ops = new Map(listOperations(t.app).map((op) => [op.operationId, op]));
  // The event stream never ends, so it is called over real HTTP and aborted once headers arrive.
  baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => t?.close());

async function streamOnce(url: string, token: string | null): Promise<Answer> {
  const controller = new AbortController();
  const res = await fetch(url, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
    signal: AbortSignal.any([controller.signal, AbortSignal.timeout(5000)]),
  });
  const answer = {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    requestIdHeader: res.headers.get('x-request-id') ?? undefined,
    body: res.status === 200 ? '' : await res.text(),
  };
  controller.abort();
  return answer;
}

async function call(op: Operation, caller: Role | null): Promise<Answer> {
  const url = samplePath(op);
  if (op.operationId === 'streamEvents') return streamOnce(baseUrl + url, caller && t.tokens[caller]);
  const body = op.body ? (VALID_BODIES[op.operationId]?.(caller ?? undefined) ?? {}) : undefined;
  const res = await t.request(caller, { method: op.method as 'GET', url, ...(body ? { payload: body } : {}) });
  return { status: res.statusCode, contentType: String(res.headers['content-type'] ?? ''), body: res.body, requestIdHeader: res.headers['x-request-id'] as string };
}

describe('role matrix', () => {
  it('the expected table lists exactly the operations of the OpenAPI document', () => {
    expect([...ops.keys()].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it('the OpenAPI document marks exactly the public operations as needing no token', () => {
    for (const [id, access] of Object.entries(EXPECTED)) {
      expect(ops.get(id)?.security, id).toEqual(access === 'public' || access === 'agent' ? [] : undefined);
    }
  });

  // login and createApiToken check a password: a real scrypt hash, slow on a busy machine.
  describe.each(Object.entries(EXPECTED))('%s (least role: %s)', (operationId, access) => {
    it.each(CALLERS)('as %s', { timeout: 120_000 }, async (caller) => {
      const op = ops.get(operationId);
      expect(op, `${operationId} is missing from the OpenAPI document`).toBeDefined();
      const answer = await call(op!, caller);
      const what = `${op!.method} ${op!.path} as ${caller ?? 'anonymous'}: ${answer.status} ${answer.body}`;

      if (access === 'agent') {
        // A user's token is no agent credential: whoever calls without one gets 401.
        expect(answer.status, what).toBe(401);
        expect(JSON.parse(answer.body).detail).toMatch(/join token|Sign the request/);
        return;
      }
      if (access === 'public' || (caller && RANK[caller] >= RANK[access])) {
        expect([401, 403], what).not.toContain(answer.status);
        expect(answer.status, what).toBeLessThan(500);
        if (operationId === 'streamEvents') expect(answer.contentType).toMatch(/^text\/event-stream/);
        return;
      }
      const expected = caller ? 403 : 401;
      expect(answer.status, what).toBe(expected);
      expect(answer.contentType).toMatch(/^application\/problem\+json/);
      const problem = JSON.parse(answer.body);
      expect(problem).toMatchObject({ status: expected, requestId: answer.requestIdHeader });
      if (caller) expect(problem.detail).toBe(`Your role (${caller}) cannot do this; it needs ${access}`);
    });
  });

  it('HEAD follows the access of its GET route', async () => {
    const head = (role: Role | null) => t.request(role, { method: 'HEAD', url: '/api/v1/audit-events' });
    expect((await head(null)).statusCode).toBe(401);
    expect((await head('operator')).statusCode).toBe(403);
    expect((await head('admin')).statusCode).toBe(200);
  });

  it('refuses a malformed or forged token with 401', async () => {
    const url = '/api/v1/auth/me';
    for (const authorization of ['Basic YWRtaW46YWRtaW4=', 'Bearer', 'Bearer not.a.jwt', `Bearer ${t.tokens.admin}x`, 'Bearer om_unknown']) {
      expectProblem(await t.app.inject({ method: 'GET', url, headers: { authorization } }), 401);
    }
  });
});
