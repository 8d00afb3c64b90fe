import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { PageOf, PageQuery } from '../../lib/pagination.js';
import { BODY_ERRORS, DateTime, Nullable, Uuid, errors } from '../../lib/schemas.js';
import { JobStateSchema } from '../jobs/job-schemas.js';
import { MIN_MASKED_LENGTH } from '@overmind/cm';
import { JobSchema, jobView } from '../jobs/job-schemas.js';

export const MAX_COMMAND_NODES = 500;
/** Bounds that keep a job's sealed variables small: 32 variables of at most 16 KiB each. */
export const MAX_ENV_VARIABLES = 32;
export const MAX_ENV_VALUE_LENGTH = 16_384;

const CommandEnv = Type.Record(
  Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$', maxLength: 128 }),
  // A process environment cannot hold NUL.
  Type.String({ maxLength: MAX_ENV_VALUE_LENGTH, pattern: '^[^\\u0000]*$' }),
  {
    additionalProperties: false,
    maxProperties: MAX_ENV_VARIABLES,
    description:
      'Environment variables for the command, e.g. secrets: `{ "DB_PASSWORD": "..." }`. Names like shell variables. ' +
      'Values are write-only: stored sealed until the job ran, never on a command line, never in the job log or the audit ' +
      `log, and masked (\`***\`) wherever they appear in the command's output (values of ${MIN_MASKED_LENGTH} characters or more).`,
  },
);

const CommandHistoryEntrySchema = Type.Object(
  {
    id: Uuid,
    command: Type.String({ description: 'As the audit log keeps it: values of `env` masked' }),
    nodeIds: Type.Array(Uuid),
    jobId: Nullable(Uuid),
    jobState: Nullable(JobStateSchema),
    createdAt: DateTime,
  },
  { title: 'CommandHistoryEntry' },
);

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
          env: Type.Optional(CommandEnv),
        },
        { additionalProperties: false },
      ),
      response: { 202: JobSchema, ...errors(...BODY_ERRORS, 404, 409) },
    },
  }, async (request, reply) => {
    const job = await commands.run(request.actor, request.body);
    return reply.code(202).header('location', `/api/v1/jobs/${job.id}`).send(jobView(job));
  });

  app.get('/nodes/actions/run/history', {
    config: { access: 'observer' },
    schema: {
      tags: ['nodes'],
      operationId: 'listCommandHistory',
      summary: 'The commands you ran (POST /nodes/actions/run), newest first',
      querystring: Type.Object({ page: PageQuery.page, limit: PageQuery.limit }),
      response: { 200: PageOf(CommandHistoryEntrySchema, 'CommandHistoryEntry'), ...errors(400) },
    },
  }, async (request) => commands.history(request.actor, request.query));
};
