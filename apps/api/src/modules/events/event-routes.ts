import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errors } from '../../lib/schemas.js';
import { createEventStreams } from './event-streams.js';

export const eventRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const streams = createEventStreams({ bus: app.events, limits: app.config.eventStreams, log: app.log });
  // Before the HTTP server closes, which waits for every connection: a stream never ends by itself.
  app.addHook('preClose', async () => streams.close());

  app.get('/events', {
    config: { access: 'observer', queryToken: true },
    schema: {
      tags: ['events'],
      operationId: 'streamEvents',
      summary: 'Server-Sent Events: job and node changes as they happen, from every API and worker process',
      description:
        'Each message has `event:` job, job.log, node, provider, agent, check (a check\'s state changed on a node) or health ' +
        '(a node\'s health changed) and a JSON `data:` line; `event: resync` ' +
        'means events may have been missed (the server lost its database connection for a while): refetch ' +
        'what you show. `job.log` names the lines stored (`count`, `firstLineId`, `lastLineId`): read them ' +
        'with `GET /jobs/{id}/logs?after=`. Browsers, whose EventSource cannot send headers, may pass the ' +
        'token as `?access_token=`. A user may hold a limited number of streams (429 past it); a client ' +
        'that stops reading is disconnected; a stream ends once its token or user no longer allows it.',
      querystring: Type.Object({ access_token: Type.Optional(Type.String({ maxLength: 4096 })) }),
      produces: ['text/event-stream'],
      response: {
        200: { description: 'An endless text/event-stream', content: { 'text/event-stream': { schema: Type.String() } } },
        ...errors(400, 429),
      },
    },
  }, async (request, reply) => {
    streams.open({
      userId: request.actor.id ?? '',
      requestId: String(request.id),
      take: () => {
        // The headers set so far (security headers) go with the stream's own, written on the raw answer.
        for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) reply.raw.setHeader(name, value);
        reply.hijack();
        return reply.raw;
      },
      check: () => app.reauthenticate(request),
    });
  });
};
