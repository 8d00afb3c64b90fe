import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { PageOf, PageQuery } from '../../lib/pagination.js';
import { BODY_ERRORS, IdParams, Uuid, errors } from '../../lib/schemas.js';
import { CheckBody, CheckPatch, CheckSchema, CheckStateChangeSchema, NodeChecksSchema } from './check-schemas.js';

const TAGS = ['checks'];

export const checkRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const checks = app.services.checks;
  const results = app.services.checkResults;

  app.get('/checks', {
    config: { access: 'observer' },
    schema: {
      tags: TAGS,
      operationId: 'listChecks',
      summary: 'Check definitions, by name',
      querystring: Type.Object(PageQuery),
      response: { 200: PageOf(CheckSchema, 'Check'), ...errors(400) },
    },
  }, async (request) => checks.list(request.query));

  app.post('/checks', {
    config: { access: 'operator', idempotent: true },
    schema: {
      tags: TAGS,
      operationId: 'createCheck',
      summary: 'Define a Nagios-compatible check run by the agents of the nodes in its scope',
      description:
        'The agents run `command` with `args` every `intervalSeconds` and report the plugin result (exit code 0 OK, 1 WARNING, ' +
        '2 CRITICAL, 3 UNKNOWN; status text, long output, performance data). Any Monitoring Plugins plugin or script works. ' +
        'The scope names a server role, a tag or a node; agents get the change at once.',
      body: CheckBody,
      response: { 201: CheckSchema, ...errors(...BODY_ERRORS, 404, 409, 422) },
    },
  }, async (request, reply) => reply.code(201).send(await checks.create(request.actor, request.body)));

  app.get('/checks/:id', {
    config: { access: 'observer' },
    schema: { tags: TAGS, operationId: 'getCheck', params: IdParams, response: { 200: CheckSchema, ...errors(400, 404) } },
  }, async (request) => checks.get(request.params.id));

  app.patch('/checks/:id', {
    config: { access: 'operator' },
    schema: {
      tags: TAGS,
      operationId: 'updateCheck',
      summary: 'Change a check; the agents get the change at once',
      params: IdParams,
      body: CheckPatch,
      response: { 200: CheckSchema, ...errors(...BODY_ERRORS, 404, 409, 422) },
    },
  }, async (request) => checks.update(request.actor, request.params.id, request.body));

  app.delete('/checks/:id', {
    config: { access: 'operator' },
    schema: {
      tags: TAGS,
      operationId: 'deleteCheck',
      summary: 'Delete a check: agents stop running it, its results leave the nodes\' health (their state history stays)',
      params: IdParams,
      response: { 204: Type.Null({ description: 'Deleted' }), ...errors(400, 404) },
    },
  }, async (request, reply) => {
    await checks.remove(request.actor, request.params.id);
    return reply.code(204).send(null);
  });

  app.get('/nodes/:id/checks', {
    config: { access: 'observer' },
    schema: {
      tags: ['nodes', ...TAGS],
      operationId: 'getNodeChecks',
      summary: "The checks that apply to a node, each with its latest result, and the node's health",
      params: IdParams,
      response: { 200: NodeChecksSchema, ...errors(400, 404) },
    },
  }, async (request) => results.forNode(request.params.id));

  app.get('/nodes/:id/check-history', {
    config: { access: 'observer' },
    schema: {
      tags: ['nodes', ...TAGS],
      operationId: 'listNodeCheckHistory',
      summary: "A node's check state changes, newest first (the first result of a check counts as one)",
      params: IdParams,
      querystring: Type.Object({
        page: PageQuery.page,
        limit: PageQuery.limit,
        checkId: Type.Optional(Uuid),
      }),
      response: { 200: PageOf(CheckStateChangeSchema, 'CheckStateChange'), ...errors(400, 404) },
    },
  }, async (request) => results.history(request.params.id, request.query));
};
