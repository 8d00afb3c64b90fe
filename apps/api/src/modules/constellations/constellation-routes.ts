import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { PageOf, PageQuery } from '../../lib/pagination.js';
import { BODY_ERRORS, IdParams, errors } from '../../lib/schemas.js';
import { JobSchema, jobView } from '../jobs/job-schemas.js';
import {
  CloneBody, ConstellationDocument, ConstellationSchema, ConstellationSpecSchema, ConstellationSummarySchema, DestroyBody, ExportQuery, ExportSchema, GuaranteeSchema, ImportBody, PlanSchema, TierParams, VersionQuery,
} from './constellation-schemas.js';

const TAGS = ['constellations'];

export const constellationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const constellations = app.services.constellations;
  const guarantee = app.services.guarantee;

  app.get('/constellations', {
    config: { access: 'observer' },
    schema: { tags: TAGS, operationId: 'listConstellations', querystring: Type.Object(PageQuery), response: { 200: PageOf(ConstellationSummarySchema, 'ConstellationSummary'), ...errors(400) } },
  }, async (request) => constellations.list(request.query));

  app.post('/constellations', {
    config: { access: 'operator', idempotent: true },
    schema: {
      tags: TAGS,
      operationId: 'createConstellation',
      summary: 'Create a constellation: tiers of server roles (or machine types) with counts and dependencies; nothing is created until apply',
      description: 'Version 1 of its spec. A dependency cycle, an unknown server role or a machine type not in its provider\'s catalog is a 422 naming the field.',
      body: ConstellationDocument,
      response: { 201: ConstellationSchema, ...errors(...BODY_ERRORS, 404, 409, 422) },
    },
  }, async (request, reply) => reply.code(201).send(await constellations.create(request.actor, request.body)));

  app.post('/constellations/import', {
    config: { access: 'operator', idempotent: true },
    schema: {
      tags: TAGS,
      operationId: 'importConstellation',
      summary: 'Create a constellation from an exported YAML or JSON document',
      description: 'Problems are a 422 whose errors name each field with its line and column in the document.',
      body: ImportBody,
      response: { 201: ConstellationSchema, ...errors(...BODY_ERRORS, 404, 409, 422) },
    },
  }, async (request, reply) => reply.code(201).send(await constellations.importDocument(request.actor, request.body)));

  app.get('/constellations/:id', {
    config: { access: 'observer' },
    schema: { tags: TAGS, operationId: 'getConstellation', params: IdParams, response: { 200: ConstellationSchema, ...errors(400, 404) } },
  }, async (request) => constellations.get(request.params.id));

  app.put('/constellations/:id/spec', {
    config: { access: 'operator' },
    schema: {
      tags: TAGS,
      operationId: 'updateConstellationSpec',
      summary: 'Store a new version of the spec (scale, move, change tiers); members change at the next apply',
      params: IdParams,
      body: ConstellationSpecSchema,
      response: { 200: ConstellationSchema, ...errors(...BODY_ERRORS, 404, 409, 422) },
    },
  }, async (request) => constellations.update(request.actor, request.params.id, request.body));

  app.post('/constellations/:id/plan', {
    config: { access: 'observer' },
    schema: {
      tags: TAGS,
      operationId: 'planConstellation',
      summary: 'What apply would do to bring the members to a spec version (create, configure, replace, destroy); changes nothing',
      params: IdParams,
      querystring: VersionQuery,
      response: { 200: PlanSchema, ...errors(400, 404, 409, 422) },
    },
  }, async (request) => constellations.plan(request.params.id, request.query.version));

  app.post('/constellations/:id/apply', {
    config: { access: 'operator' },
    schema: {
      tags: TAGS,
      operationId: 'applyConstellation',
      summary: 'Carry out the plan: one parent job whose member jobs run in dependency order',
      description: 'A failed step skips the steps of the tiers that depend on it; the parent job fails naming them.',
      params: IdParams,
      querystring: VersionQuery,
      response: { 202: JobSchema, ...errors(400, 404, 409, 422) },
    },
  }, async (request, reply) => reply.code(202).send(jobView(await constellations.apply(request.actor, request.params.id, request.query.version))));

  app.post('/constellations/:id/clone', {
    config: { access: 'operator', idempotent: true },
    schema: {
      tags: TAGS,
      operationId: 'cloneConstellation',
      summary: "A new constellation from this one's latest spec, with another name and optionally another machine type (provider, region...) or counts",
      params: IdParams,
      body: CloneBody,
      response: { 201: ConstellationSchema, ...errors(...BODY_ERRORS, 404, 409, 422) },
    },
  }, async (request, reply) => reply.code(201).send(await constellations.clone(request.actor, request.params.id, request.body)));

  app.get('/constellations/:id/export', {
    config: { access: 'observer' },
    schema: { tags: TAGS, operationId: 'exportConstellation', params: IdParams, querystring: ExportQuery, response: { 200: ExportSchema, ...errors(400, 404) } },
  }, async (request) => constellations.exportDocument(request.params.id, request.query.format, request.query.version));

  app.post('/constellations/:id/destroy', {
    config: { access: 'operator' },
    schema: {
      tags: TAGS,
      operationId: 'destroyConstellation',
      summary: 'Destroy every member, then the constellation (confirm with its name)',
      params: IdParams,
      body: DestroyBody,
      response: { 202: JobSchema, ...errors(...BODY_ERRORS, 404, 409, 422) },
    },
  }, async (request, reply) => reply.code(202).send(jobView(await constellations.destroy(request.actor, request.params.id, request.body.confirm))));

  app.get('/constellations/:id/guarantee', {
    config: { access: 'observer' },
    schema: {
      tags: TAGS,
      operationId: 'getConstellationGuarantee',
      summary: "The service guarantee of each tier with a health policy: members' health, steps in flight and lately, the circuit breaker",
      params: IdParams,
      response: { 200: GuaranteeSchema, ...errors(400, 404) },
    },
  }, async (request) => guarantee.get(request.params.id));

  app.post('/constellations/:id/guarantee/:tier/reset', {
    config: { access: 'operator' },
    schema: {
      tags: TAGS,
      operationId: 'resetConstellationGuarantee',
      summary: "Reset a tier's tripped circuit breaker: remediation resumes from the first step, and its alert is resolved",
      description: '409 when the breaker is not tripped.',
      params: TierParams,
      response: { 200: GuaranteeSchema, ...errors(400, 404, 409) },
    },
  }, async (request) => {
    await guarantee.reset(request.actor, request.params.id, request.params.tier);
    return guarantee.get(request.params.id);
  });
};
