import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errors } from '../../lib/schemas.js';
import { createNodeExposition } from './node-exposition.js';

export const prometheusRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // A reading this old means the agent is gone: its figures leave the exposition (Prometheus then
  // marks the series stale) rather than repeating the last ones.
  const maxAgeSeconds = Math.max(300, 4 * app.config.metrics.readingsIntervalSeconds);
  const exposition = createNodeExposition({ db: app.db, maxAgeSeconds });

  app.get('/metrics/nodes', {
    config: { access: 'observer' },
    schema: {
      tags: ['nodes'],
      operationId: 'exportNodeMetrics',
      summary: "The live nodes' latest readings and health in Prometheus' text format, for a Prometheus to scrape",
      description:
        'One series per node and reading, labelled `node_id`, `node_name` and `provider` (the provider\'s name): ' +
        '`overmind_node_cpu_used_percent`, `overmind_node_memory_used_percent`, `overmind_node_disk_used_percent` (also `mount`), ' +
        '`overmind_node_load1`, `overmind_node_load5`, `overmind_node_load15`, `overmind_node_reading_timestamp_seconds`, ' +
        `for readings younger than ${maxAgeSeconds} s; and \`overmind_node_health\` (also \`health\`: ok, warning, critical, unknown, stale) ` +
        'with the value 1 for nodes that have one. Gzipped for a client that accepts it. See docs/monitoring.md for a scrape configuration.',
      response: {
        200: { description: 'Prometheus text exposition format 0.0.4', content: { 'text/plain': { schema: Type.Unsafe<string | Buffer>({ type: 'string' }) } } },
        ...errors(),
      },
    },
  }, async (request, reply) => {
    const gzip = /\bgzip\b/.test(request.headers['accept-encoding'] ?? '');
    const { contentType, body, gzipped } = await exposition.text({ gzip });
    if (gzipped) reply.header('content-encoding', 'gzip');
    return reply.type(contentType).header('vary', 'accept-encoding').send(body);
  });
};
