import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { BALANCER_ALGORITHMS, BALANCER_PROTOCOLS } from '@overmind/provider';
import { Type } from 'typebox';
import { PageOf, PageQuery } from '../../lib/pagination.js';
import { BODY_ERRORS, DateTime, IdParams, Nullable, NullableDateTime, Uuid, errors } from '../../lib/schemas.js';
import { JobSchema, jobView } from '../jobs/job-schemas.js';
import type { BalancerWithMembers } from './balancer-service.js';

const Port = Type.Integer({ minimum: 1, maximum: 65535 });

const HealthCheckSchema = Type.Object(
  {
    protocol: Type.Enum(['http', 'tcp'], { description: '`http` asks `path` and wants a 2xx/3xx; `tcp` only connects' }),
    path: Type.Optional(Type.String({ minLength: 1, maxLength: 255, pattern: '^/[\\x21-\\x7e]*$', description: 'For http: the request path (no spaces)' })),
    port: Type.Optional(Port),
    intervalSeconds: Type.Integer({ minimum: 1, maximum: 3600 }),
    timeoutSeconds: Type.Integer({ minimum: 1, maximum: 3600 }),
    healthyThreshold: Type.Integer({ minimum: 1, maximum: 100 }),
    unhealthyThreshold: Type.Integer({ minimum: 1, maximum: 100 }),
  },
  { additionalProperties: false, title: 'HealthCheck' },
);

const OptionId = Type.String({ minLength: 1, maxLength: 255, pattern: '^[A-Za-z0-9._:/-]+$' });
const OptionsSchema = Type.Object(
  {
    subnets: Type.Optional(Type.Array(OptionId, { maxItems: 20, description: 'ELB: the subnets (an Application Load Balancer needs two zones)' })),
    securityGroups: Type.Optional(Type.Array(OptionId, { maxItems: 5, description: 'ELB: security groups' })),
    vpcId: Type.Optional(Type.String({ maxLength: 64, pattern: '^vpc-[0-9a-f]+$', description: 'ELB: the VPC of its target group' })),
    internal: Type.Optional(Type.Boolean({ description: 'ELB: internal scheme instead of internet-facing' })),
    certificateArn: Type.Optional(Type.String({ maxLength: 2048, pattern: '^arn:[\\x21-\\x7e]+$', description: 'ELB https: an ACM certificate ARN' })),
    certificateId: Type.Optional(Type.String({ maxLength: 255, pattern: '^[A-Za-z0-9-]+$', description: 'DigitalOcean https: a certificate id' })),
    vpcUuid: Type.Optional(Type.String({ maxLength: 64, pattern: '^[A-Za-z0-9-]+$', description: 'DigitalOcean: the VPC' })),
    subnetId: Type.Optional(Type.String({ maxLength: 64, pattern: '^[A-Za-z0-9-]+$', description: 'Octavia: the subnet of its virtual IP' })),
    tlsContainerRef: Type.Optional(Type.String({ maxLength: 1024, pattern: '^https?://[\\x21-\\x7e]+$', description: 'Octavia https: a Barbican secret container reference' })),
    certificatePath: Type.Optional(Type.String({ maxLength: 255, pattern: '^/[A-Za-z0-9._/-]+$', description: 'HAProxy https: the PEM (certificate and key) on the host' })),
  },
  { additionalProperties: false, title: 'BalancerOptions', description: 'Provider-only options; none of them is a secret' },
);

const MemberSchema = Type.Object(
  {
    nodeId: Uuid,
    memberId: Nullable(Type.String({ description: "The provider's id of the member, once attached" })),
    state: Type.Enum(['attaching', 'detaching', 'healthy', 'unhealthy', 'draining', 'pending', 'unused', 'unknown', 'error']),
    stateMessage: Nullable(Type.String()),
  },
  { title: 'BalancerMember' },
);

export const BalancerSchema = Type.Object(
  {
    id: Uuid,
    providerId: Uuid,
    providerBalancerId: Nullable(Type.String()),
    name: Type.String(),
    state: Type.Enum(['creating', 'destroying', 'destroyed', 'pending', 'active', 'updating', 'error', 'deleting', 'unknown']),
    stateMessage: Nullable(Type.String({ description: 'Why the last job on it failed' })),
    protocol: Type.Enum(BALANCER_PROTOCOLS),
    port: Port,
    memberPort: Port,
    algorithm: Type.Enum(BALANCER_ALGORITHMS),
    address: Nullable(Type.String({ description: 'Where clients connect: an address or a DNS name' })),
    healthCheck: Nullable(HealthCheckSchema),
    locationId: Nullable(Type.String()),
    hostNodeId: Nullable(Uuid),
    options: OptionsSchema,
    constellationId: Nullable(Uuid),
    tier: Nullable(Type.String({ description: 'The constellation tier whose members it follows' })),
    members: Type.Array(MemberSchema),
    createdBy: Nullable(Uuid),
    createdAt: DateTime,
    updatedAt: DateTime,
    destroyedAt: NullableDateTime,
  },
  { title: 'Balancer' },
);

const CreatedSchema = Type.Object({ balancer: BalancerSchema, job: JobSchema }, { title: 'BalancerCreated' });

export function balancerView(b: BalancerWithMembers) {
  return {
    ...b,
    createdAt: b.createdAt.toISOString(),
    updatedAt: b.updatedAt.toISOString(),
    destroyedAt: b.destroyedAt?.toISOString() ?? null,
    members: b.members.map((m) => ({ nodeId: m.nodeId, memberId: m.memberId, state: m.state, stateMessage: m.stateMessage })),
  };
}

const MemberParams = Type.Object({ id: Uuid, nodeId: Uuid });

export const balancerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const balancers = app.services.balancers;

  app.get('/providers/:id/balancers', {
    config: { access: 'observer' },
    schema: {
      tags: ['balancers'],
      operationId: 'listBalancers',
      summary: "A provider's load balancers (destroyed ones are left out)",
      params: IdParams,
      querystring: Type.Object(PageQuery, { additionalProperties: false }),
      response: { 200: PageOf(BalancerSchema, 'Balancer'), ...errors(400, 404) },
    },
  }, async (request) => {
    const page = await balancers.list(request.params.id, request.query);
    return { ...page, items: page.items.map(balancerView) };
  });

  app.post('/providers/:id/balancers', {
    config: { access: 'operator', idempotent: true },
    schema: {
      tags: ['balancers'],
      operationId: 'createBalancer',
      summary: 'Create a load balancer; answers with it (state `creating`) and the job that makes it',
      description:
        'Providers with balancers of their own (EC2: Elastic Load Balancing v2, DigitalOcean, dummy) make it there. ' +
        'For libvirt and dedicated providers give `hostNodeId`: HAProxy on that node, configured over SSH. ' +
        '`nodeIds` (nodes of this provider) start in its rotation.',
      params: IdParams,
      body: Type.Object(
        {
          name: Type.String({ minLength: 1, maxLength: 255, pattern: '^[^\\u0000-\\u001f]+$' }),
          port: Port,
          protocol: Type.Enum(BALANCER_PROTOCOLS),
          algorithm: Type.Optional(Type.Enum(BALANCER_ALGORITHMS, { default: 'round_robin' })),
          memberPort: Type.Optional(Port),
          healthCheck: Type.Optional(HealthCheckSchema),
          locationId: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
          hostNodeId: Type.Optional(Uuid),
          nodeIds: Type.Optional(Type.Array(Uuid, { maxItems: 500 })),
          options: Type.Optional(OptionsSchema),
        },
        { additionalProperties: false },
      ),
      response: { 202: CreatedSchema, ...errors(...BODY_ERRORS, 404, 409) },
    },
  }, async (request, reply) => {
    const { balancer, job } = await balancers.create(request.actor, request.params.id, request.body);
    return reply.code(202).header('location', `/api/v1/balancers/${balancer.id}`).send({ balancer: balancerView(balancer), job: jobView(job) });
  });

  app.get('/constellations/:id/balancers', {
    config: { access: 'observer' },
    schema: {
      tags: ['balancers', 'constellations'],
      operationId: 'listConstellationBalancers',
      summary: "A constellation's balancers, one per tier that asks for one (destroyed ones are left out)",
      params: IdParams,
      response: { 200: Type.Object({ items: Type.Array(BalancerSchema) }, { title: 'ConstellationBalancers' }), ...errors(400, 404) },
    },
  }, async (request) => {
    await app.services.constellations.get(request.params.id);
    return { items: (await balancers.ofConstellation(request.params.id)).map(balancerView) };
  });

  app.get('/balancers/:id', {
    config: { access: 'observer' },
    schema: { tags: ['balancers'], operationId: 'getBalancer', params: IdParams, response: { 200: BalancerSchema, ...errors(400, 404) } },
  }, async (request) => balancerView(await balancers.get(request.params.id)));

  app.delete('/balancers/:id', {
    config: { access: 'operator' },
    schema: {
      tags: ['balancers'],
      operationId: 'destroyBalancer',
      summary: 'Destroy a load balancer at its provider; answers with the job',
      params: IdParams,
      response: { 202: JobSchema, ...errors(400, 404, 409) },
    },
  }, async (request, reply) => reply.code(202).send(jobView(await balancers.destroy(request.actor, request.params.id))));

  app.put('/balancers/:id/health-check', {
    config: { access: 'operator' },
    schema: {
      tags: ['balancers'],
      operationId: 'setBalancerHealthCheck',
      summary: "Change how the balancer checks its members; answers with the job (the balancer shows the new check once its provider took it)",
      params: IdParams,
      body: HealthCheckSchema,
      response: { 202: JobSchema, ...errors(...BODY_ERRORS, 404, 409) },
    },
  }, async (request, reply) => reply.code(202).send(jobView(await balancers.setHealthCheck(request.actor, request.params.id, request.body))));

  app.post('/balancers/:id/members', {
    config: { access: 'operator', idempotent: true },
    schema: {
      tags: ['balancers'],
      operationId: 'attachBalancerMember',
      summary: "Put a node (of the balancer's provider) into its rotation; answers with the job",
      params: IdParams,
      body: Type.Object({ nodeId: Uuid }, { additionalProperties: false }),
      response: { 202: JobSchema, ...errors(...BODY_ERRORS, 404, 409) },
    },
  }, async (request, reply) => reply.code(202).send(jobView(await balancers.attach(request.actor, request.params.id, request.body.nodeId))));

  app.delete('/balancers/:id/members/:nodeId', {
    config: { access: 'operator' },
    schema: {
      tags: ['balancers'],
      operationId: 'detachBalancerMember',
      summary: 'Take a node out of the rotation (its connections drain first); answers with the job',
      params: MemberParams,
      response: { 202: JobSchema, ...errors(400, 404, 409) },
    },
  }, async (request, reply) => reply.code(202).send(jobView(await balancers.detach(request.actor, request.params.id, request.params.nodeId))));
};
