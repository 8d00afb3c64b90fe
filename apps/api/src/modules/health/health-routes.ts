import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { VERSION } from '../../version.js';

const Check = Type.Union([Type.Literal('ok'), Type.Literal('failing')]);

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const Health = Type.Object({ status: Check, database: Check, queue: Check, version: Type.String() }, { title: 'Health' });

  app.get('/health', {
    config: { access: 'public' },
    schema: {
      tags: ['health'],
      operationId: 'getHealth',
      summary: 'Liveness and readiness: the database and the job queue answer',
      security: [],
      response: { 200: Health, 503: Health },
    },
  }, async (_request, reply) => {
    const probe = (p: Promise<unknown>) =>
      Promise.race([p, new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref())]).then(
        () => 'ok' as const,
        () => 'failing' as const,
      );
    const [database, queue] = await Promise.all([
      probe(app.db.query('SELECT 1')),
      probe(app.db.query('SELECT 1 FROM pgboss.version')),
    ]);
    const status = database === 'ok' && queue === 'ok' ? 'ok' : 'failing';
    return reply.code(status === 'ok' ? 200 : 503).send({ status, database, queue, version: VERSION });
  });
};
