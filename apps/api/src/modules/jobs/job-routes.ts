import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { PageOf, PageQuery } from '../../lib/pagination.js';
import { DateTime, IdParams, Uuid, errors } from '../../lib/schemas.js';
import { JobSchema, JobStateSchema, JobTypeSchema, jobView } from './job-schemas.js';
import { jobsPerHour } from './job-stats.js';

const JobHourSchema = Type.Object(
  {
    at: DateTime,
    started: Type.Integer({ minimum: 0 }),
    succeeded: Type.Integer({ minimum: 0 }),
    failed: Type.Integer({ minimum: 0 }),
    cancelled: Type.Integer({ minimum: 0 }),
  },
  { title: 'JobHour' },
);

const JobLogSchema = Type.Object({ id: Type.String(), at: DateTime, level: Type.String(), line: Type.String() }, { title: 'JobLogLine' });

export const jobRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const jobs = app.services.jobs;

  app.get('/jobs', {
    config: { access: 'observer' },
    schema: {
      tags: ['jobs'],
      operationId: 'listJobs',
      summary: 'Jobs, newest first by default',
      querystring: Type.Object({
        ...PageQuery,
        order: Type.Union([Type.Literal('asc'), Type.Literal('desc')], { default: 'desc' }),
        state: Type.Optional(JobStateSchema),
        type: Type.Optional(JobTypeSchema),
        target: Type.Optional(Uuid),
        providerId: Type.Optional(Uuid),
      }),
      response: { 200: PageOf(JobSchema, 'Job'), ...errors(400) },
    },
  }, async (request) => {
    const page = await jobs.list(request.query);
    return { ...page, items: page.items.map(jobView) };
  });

  app.get('/jobs/stats', {
    config: { access: 'observer' },
    schema: {
      tags: ['jobs'],
      operationId: 'getJobStats',
      summary: 'Jobs started, succeeded, failed and cancelled per hour over the last hours (the dashboard\'s chart)',
      querystring: Type.Object({ hours: Type.Integer({ minimum: 1, maximum: 168, default: 24, description: 'How many hours back, the current one included (at most a week)' }) }),
      response: { 200: Type.Object({ hours: Type.Array(JobHourSchema) }, { title: 'JobStats' }), ...errors(400) },
    },
  }, async (request) => ({ hours: await jobsPerHour(app.db, request.query.hours) }));

  app.get('/jobs/:id', {
    config: { access: 'observer' },
    schema: { tags: ['jobs'], operationId: 'getJob', params: IdParams, response: { 200: JobSchema, ...errors(400, 404) } },
  }, async (request) => jobView(await jobs.get(request.params.id)));

  app.get('/jobs/:id/logs', {
    config: { access: 'observer' },
    schema: {
      tags: ['jobs'],
      operationId: 'getJobLogs',
      summary: 'Log lines of a job, oldest first',
      description:
        'Pass the last id seen as `after` to get only newer lines. `tail=true` gives the newest `limit` lines ' +
        'instead of the oldest (where a reader of a long log starts); with `before` set to the first id seen, ' +
        'it pages back through older lines. `total` is the number of lines the job has.',
      params: IdParams,
      querystring: Type.Object({
        // Line ids are bigints; past 2^53 a JavaScript number could not name one exactly.
        after: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0 }),
        before: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
        limit: Type.Integer({ minimum: 1, maximum: 5000, default: 1000 }),
        tail: Type.Boolean({ default: false }),
      }),
      response: { 200: Type.Object({ items: Type.Array(JobLogSchema), total: Type.Integer({ minimum: 0 }) }), ...errors(400, 404) },
    },
  }, async (request) => jobs.logs(request.params.id, request.query));

  app.post('/jobs/:id/cancel', {
    config: { access: 'operator' },
    schema: {
      tags: ['jobs'],
      operationId: 'cancelJob',
      summary: 'Cancel a job that has not started yet',
      params: IdParams,
      response: { 200: JobSchema, ...errors(400, 404, 409) },
    },
  }, async (request) => jobView(await jobs.cancel(request.actor, request.params.id)));
};
