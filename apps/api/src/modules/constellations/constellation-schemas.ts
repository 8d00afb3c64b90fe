import { Type } from 'typebox';
import { DateTime, Nullable, NullableDateTime, Uuid } from '../../lib/schemas.js';
import { ConstellationDocument, ConstellationName, ConstellationSpecSchema, MAX_TIER_COUNT, TierName } from './constellation-spec.js';

export { ConstellationDocument, ConstellationSpecSchema };

const Fields = {
  id: Uuid,
  name: Type.String(),
  latestVersion: Type.Integer({ description: 'Each change of the spec is a new version' }),
  targetVersion: Nullable(Type.Integer({ description: 'The version the last apply brought (or is bringing) the members to' })),
  appliedVersion: Nullable(Type.Integer({ description: 'The version of the last apply that succeeded' })),
  createdBy: Nullable(Uuid),
  createdAt: DateTime,
  updatedAt: DateTime,
  destroyedAt: NullableDateTime,
};

export const ConstellationSummarySchema = Type.Object(Fields, { title: 'ConstellationSummary' });

const MemberSchema = Type.Object(
  {
    key: Type.String({ description: 'Stable: `web-2` stays `web-2` whatever else is added or removed' }),
    nodeId: Uuid,
    nodeName: Type.String(),
    state: Type.String(),
    health: Nullable(Type.String()),
    privateIps: Type.Array(Type.String()),
    publicIps: Type.Array(Type.String()),
    configured: Type.Boolean({ description: 'Configured by an apply of this constellation' }),
  },
  { title: 'ConstellationMember' },
);

const TierBalancerSchema = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    state: Type.String(),
    address: Nullable(Type.String()),
    port: Type.Integer(),
    protocol: Type.String(),
    members: Type.Array(Type.Object({ key: Nullable(Type.String({ description: 'The member key, null for a node that is no longer a member' })), nodeId: Uuid, state: Type.String({ description: 'From the balancer\'s own health check where the driver can tell, else `unknown`' }) })),
  },
  { title: 'ConstellationTierBalancer', description: "The tier's balancer (full view: GET /balancers/{id})" },
);

export const ConstellationSchema = Type.Object(
  {
    ...Fields,
    spec: ConstellationSpecSchema,
    tiers: Type.Array(Type.Object({ name: Type.String(), count: Type.Integer(), members: Type.Array(MemberSchema), balancer: Nullable(TierBalancerSchema) })),
    lastJobId: Nullable(Uuid),
  },
  { title: 'Constellation' },
);

const Action = Type.Enum(['create', 'configure', 'replace', 'destroy', 'attach']);

export const PlanSchema = Type.Object(
  {
    constellationId: Uuid,
    version: Type.Integer(),
    steps: Type.Array(
      Type.Object({ tier: Type.String(), key: Type.String(), ordinal: Type.Integer(), action: Action, nodeId: Nullable(Uuid), reasons: Type.Array(Type.String()) }),
      { description: 'In apply order: a tier after the tiers it depends on' },
    ),
    summary: Type.Object({ create: Type.Integer(), configure: Type.Integer(), replace: Type.Integer(), destroy: Type.Integer(), attach: Type.Integer(), unchanged: Type.Integer() }),
    balancers: Type.Array(
      Type.Object({
        tier: Type.String(),
        name: Type.String(),
        port: Type.Integer(),
        protocol: Type.String(),
        action: Type.Enum(['create', 'keep', 'update', 'destroy'], { description: '`create`: the tier has no balancer yet; `update`: its health check changes; `destroy`: the tier or its balancer left the spec' }),
        changes: Type.Array(Type.String(), { description: 'For `update`: what changes, in words' }),
        balancerId: Nullable(Uuid),
        members: Type.Array(Type.String(), { description: 'The member keys it holds once the apply is done' }),
        attach: Type.Array(Type.String(), { description: 'Added once healthy (configured, agent and checks ok)' }),
        detach: Type.Array(Type.String(), { description: 'Drained out before their node is destroyed or replaced' }),
      }),
      { description: "Each tier's balancer: made, kept or destroyed, and the members it gains and loses" },
    ),
  },
  { title: 'ConstellationPlan' },
);

export const VersionQuery = Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'A spec version; the latest when left out' })) }, { additionalProperties: false });

const CatalogId = Type.String({ minLength: 1, maxLength: 512 });

export const CloneBody = Type.Object(
  {
    name: ConstellationName,
    machine: Type.Optional(
      Type.Object(
        { providerId: Type.Optional(Uuid), locationId: Type.Optional(CatalogId), sizeId: Type.Optional(CatalogId), imageId: Type.Optional(CatalogId) },
        { additionalProperties: false, description: 'Set on every tier: another provider, region, size or image' },
      ),
    ),
    counts: Type.Optional(Type.Record(TierName, Type.Integer({ minimum: 0, maximum: MAX_TIER_COUNT }), { maxProperties: 50, description: 'New counts by tier name' })),
  },
  { additionalProperties: false },
);

export const DocumentFormat = Type.Enum(['yaml', 'json']);

export const ImportBody = Type.Object(
  {
    format: DocumentFormat,
    document: Type.String({ minLength: 1, maxLength: 512 * 1024, description: 'The exported document: `name` and `tiers`' }),
    name: Type.Optional(ConstellationName),
  },
  { additionalProperties: false },
);

export const ExportQuery = Type.Object({ format: DocumentFormat, version: VersionQuery.properties.version }, { additionalProperties: false });

export const ExportSchema = Type.Object({ format: DocumentFormat, version: Type.Integer(), document: Type.String() }, { title: 'ConstellationExport' });

export const DestroyBody = Type.Object(
  { confirm: Type.String({ minLength: 1, maxLength: 30, description: "The constellation's name, to confirm" }) },
  { additionalProperties: false },
);

const Step = Type.Enum(['restart-service', 'converge', 'reboot', 'replace']);

export const GuaranteeSchema = Type.Object(
  {
    constellationId: Uuid,
    tiers: Type.Array(Type.Object({
      tier: Type.String(),
      policy: Type.Object({
        gracePeriodSeconds: Type.Integer(),
        maxUnavailable: Type.Integer(),
        remediation: Type.Array(Step),
        restartService: Nullable(Type.String()),
        settleSeconds: Type.Integer(),
        backoffSeconds: Type.Integer(),
        breakerFailures: Type.Integer(),
        breakerWindowSeconds: Type.Integer(),
      }, { description: "The tier's health policy with the defaults filled in" }),
      breaker: Type.Enum(['closed', 'open'], { description: 'open: the guarantee stopped remediating this tier after repeated failures, until reset' }),
      trippedAt: NullableDateTime,
      trippedReason: Nullable(Type.String()),
      alertId: Nullable(Uuid),
      recentFailures: Type.Integer({ description: 'Failed remediations within the breaker window' }),
      members: Type.Array(Type.Object({
        key: Type.String(),
        nodeId: Uuid,
        nodeName: Type.String(),
        status: Type.Enum(['healthy', 'unhealthy', 'remediating', 'busy']),
        reason: Nullable(Type.String()),
        unhealthySince: NullableDateTime,
        nextStep: Nullable(Step),
        nextAttemptAt: NullableDateTime,
        attempts: Type.Integer(),
        inFlight: Nullable(Type.Object({ step: Step, jobId: Nullable(Uuid), startedAt: DateTime, startedBy: Type.String() })),
      })),
      attempts: Type.Array(Type.Object({
        id: Uuid,
        key: Type.String(),
        nodeId: Uuid,
        step: Step,
        reason: Type.String(),
        jobId: Nullable(Uuid),
        startedBy: Type.String({ description: 'The reconciler (host:pid:id) that started it' }),
        startedAt: DateTime,
        finishedAt: NullableDateTime,
        outcome: Nullable(Type.Enum(['recovered', 'ineffective', 'failed', 'replaced'])),
        detail: Nullable(Type.String()),
      }), { description: 'The latest steps, newest first' }),
    })),
  },
  { title: 'ConstellationGuarantee' },
);

export const TierParams = Type.Object({ id: Uuid, tier: TierName }, { additionalProperties: false });
