import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { PageOf, PageQuery } from '../../lib/pagination.js';
import { DateTime, Nullable, errors } from '../../lib/schemas.js';

const AuditEventSchema = Type.Object(
  {
    id: Type.String(),
    at: DateTime,
    actorId: Nullable(Type.String()),
    actorName: Nullable(Type.String()),
    action: Type.String({ description: 'e.g. node.reboot, provider.create, auth.login' }),
    targetType: Nullable(Type.String()),
    targetId: Nullable(Type.String()),
    ip: Nullable(Type.String()),
    requestId: Nullable(Type.String()),
    outcome: Type.String(),
    details: Type.Record(Type.String(), Type.Unknown()),
  },
  { title: 'AuditEvent' },
);

export const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/audit-events', {
    config: { access: 'admin' },
    schema: {
      tags: ['audit'],
      operationId: 'listAuditEvents',
      summary: 'Who did what to what, when and from where (newest first by default)',
      querystring: Type.Object({
        ...PageQuery,
        order: Type.Union([Type.Literal('asc'), Type.Literal('desc')], { default: 'desc' }),
        action: Type.Optional(Type.String({ maxLength: 64 })),
        actor: Type.Optional(Type.String({ maxLength: 64 })),
        targetId: Type.Optional(Type.String({ maxLength: 64 })),
      }),
      response: { 200: PageOf(AuditEventSchema, 'AuditEvent'), ...errors(400) },
    },
  }, async (request) => app.services.audit.list(request.query));
};
