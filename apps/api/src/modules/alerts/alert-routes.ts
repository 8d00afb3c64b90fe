import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { PageOf, PageQuery } from '../../lib/pagination.js';
import { BODY_ERRORS, IdParams, Uuid, errors } from '../../lib/schemas.js';
import { ALERT_STATES, AlertRuleBody, AlertRulePatch, AlertRuleSchema, AlertSchema } from './alert-schemas.js';

const TAGS = ['alerts'];

export const alertRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const rules = app.services.alertRules;
  const alerts = app.services.alerts;

  app.get('/alert-rules', {
    config: { access: 'observer' },
    schema: {
      tags: TAGS,
      operationId: 'listAlertRules',
      summary: 'Alert rules, by name',
      querystring: Type.Object({ page: PageQuery.page, limit: PageQuery.limit }),
      response: { 200: PageOf(AlertRuleSchema, 'AlertRule'), ...errors(400) },
    },
  }, async (request) => rules.list(request.query));

  app.post('/alert-rules', {
    config: { access: 'operator', idempotent: true },
    schema: {
      tags: TAGS,
      operationId: 'createAlertRule',
      summary: 'Define an alert: a check state or a reading over or under a threshold, held for a duration, on the nodes of a scope',
      description:
        'Firing and resolving each send one notification per channel: a JSON POST to `webhook.url` signed with HMAC-SHA256 of the body ' +
        'under `webhook.secret` (header `X-Overmind-Signature: sha256=<hex>`), retried with exponential backoff, and e-mail to `emails` ' +
        'when the server has SMTP. The secret is write-only.',
      body: AlertRuleBody,
      response: { 201: AlertRuleSchema, ...errors(...BODY_ERRORS, 404, 409, 422) },
    },
  }, async (request, reply) => reply.code(201).send(await rules.create(request.actor, request.body)));

  app.get('/alert-rules/:id', {
    config: { access: 'observer' },
    schema: { tags: TAGS, operationId: 'getAlertRule', params: IdParams, response: { 200: AlertRuleSchema, ...errors(400, 404) } },
  }, async (request) => rules.get(request.params.id));

  app.patch('/alert-rules/:id', {
    config: { access: 'operator' },
    schema: {
      tags: TAGS,
      operationId: 'updateAlertRule',
      summary: 'Change an alert rule (a new webhook url needs its secret again)',
      params: IdParams,
      body: AlertRulePatch,
      response: { 200: AlertRuleSchema, ...errors(...BODY_ERRORS, 404, 409, 422) },
    },
  }, async (request) => rules.update(request.actor, request.params.id, request.body));

  app.delete('/alert-rules/:id', {
    config: { access: 'operator' },
    schema: {
      tags: TAGS,
      operationId: 'deleteAlertRule',
      summary: 'Delete an alert rule: its firing alerts resolve (and notify); its alerts stay listed',
      params: IdParams,
      response: { 204: Type.Null({ description: 'Deleted' }), ...errors(400, 404) },
    },
  }, async (request, reply) => {
    await rules.remove(request.actor, request.params.id);
    return reply.code(204).send(null);
  });

  app.get('/alerts', {
    config: { access: 'observer' },
    schema: {
      tags: TAGS,
      operationId: 'listAlerts',
      summary: 'Alerts, firing first, newest first',
      querystring: Type.Object({
        page: PageQuery.page,
        limit: PageQuery.limit,
        state: Type.Optional(Type.Enum(ALERT_STATES)),
        nodeId: Type.Optional(Uuid),
        ruleId: Type.Optional(Uuid),
      }),
      response: { 200: PageOf(AlertSchema, 'Alert'), ...errors(400) },
    },
  }, async (request) => alerts.list(request.query));

  app.get('/alerts/:id', {
    config: { access: 'observer' },
    schema: { tags: TAGS, operationId: 'getAlert', params: IdParams, response: { 200: AlertSchema, ...errors(400, 404) } },
  }, async (request) => alerts.get(request.params.id));

  app.post('/alerts/:id/acknowledge', {
    config: { access: 'operator' },
    schema: {
      tags: TAGS,
      operationId: 'acknowledgeAlert',
      summary: 'Say someone is on it (once; audited)',
      params: IdParams,
      response: { 200: AlertSchema, ...errors(400, 404, 409) },
    },
  }, async (request) => alerts.acknowledge(request.actor, request.params.id));
};
