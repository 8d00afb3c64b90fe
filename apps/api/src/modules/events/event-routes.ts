import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errors } from '../../lib/schemas.js';

const HEARTBEAT_MS = 15_000;

export const eventRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const open = new Set<() => void>();
  // Before the HTTP server closes, which waits for every connection: a stream never ends by itself.
  app.addHook('preClose', async () => {
    for (const close of open) close();
  });

  app.get('/events', {
    config: { access: 'observer', queryToken: true },
    schema: {
      tags: ['events'],
      operationId: 'streamEvents',
      summary: 'Server-Sent Events: job and node changes as they happen, from every API and worker process',
      description:
        'Each message has `event:` job, job.log, node or provider and a JSON `data:` line; `event: resync` ' +
        'means events may have been missed (the server lost its database connection for a while): refetch ' +
        'what you show. Browsers, whose EventSource cannot send headers, may pass the token as `?access_token=`.',
      querystring: Type.Object({ access_token: Type.Optional(Type.String({ maxLength: 4096 })) }),
      produces: ['text/event-stream'],
      response: {
        200: { description: 'An endless text/event-stream', content: { 'text/event-stream': { schema: Type.String() } } },
        ...errors(400),
      },
    },
  }, async (request, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-request-id': String(request.id),
    });
    res.write(': connected\n\n');
    const unsubscribe = app.events.subscribe((event) => {
      res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    const close = () => {
      clearInterval(heartbeat);
      unsubscribe();
      open.delete(close);
      res.end();
    };
    open.add(close);
    request.raw.on('close', close);
  });
};
