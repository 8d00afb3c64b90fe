import { createReadStream } from 'node:fs';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { EnrollRequest, EnrollResponse } from '@overmind/agent-protocol';
import { Type } from 'typebox';
import { NotFoundError } from '../../lib/errors.js';
import { PageOf, PageQuery } from '../../lib/pagination.js';
import { JobSchema, jobView } from '../jobs/job-schemas.js';
import { BODY_ERRORS, IdParams, Uuid, errors, publicErrors } from '../../lib/schemas.js';
import { signedAgent } from './agent-request-auth.js';
import { AGENT_FILES, createAgentReleases } from './agent-release.js';
import {
  AgentDetailSchema,
  AgentInstallBody,
  AgentReleaseSchema,
  AgentSchema,
  AgentStatusSchema,
  AgentTokenSchema,
  AgentTokenStateSchema,
  CreateAgentTokenBody,
  CreatedAgentTokenSchema,
  agentTokenView,
  agentView,
} from './agent-schemas.js';

const tags = ['agents'];

export const agentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { agents, agentTokens, agentInstalls, runs, cm } = app.services;
  const releases = createAgentReleases(app.config.agents.distDir);
  const publicUrl = app.config.publicUrl;

  app.post('/agent-tokens', {
    config: { access: 'operator' },
    schema: {
      tags,
      operationId: 'createAgentToken',
      summary: 'Create a one-time join token for an agent (shown once)',
      description: 'Bound to a node (`nodeId`), the agent that enrols with it becomes that node\'s agent at once; unbound, the agent waits in the approval list (GET /agents?status=pending).',
      body: CreateAgentTokenBody,
      response: { 201: CreatedAgentTokenSchema, ...errors(...BODY_ERRORS, 404, 409, 422) },
    },
  }, async (request, reply) => {
    const { row, token } = await agentTokens.create(request.actor, request.body);
    return reply.code(201).send({ ...agentTokenView(row), token });
  });

  app.get('/agent-tokens', {
    config: { access: 'operator' },
    schema: {
      tags,
      operationId: 'listAgentTokens',
      querystring: Type.Object({ ...PageQuery, nodeId: Type.Optional(Uuid), state: Type.Optional(AgentTokenStateSchema) }),
      response: { 200: PageOf(AgentTokenSchema, 'AgentToken'), ...errors(400) },
    },
  }, async (request) => {
    const page = await agentTokens.list(request.query);
    return { ...page, items: page.items.map(agentTokenView) };
  });

  app.delete('/agent-tokens/:id', {
    config: { access: 'operator' },
    schema: { tags, operationId: 'revokeAgentToken', summary: 'Revoke a join token that has not been used', params: IdParams, response: { 200: AgentTokenSchema, ...errors(400, 404, 409) } },
  }, async (request) => agentTokenView(await agentTokens.revoke(request.actor, request.params.id)));

  app.post('/agent/enroll', {
    config: { access: 'public' },
    schema: {
      tags,
      operationId: 'enrollAgent',
      summary: 'Enrol an agent: a join token and its new public key give it an identity (used by `overmind-agent enroll`)',
      security: [],
      body: EnrollRequest,
      response: { 201: EnrollResponse, ...publicErrors(...BODY_ERRORS, 401, 409, 422) },
    },
  }, async (request, reply) => reply.code(201).send(await agents.enroll(request.body, request.ip)));

  app.get('/agents', {
    config: { access: 'observer' },
    schema: {
      tags,
      operationId: 'listAgents',
      querystring: Type.Object({ ...PageQuery, status: Type.Optional(AgentStatusSchema), nodeId: Type.Optional(Uuid), connected: Type.Optional(Type.Boolean()) }),
      response: { 200: PageOf(AgentSchema, 'Agent'), ...errors(400) },
    },
  }, async (request) => {
    const page = await agents.list(request.query);
    return { ...page, items: page.items.map(agentView) };
  });

  app.get('/agents/:id', {
    config: { access: 'observer' },
    schema: { tags, operationId: 'getAgent', params: IdParams, response: { 200: AgentDetailSchema, ...errors(400, 404) } },
  }, async (request) => agentView(await agents.get(request.params.id)));

  app.post('/agents/:id/approve', {
    config: { access: 'operator' },
    schema: {
      tags,
      operationId: 'approveAgent',
      summary: "Approve a pending agent as a node's agent (any other agent of that node is revoked)",
      params: IdParams,
      body: Type.Object({ nodeId: Uuid }, { additionalProperties: false }),
      response: { 200: AgentSchema, ...errors(...BODY_ERRORS, 404, 409) },
    },
  }, async (request) => agentView(await agents.approve(request.actor, request.params.id, request.body.nodeId)));

  app.post('/agents/:id/reject', {
    config: { access: 'operator' },
    schema: { tags, operationId: 'rejectAgent', summary: 'Reject a pending agent', params: IdParams, response: { 200: AgentSchema, ...errors(400, 404, 409) } },
  }, async (request) => agentView(await agents.reject(request.actor, request.params.id)));

  app.post('/agents/:id/revoke', {
    config: { access: 'operator' },
    schema: {
      tags,
      operationId: 'revokeAgent',
      summary: 'Revoke an agent: its connection is closed at once and it is refused from then on',
      params: IdParams,
      response: { 200: AgentSchema, ...errors(400, 404) },
    },
  }, async (request) => agentView(await agents.revoke(request.actor, request.params.id)));

  app.post('/nodes/:id/agent/install', {
    config: { access: 'operator' },
    schema: {
      tags,
      operationId: 'installNodeAgent',
      summary: "Install (or upgrade) a node's agent over the SSH access Overmind has to it",
      description:
        "Answers with the `node.agent-install` job. Over a registered server's own login (through sudo when it is not root), or a " +
        "server role node's role key: the agent and install.sh are uploaded, a join token bound to the node is minted for this install " +
        '(valid 15 minutes, written to a 0600 file, never on a command line), install.sh runs, and the job succeeds once the new agent is ' +
        'connected. A node with an agent already is upgraded in place and keeps its identity. 409 when Overmind has no SSH access to the node. ' +
        '`prefix` puts every path of the agent under that root and installs it as the login user (no sudo, no systemd): for logins that may not become root.',
      params: IdParams,
      body: AgentInstallBody,
      response: { 202: JobSchema, ...errors(...BODY_ERRORS, 404, 409) },
    },
  }, async (request, reply) => {
    const job = await agentInstalls.request(request.actor, request.params.id, request.body);
    return reply.code(202).header('location', `/api/v1/jobs/${job.id}`).send(jobView(job));
  });

  app.get('/agent/release', {
    config: { access: 'public' },
    schema: { tags, operationId: 'getAgentRelease', summary: 'The agent this server hands out: version, SHA-256, and where to get it', security: [], response: { 200: AgentReleaseSchema, ...publicErrors(503) } },
  }, async () => ({
    ...(await releases.release()),
    downloadUrl: `${publicUrl}/api/v1/agent/download`,
    installScriptUrl: `${publicUrl}/api/v1/agent/install.sh`,
    serviceUnitUrl: `${publicUrl}/api/v1/agent/overmind-agent.service`,
    serverUrl: publicUrl,
  }));

  const file = (url: string, operationId: string, summary: string, name: (typeof AGENT_FILES)[keyof typeof AGENT_FILES], type: string) =>
    app.get(url, {
      config: { access: 'public' },
      schema: { tags, operationId, summary, security: [], response: { 200: Type.Unsafe({ type: 'string', format: 'binary' }), ...publicErrors(503) } },
    }, async (_request, reply) => {
      const stream = await releases.open(name);
      if (name === AGENT_FILES.bundle) reply.header('x-checksum-sha256', (await releases.release()).sha256);
      return reply.type(type).send(stream);
    });
  file('/agent/download', 'downloadAgent', 'The agent: one self-contained file for Node 20 or newer (its SHA-256 in GET /agent/release)', AGENT_FILES.bundle, 'text/javascript; charset=utf-8');
  file('/agent/install.sh', 'getAgentInstallScript', 'The agent install script (POSIX sh)', AGENT_FILES.installScript, 'text/x-shellscript; charset=utf-8');
  file('/agent/overmind-agent.service', 'getAgentServiceUnit', 'The agent systemd unit', AGENT_FILES.serviceUnit, 'text/plain; charset=utf-8');

  app.get('/agent/kitchens/:sha256', {
    config: { access: 'public' },
    schema: {
      tags,
      operationId: 'downloadAgentKitchen',
      summary: 'A kitchen archive by its SHA-256, for an agent with a converge run (a request signed with its key)',
      security: [],
      params: Type.Object({ sha256: Type.String({ pattern: '^[0-9a-f]{64}$', maxLength: 64 }) }),
      response: { 200: Type.Unsafe({ type: 'string', format: 'binary' }), ...publicErrors(400, 401, 404) },
    },
  }, async (request, reply) => {
    const agent = await signedAgent(app.db, request);
    const path = (await runs.convergeOpen(agent.nodeId)) ? await cm.archives.path(request.params.sha256) : null;
    if (!path) throw new NotFoundError('Kitchen archive', request.params.sha256);
    return reply.type('application/gzip').send(createReadStream(path));
  });
};
