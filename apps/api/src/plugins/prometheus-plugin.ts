import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createProcessMetrics, type ProcessMetrics } from '../modules/prometheus/process-metrics.js';
import { createQueueFigures } from '../modules/prometheus/queue-figures.js';

declare module 'fastify' {
  interface FastifyInstance {
    prometheus: ProcessMetrics;
  }
}

/**
 * `GET /metrics`: this process's figures in Prometheus' text format, for an observer's credentials
 * (an API token, in Prometheus' `authorization` setting). Registered before the routes, so that its
 * hook counts every request by the route's pattern.
 */
export const prometheusPlugin = fp(
  async (app: FastifyInstance) => {
    const metrics = createProcessMetrics({ queue: createQueueFigures({ db: app.db }) });
    app.decorate('prometheus', metrics);

    app.addHook('onResponse', (request, reply, done) => {
      metrics.observeRequest(request.method, request.routeOptions.url ?? null, reply.statusCode, reply.elapsedTime / 1000);
      done();
    });

    app.get('/metrics', { config: { access: 'observer' }, schema: { hide: true } }, async (_request, reply) => {
      const { contentType, body } = await metrics.text();
      return reply.type(contentType).send(body);
    });
  },
  { name: 'prometheus', fastify: '5.x', dependencies: ['db', 'auth'] },
);
