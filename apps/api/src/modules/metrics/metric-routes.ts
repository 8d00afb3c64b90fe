import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { BadRequestError } from '../../lib/errors.js';
import { IdParams, errors } from '../../lib/schemas.js';
import { MAX_POINTS } from './metric-query.js';
import { MetricName, NodeMetricsSchema } from './metric-schemas.js';

/** The longest range one request may ask for: the 1-hour tier's default retention and a little more. */
const MAX_RANGE_DAYS = 400;

export const metricRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const metrics = app.services.metrics;

  app.get('/nodes/:id/metrics', {
    config: { access: 'observer' },
    schema: {
      tags: ['nodes'],
      operationId: 'getNodeMetrics',
      summary: `A node's readings history: each named series between from and to, in at most about ${MAX_POINTS} points`,
      description:
        'Names: `cpu.total`, `cpu.user`, `cpu.system`, `cpu.iowait`, `cpu.steal`, `load.1`, `load.5`, `load.15`, `memory.used_pct`, ' +
        '`swap.used_pct`, `fs.<mount>.used_pct`, `net.<interface>.rx_bps`, `net.<interface>.tx_bps`, and checks\' performance data as ' +
        '`check.<checkId>.<label>` in the plugin\'s unit (GET /nodes/{id}/metrics/series lists a node\'s). ' +
        'The tier is the finest that keeps `from` and answers in at most about 1,000 points per series; the coarsest is averaged into wider buckets when needed.',
      params: IdParams,
      querystring: Type.Object({
        name: Type.Array(MetricName, { minItems: 1, maxItems: 20, description: 'Series names; repeat the parameter for several' }),
        from: Type.Optional(Type.String({ format: 'date-time', maxLength: 40, description: 'Default: one hour before `to`' })),
        to: Type.Optional(Type.String({ format: 'date-time', maxLength: 40, description: 'Default: now' })),
      }),
      response: { 200: NodeMetricsSchema, ...errors(400, 404) },
    },
  }, async (request) => {
    const to = request.query.to ? new Date(request.query.to) : new Date();
    const from = request.query.from ? new Date(request.query.from) : new Date(to.getTime() - 3600_000);
    if (from >= to) throw new BadRequestError('from must be before to');
    if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * 86400_000) throw new BadRequestError(`A range may span at most ${MAX_RANGE_DAYS} days`);
    return metrics.query({ nodeId: request.params.id, names: [...new Set(request.query.name)], from, to });
  });

  app.get('/nodes/:id/metrics/series', {
    config: { access: 'observer' },
    schema: {
      tags: ['nodes'],
      operationId: 'listNodeMetricSeries',
      summary: 'The names of the series a node has history for',
      params: IdParams,
      response: { 200: Type.Object({ names: Type.Array(Type.String()) }, { title: 'NodeMetricSeries' }), ...errors(400, 404) },
    },
  }, async (request) => ({ names: await metrics.seriesNames(request.params.id) }));
};
