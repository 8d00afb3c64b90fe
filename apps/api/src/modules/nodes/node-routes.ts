import { NODE_STATES } from '@overmind/provider';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static, type TInteger } from 'typebox';
import type { NodeRow } from '../../db/entities/index.js';
import { PageOf, PageQuery } from '../../lib/pagination.js';
import { BODY_ERRORS, DateTime, IdParams, Nullable, NullableDateTime, Uuid, errors } from '../../lib/schemas.js';
import { NodeHealthSchema } from '../checks/check-schemas.js';
import { JobSchema, jobView } from '../jobs/job-schemas.js';
import { NodeReadingsSchema } from '../metrics/metric-schemas.js';
import { NetworkChoiceSchema } from '../providers/provider-schemas.js';
import { NODE_SORTS, type NodeAction } from './node-service.js';

export const NodeStateSchema = Type.Enum(NODE_STATES);
export const NodeName = Type.String({ minLength: 1, maxLength: 63, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', description: 'Letters, digits, dot, dash, underscore' });
const Tag = Type.String({ minLength: 1, maxLength: 64, pattern: '^[^\\s,]+$' });
export const Tags = Type.Array(Tag, { maxItems: 50 });
const CatalogId = Type.String({ minLength: 1, maxLength: 512 });

export const NodeSchema = Type.Object(
  {
    id: Uuid,
    providerId: Uuid,
    providerNodeId: Nullable(Type.String()),
    name: Type.String(),
    state: NodeStateSchema,
    publicIps: Type.Array(Type.String()),
    privateIps: Type.Array(Type.String()),
    imageId: Nullable(Type.String()),
    sizeId: Nullable(Type.String()),
    locationId: Nullable(Type.String()),
    extra: Type.Record(Type.String(), Type.Unknown()),
    tags: Type.Array(Type.String()),
    facts: Nullable(Type.Record(Type.String(), Type.Unknown())),
    createdBy: Nullable(Uuid),
    createdAt: DateTime,
    updatedAt: DateTime,
    destroyedBy: Nullable(Uuid),
    destroyedAt: NullableDateTime,
    decommissionedAt: NullableDateTime,
    configMode: Nullable(Type.Enum(['push', 'pull'], { description: "How it is configured; null: its server role's mode (push when it has none)" })),
    agent: Nullable(
      Type.Object(
        {
          id: Uuid,
          state: Type.Enum(['pending', 'connected', 'disconnected']),
          since: NullableDateTime,
        },
        { title: 'NodeAgent', description: "Its agent's connection, live (GET /agents/{id} has the details)" },
      ),
    ),
    readings: Type.Optional(Nullable(NodeReadingsSchema)),
    health: Nullable(NodeHealthSchema),
    healthSince: NullableDateTime,
  },
  { title: 'Node' },
);

const NodePageSchema = PageOf(NodeSchema, 'Node');

const StateCounts = Type.Object(Object.fromEntries(NODE_STATES.map((s) => [s, Type.Integer({ minimum: 0 })])) as Record<(typeof NODE_STATES)[number], TInteger>, { title: 'StateCounts' });
const NodeSummarySchema = Type.Object(
  {
    total: Type.Integer({ minimum: 0 }),
    byState: StateCounts,
    byProvider: Type.Array(Type.Object({ providerId: Uuid, total: Type.Integer({ minimum: 0 }), byState: StateCounts })),
  },
  { title: 'NodeSummary' },
);

// NodeSchema is the view: the serializer writes only the properties it declares (so not the
// internal idempotency key), without copying each row first.
/**
 * The API's node: `facts` are the registration's where gathered, else the agent's (as in list_json);
 * `agentFacts` itself is not in NodeSchema, so the serializer leaves it out.
 */
export const nodeView = <T extends Pick<NodeRow, 'id' | 'agentId' | 'agentState' | 'agentStateSince' | 'facts' | 'agentFacts'>>(n: T) => ({
  ...n,
  facts: n.facts ?? n.agentFacts ?? null,
  agent: n.agentId ? { id: n.agentId, state: n.agentState ?? 'disconnected', since: n.agentStateSince } : null,
});

export const nodeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const nodes = app.services.nodes;

  app.get('/nodes', {
    config: { access: 'observer' },
    schema: {
      tags: ['nodes'],
      operationId: 'listNodes',
      querystring: Type.Object({
        ...PageQuery,
        sort: Type.Enum(NODE_SORTS, { default: 'name' }),
        providerId: Type.Optional(Uuid),
        state: Type.Optional(NodeStateSchema),
        tag: Type.Optional(Tag),
        search: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Part of the name or an address' })),
        includeGone: Type.Boolean({ default: false, description: 'Include destroyed and decommissioned nodes' }),
        minCpu: Type.Optional(Type.Number({ minimum: 0, maximum: 100, description: 'Only nodes whose latest CPU use is at least this percent' })),
        minMemory: Type.Optional(Type.Number({ minimum: 0, maximum: 100, description: 'Only nodes whose latest memory use is at least this percent' })),
        minDisk: Type.Optional(Type.Number({ minimum: 0, maximum: 100, description: 'Only nodes whose busiest filesystem is at least this percent full' })),
        health: Type.Optional(NodeHealthSchema),
        os: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Part of the OS name, or its id and version (e.g. `debian 12`), from the node\'s facts' })),
        fact: Type.Optional(Type.String({
          minLength: 3, maxLength: 300,
          description: 'A fact as dotted.path=value, e.g. `os.version_id=12` or `virtualization.type=kvm` (registration facts, else the agent\'s)',
        })),
      }),
      response: { 200: NodePageSchema, ...errors(400) },
    },
  }, async (request, reply) => {
    // The page is already JSON text in NodePageSchema's shape (see node-list-query.ts): a string with
    // a JSON content type is sent as it is, not serialized again.
    const page = await nodes.list(request.query);
    return reply.type('application/json; charset=utf-8').send(page.json as unknown as Static<typeof NodePageSchema>);
  });

  app.post('/nodes', {
    config: { access: 'operator', idempotent: true },
    schema: {
      tags: ['nodes'],
      operationId: 'createNode',
      summary: 'Create a node; answers with the job that creates it (the node id is its targetId)',
      body: Type.Object(
        {
          providerId: Uuid,
          name: NodeName,
          imageId: CatalogId,
          sizeId: CatalogId,
          locationId: CatalogId,
          tags: Type.Optional(Tags),
          sshPublicKey: Type.Optional(Type.String({ minLength: 16, maxLength: 16384, pattern: '^(ssh-|ecdsa-)' })),
          userData: Type.Optional(Type.String({ maxLength: 16384 })),
          networkIds: Type.Optional(NetworkChoiceSchema),
          floatingIp: Type.Optional(Type.Boolean({ description: "Give the node a floating IP; absent: the provider's default" })),
        },
        { additionalProperties: false },
      ),
      response: { 202: JobSchema, ...errors(...BODY_ERRORS, 404, 409, 422) },
    },
  }, async (request, reply) => {
    const job = await nodes.create(request.actor, request.body);
    return reply.code(202).header('location', `/api/v1/jobs/${job.id}`).send(jobView(job));
  });

  app.get('/nodes/summary', {
    config: { access: 'observer' },
    schema: {
      tags: ['nodes'],
      operationId: 'summarizeNodes',
      summary: 'Live nodes (not destroyed or decommissioned) counted by state and by provider',
      response: { 200: NodeSummarySchema, ...errors() },
    },
  }, () => nodes.summarize());

  app.get('/nodes/:id', {
    config: { access: 'observer' },
    schema: { tags: ['nodes'], operationId: 'getNode', params: IdParams, response: { 200: NodeSchema, ...errors(400, 404) } },
  }, async (request) => {
    const [node, readings] = await Promise.all([nodes.get(request.params.id), app.services.metrics.latest(request.params.id)]);
    return { ...nodeView(node), readings };
  });

  app.patch('/nodes/:id', {
    config: { access: 'operator' },
    schema: {
      tags: ['nodes'],
      operationId: 'updateNode',
      summary: 'Rename a node or replace its tags (in Overmind only)',
      params: IdParams,
      body: Type.Object({ name: Type.Optional(NodeName), tags: Type.Optional(Tags) }, { additionalProperties: false, minProperties: 1 }),
      response: { 200: NodeSchema, ...errors(...BODY_ERRORS, 404) },
    },
  }, async (request) => nodeView(await nodes.update(request.actor, request.params.id, request.body)));

  app.delete('/nodes/:id', {
    config: { access: 'operator' },
    schema: {
      tags: ['nodes'],
      operationId: 'destroyNode',
      summary: 'Destroy the node at its provider; the record is kept as history',
      params: IdParams,
      response: { 202: JobSchema, ...errors(400, 404, 409) },
    },
  }, async (request, reply) => reply.code(202).send(jobView(await nodes.act(request.actor, request.params.id, 'destroy'))));

  for (const [action, operationId] of [
    ['reboot', 'rebootNode'],
    ['start', 'startNode'],
    ['stop', 'stopNode'],
  ] as const satisfies readonly (readonly [NodeAction, string])[]) {
    app.post(`/nodes/:id/${action}`, {
      config: { access: 'operator' },
      schema: {
        tags: ['nodes'],
        operationId,
        summary: `${action[0]!.toUpperCase()}${action.slice(1)} a node (409 when its provider cannot)`,
        params: IdParams,
        response: { 202: JobSchema, ...errors(400, 404, 409) },
      },
    }, async (request, reply) => reply.code(202).send(jobView(await nodes.act(request.actor, request.params.id, action))));
  }
};
