import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { BODY_ERRORS, Uuid, errors } from '../../lib/schemas.js';
import { JobSchema, jobView } from '../jobs/job-schemas.js';

export const MAX_COMMAND_NODES = 500;

export const nodeCommandRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const commands = app.services.commands;

  app.post('/nodes/actions/run', {
    config: { access: 'operator', idempotent: true },
    schema: {
      tags: ['nodes'],
      operationId: 'runCommand',
      summary: 'Run a shell command on registered servers; answers with the job (output and exit codes in its log)',
      description:
        'Every node must be a registered server whose provider can run commands (409 names those that are not). ' +
        'The job result is `{ results: [{ nodeId, exitCode, ok, error? }] }`; the command is never retried.',
      body: Type.Object(
        {
          nodeIds: Type.Array(Uuid, { minItems: 1, maxItems: MAX_COMMAND_NODES }),
          command: Type.String({ minLength: 1, maxLength: 65_536, description: 'Run by the login shell of each SSH user' }),
          timeoutSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400, description: "Per node; the provider's command timeout when absent" })),
          concurrency: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_COMMAND_NODES, description: "Most nodes at once; each provider's own limit applies too" })),
        },
        { additionalProperties: false },
      ),
      response: { 202: JobSchema, ...errors(...BODY_ERRORS, 404, 409) },
    },
  }, async (request, reply) => {
    const job = await commands.run(request.actor, request.body);
    return reply.code(202).header('location', `/api/v1/jobs/${job.id}`).send(jobView(job));
  });
};
