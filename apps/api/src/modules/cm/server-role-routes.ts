import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { PageOf, PageQuery } from '../../lib/pagination.js';
import { BODY_ERRORS, IdParams, Nullable, Uuid, errors } from '../../lib/schemas.js';
import { NodeSchema, nodeView } from '../nodes/node-routes.js';
import { JobSchema, jobView } from '../jobs/job-schemas.js';
import { ApplyQuery, ConfigMode, CreateNodesBody, ServerRoleBody, ServerRolePatch, ServerRoleSchema } from './server-role-schemas.js';

const TAGS = ['configuration'];

export const serverRoleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const roles = app.services.cm.serverRoles;

  app.get('/server-roles', {
    config: { access: 'observer' },
    schema: {
      tags: TAGS,
      operationId: 'listServerRoles',
      querystring: Type.Object(PageQuery),
      response: { 200: PageOf(ServerRoleSchema, 'ServerRole'), ...errors(400) },
    },
  }, async (request) => roles.list(request.query));

  app.post('/server-roles', {
    config: { access: 'operator', idempotent: true },
    schema: {
      tags: TAGS,
      operationId: 'createServerRole',
      summary: 'Create a server role: a machine type of one provider plus a run list, attributes and environment',
      description: 'The image, size and location must be in the provider catalog and every run-list item must resolve in the kitchen (422 naming it).',
      body: ServerRoleBody,
      response: { 201: ServerRoleSchema, ...errors(...BODY_ERRORS, 404, 409, 422) },
    },
  }, async (request, reply) => reply.code(201).send(await roles.create(request.actor, request.body)));

  app.get('/server-roles/:id', {
    config: { access: 'observer' },
    schema: { tags: TAGS, operationId: 'getServerRole', params: IdParams, response: { 200: ServerRoleSchema, ...errors(400, 404) } },
  }, async (request) => roles.get(request.params.id));

  app.patch('/server-roles/:id', {
    config: { access: 'operator' },
    schema: {
      tags: TAGS,
      operationId: 'updateServerRole',
      summary: 'Change a server role (its provider stays); nodes get the change at the next apply',
      params: IdParams,
      body: ServerRolePatch,
      response: { 200: ServerRoleSchema, ...errors(...BODY_ERRORS, 404, 409, 422) },
    },
  }, async (request) => roles.update(request.actor, request.params.id, request.body));

  app.delete('/server-roles/:id', {
    config: { access: 'operator' },
    schema: {
      tags: TAGS,
      operationId: 'deleteServerRole',
      summary: 'Delete a server role; its nodes stay',
      params: IdParams,
      response: { 204: Type.Null({ description: 'Deleted' }), ...errors(400, 404) },
    },
  }, async (request, reply) => {
    await roles.remove(request.actor, request.params.id);
    return reply.code(204).send(null);
  });

  app.post('/server-roles/:id/nodes', {
    config: { access: 'operator', idempotent: true },
    schema: {
      tags: TAGS,
      operationId: 'createNodesFromServerRole',
      summary: 'Create nodes from a server role: each is created (node.create job), then configured (node.configure job)',
      params: IdParams,
      body: CreateNodesBody,
      response: { 202: Type.Object({ jobs: Type.Array(JobSchema, { description: 'The node.create jobs; each targetId is a new node' }) }), ...errors(...BODY_ERRORS, 404, 409, 422) },
    },
  }, async (request, reply) => {
    const jobs = await roles.createNodes(request.actor, request.params.id, request.body);
    return reply.code(202).send({ jobs: jobs.map(jobView) });
  });

  app.post('/server-roles/:id/apply', {
    config: { access: 'operator' },
    schema: {
      tags: TAGS,
      operationId: 'applyServerRole',
      summary: 'Re-apply a server role to every node of it, `concurrency` at a time, in one job',
      params: IdParams,
      querystring: ApplyQuery,
      response: { 202: JobSchema, ...errors(400, 404, 409, 422) },
    },
  }, async (request, reply) => reply.code(202).send(jobView(await roles.apply(request.actor, request.params.id, request.query.concurrency))));

  app.post('/nodes/:id/configure', {
    config: { access: 'operator' },
    schema: {
      tags: ['nodes'],
      operationId: 'configureNode',
      summary: "Re-apply a node's server role to it (node.configure job)",
      params: IdParams,
      response: { 202: JobSchema, ...errors(400, 404, 409, 422) },
    },
  }, async (request, reply) => reply.code(202).send(jobView(await roles.configureNode(request.actor, request.params.id))));

  app.put('/nodes/:id/role', {
    config: { access: 'operator' },
    schema: {
      tags: ['nodes'],
      operationId: 'assignNodeRole',
      summary: "Give any node a server role's configuration (a registered server, a node a sync found), and choose how it is configured",
      description:
        'Replaces the node\'s previous role. `configMode` sets the node\'s own mode (`push` over SSH, `pull` through its agent); null follows the role. ' +
        'Nothing runs yet: POST /nodes/{id}/configure applies it.',
      params: IdParams,
      body: Type.Object({ serverRoleId: Uuid, configMode: Type.Optional(Nullable(ConfigMode)) }, { additionalProperties: false }),
      response: { 200: NodeSchema, ...errors(...BODY_ERRORS, 404, 409) },
    },
  }, async (request) => nodeView(await roles.assign(request.actor, request.params.id, request.body)));

  app.delete('/nodes/:id/role', {
    config: { access: 'operator' },
    schema: {
      tags: ['nodes'],
      operationId: 'unassignNodeRole',
      summary: 'Take a node out of its server role (nothing changes on the node)',
      params: IdParams,
      response: { 200: NodeSchema, ...errors(400, 404, 409) },
    },
  }, async (request) => nodeView(await roles.unassign(request.actor, request.params.id)));
};
