import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { BODY_ERRORS, IdParams, Uuid, errors } from '../../lib/schemas.js';
import { AgentInstallBody } from '../agents/agent-schemas.js';
import { JobSchema, jobView } from '../jobs/job-schemas.js';
import { NodeName, Tags } from './node-routes.js';

const Fingerprint = Type.String({
  pattern: '^[Ss][Hh][Aa]256:[A-Za-z0-9+/]{43}=?$',
  maxLength: 51,
  description: 'SSH host key fingerprint as `ssh-keygen -lf` prints it: SHA256:...',
});

/** Existing servers (dedicated providers): registration, facts, host keys. */
export const nodeRegistrationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const registrations = app.services.registrations;

  app.post('/providers/:id/nodes', {
    config: { access: 'operator', idempotent: true },
    schema: {
      tags: ['nodes'],
      operationId: 'registerNode',
      summary: 'Register an existing server with a provider that manages registered servers (409 for others)',
      description:
        'Answers with the job that reaches the server, pins its SSH host key and gathers its facts (the node id is ' +
        "its targetId). `registration` follows the provider type's `registrationSchema` (listProviderTypes); it is " +
        'stored encrypted and never returned. `installAgent` queues the agent install (POST /nodes/{id}/agent/install) once it is registered.',
      params: IdParams,
      body: Type.Object(
        {
          name: NodeName,
          registration: Type.Record(Type.String(), Type.Unknown(), { description: "Address, SSH and BMC login, per the type's registrationSchema" }),
          tags: Type.Optional(Tags),
          installAgent: Type.Optional(
            Type.Union([Type.Boolean(), AgentInstallBody], {
              description: 'Install the agent once the server is registered (a `node.agent-install` job, its id in the register job\'s result as `agentInstallJobId`); an object gives the install\'s options',
            }),
          ),
        },
        { additionalProperties: false },
      ),
      response: { 202: JobSchema, ...errors(...BODY_ERRORS, 404, 409, 422) },
    },
  }, async (request, reply) => {
    const job = await registrations.register(request.actor, request.params.id, request.body);
    return reply.code(202).header('location', `/api/v1/jobs/${job.id}`).send(jobView(job));
  });

  app.post('/nodes/:id/facts', {
    config: { access: 'operator' },
    schema: {
      tags: ['nodes'],
      operationId: 'refreshNodeFacts',
      summary: 'Gather the facts of a registered server again (OS, CPU, memory, disks, network)',
      params: IdParams,
      response: { 202: JobSchema, ...errors(400, 404, 409) },
    },
  }, async (request, reply) => reply.code(202).send(jobView(await registrations.refreshFacts(request.actor, request.params.id))));

  app.post('/nodes/:id/sensors', {
    config: { access: 'operator' },
    schema: {
      tags: ['nodes'],
      operationId: 'readNodeSensors',
      summary: "Read a registered server's sensors through its BMC; the readings are the job's result",
      params: IdParams,
      response: { 202: JobSchema, ...errors(400, 404, 409) },
    },
  }, async (request, reply) => reply.code(202).send(jobView(await registrations.readSensors(request.actor, request.params.id))));

  app.post('/nodes/:id/boot-device', {
    config: { access: 'operator' },
    schema: {
      tags: ['nodes'],
      operationId: 'setNodeBootDevice',
      summary: 'Choose what a registered server boots from next time (through its BMC)',
      params: IdParams,
      body: Type.Object({ device: Type.Enum(['pxe', 'disk', 'bios']) }, { additionalProperties: false }),
      response: { 202: JobSchema, ...errors(...BODY_ERRORS, 404, 409) },
    },
  }, async (request, reply) => reply.code(202).send(jobView(await registrations.setBootDevice(request.actor, request.params.id, request.body.device))));

  app.post('/nodes/:id/host-key', {
    config: { access: 'operator' },
    schema: {
      tags: ['nodes'],
      operationId: 'acceptNodeHostKey',
      summary: "Accept a registered server's changed SSH host key, after checking the change (e.g. a reinstall)",
      params: IdParams,
      body: Type.Object({ fingerprint: Fingerprint }, { additionalProperties: false }),
      response: {
        200: Type.Object({ nodeId: Uuid, hostKeyFingerprint: Type.String() }, { title: 'AcceptedHostKey' }),
        ...errors(...BODY_ERRORS, 404, 409, 422),
      },
    },
  }, async (request) => registrations.acceptHostKey(request.actor, request.params.id, request.body.fingerprint));
};
