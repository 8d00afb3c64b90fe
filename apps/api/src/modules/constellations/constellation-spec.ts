/**
 * The constellation spec: its schema (shared by the routes, the import and the document export) and
 * the checks a schema cannot express (unique tier names, dependencies that exist, no cycles).
 */
import { Type, type Static } from 'typebox';
import { Uuid } from '../../lib/schemas.js';

export const TierName = Type.String({ minLength: 1, maxLength: 20, pattern: '^[a-z][a-z0-9-]*$', description: 'Lower-case letters, digits, dash; members are `<tier>-<n>`' });
export const ConstellationName = Type.String({ minLength: 1, maxLength: 30, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', description: 'Letters, digits, dot, dash, underscore; member nodes are named `<constellation>-<tier>-<n>`' });
const CatalogId = Type.String({ minLength: 1, maxLength: 512 });
const RunListItem = Type.String({ minLength: 1, maxLength: 255 });

export const MAX_TIER_COUNT = 1000;
export const MAX_TIERS = 50;

const Machine = Type.Object(
  {
    providerId: Type.Optional(Uuid),
    locationId: Type.Optional(CatalogId),
    sizeId: Type.Optional(CatalogId),
    imageId: Type.Optional(CatalogId),
  },
  { additionalProperties: false, description: "The machine type; over the server role's own field by field (how a clone moves a tier to another provider)" },
);

/** The tier's balancer: made by the first apply, members added once healthy and drained before they go (docs/constellations.md). */
export const BalancerMembership = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 63, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' }),
    port: Type.Integer({ minimum: 1, maximum: 65535, description: 'The port the balancer listens on' }),
    memberPort: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: 'The port of the members; the same as `port` when left out' })),
    protocol: Type.Enum(['http', 'https', 'tcp']),
    algorithm: Type.Optional(Type.Enum(['round-robin', 'least-connections'], { default: 'round-robin' })),
    hostNodeId: Type.Optional(Type.String({ format: 'uuid', maxLength: 36, description: 'Providers without balancers of their own (libvirt, dedicated): the node that runs HAProxy' })),
    healthCheck: Type.Optional(
      Type.Object(
        {
          path: Type.Optional(Type.String({ minLength: 1, maxLength: 255, pattern: '^/' })),
          intervalSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 300 })),
          timeoutSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 120 })),
          healthyThreshold: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
          unhealthyThreshold: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const REMEDIATIONS = ['restart-service', 'converge', 'reboot', 'replace'] as const;

/** The service guarantee's policy for a tier (guarantee-policy.ts has the defaults; docs/constellations.md). */
export const HealthPolicy = Type.Object(
  {
    gracePeriodSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400, description: 'How long a member may be unhealthy before remediation starts' })),
    maxUnavailable: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_TIER_COUNT, description: 'Members of the tier remediated or replaced at once, at most' })),
    remediation: Type.Optional(Type.Array(Type.Enum(REMEDIATIONS), { minItems: 1, maxItems: 4, uniqueItems: true, description: 'The ladder, in order' })),
    restartService: Type.Optional(Type.String({ minLength: 1, maxLength: 255, pattern: '^[A-Za-z0-9@._-]+$', description: 'The service the restart-service step restarts' })),
    settleSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 3600, description: 'How long after a step the member has to become healthy before the next step is tried' })),
    backoffSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 3600, description: 'The wait before the next step on the same member, doubled with each step taken lately' })),
    breakerFailures: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Failed remediations in the window that trip the circuit breaker: it stops and alerts' })),
    breakerWindowSeconds: Type.Optional(Type.Integer({ minimum: 60, maximum: 604_800, description: 'The window the breaker counts failures in' })),
  },
  { additionalProperties: false },
);

export const TierSpec = Type.Object(
  {
    name: TierName,
    serverRole: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'A server role by name: machine type, run list, attributes, SSH login and CM settings' })),
    machine: Type.Optional(Machine),
    runList: Type.Optional(Type.Array(RunListItem, { maxItems: 100, description: "Instead of the role's run list (needs a serverRole: its login and CM settings configure the member)" })),
    attributes: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: "Merged over the role's attributes" })),
    count: Type.Integer({ minimum: 0, maximum: MAX_TIER_COUNT }),
    dependsOn: Type.Optional(Type.Array(TierName, { maxItems: MAX_TIERS, uniqueItems: true, description: 'Tiers applied before this one; their addresses reach this tier as attributes' })),
    balancer: Type.Optional(BalancerMembership),
    health: Type.Optional(HealthPolicy),
  },
  { additionalProperties: false },
);

export const ConstellationSpecSchema = Type.Object(
  { tiers: Type.Array(TierSpec, { minItems: 1, maxItems: MAX_TIERS }) },
  { additionalProperties: false, title: 'ConstellationSpec' },
);

/** A whole document: what import reads and export writes. */
export const ConstellationDocument = Type.Object(
  { name: ConstellationName, tiers: ConstellationSpecSchema.properties.tiers },
  { additionalProperties: false, title: 'ConstellationDocument' },
);

export type TierSpec = Static<typeof TierSpec>;
export type ConstellationSpec = Static<typeof ConstellationSpecSchema>;

/** A problem at a place in the spec: `path` as JSON keys and indexes, from the spec's root. */
export interface SpecProblem {
  path: (string | number)[];
  message: string;
}

/** `['tiers', 1, 'dependsOn', 0]` → `tiers[1].dependsOn[0]`. */
export function fieldName(path: (string | number)[], prefix = ''): string {
  const text = path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
  return prefix ? `${prefix}.${text}` : text;
}

/** Checks that need the whole spec. The schema has been checked already. */
export function checkSpec(spec: ConstellationSpec): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const index = new Map<string, number>();
  spec.tiers.forEach((tier, i) => {
    if (index.has(tier.name)) problems.push({ path: ['tiers', i, 'name'], message: `"${tier.name}" is already the name of tiers[${index.get(tier.name)}]` });
    else index.set(tier.name, i);
    if (!tier.serverRole) {
      const machine = tier.machine ?? {};
      for (const k of ['providerId', 'locationId', 'sizeId', 'imageId'] as const) {
        if (!machine[k]) problems.push({ path: ['tiers', i, 'machine', k], message: 'is required when the tier has no serverRole' });
      }
      if (tier.runList) problems.push({ path: ['tiers', i, 'runList'], message: "needs a serverRole: the role's SSH login and CM settings configure the members" });
      if (tier.attributes) problems.push({ path: ['tiers', i, 'attributes'], message: 'needs a serverRole: only configured tiers take attributes' });
    }
    (tier.dependsOn ?? []).forEach((dep, j) => {
      if (dep === tier.name) problems.push({ path: ['tiers', i, 'dependsOn', j], message: 'a tier cannot depend on itself' });
      else if (!spec.tiers.some((t) => t.name === dep)) problems.push({ path: ['tiers', i, 'dependsOn', j], message: `"${dep}" is not a tier of this constellation` });
    });
  });
  if (problems.length > 0) return problems;
  const cycle = findCycle(spec);
  if (cycle) {
    const i = index.get(cycle[0]!)!;
    const j = spec.tiers[i]!.dependsOn!.indexOf(cycle[1]!);
    problems.push({ path: ['tiers', i, 'dependsOn', j], message: `dependency cycle: ${cycle.join(' → ')}` });
  }
  return problems;
}

/** A cycle as tier names, the first repeated at the end (`web → app → web`), or null. */
export function findCycle(spec: ConstellationSpec): string[] | null {
  const deps = new Map(spec.tiers.map((t) => [t.name, t.dependsOn ?? []]));
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): string[] | null => {
    if (state.get(name) === 'done') return null;
    if (state.get(name) === 'open') return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, 'open');
    stack.push(name);
    for (const dep of deps.get(name) ?? []) {
      const found = visit(dep);
      if (found) return found;
    }
    stack.pop();
    state.set(name, 'done');
    return null;
  };
  for (const t of spec.tiers) {
    const found = visit(t.name);
    if (found) return found;
  }
  return null;
}

/** Tiers in an order where each comes after the tiers it depends on (the spec has no cycle). */
export function tierOrder(spec: ConstellationSpec): TierSpec[] {
  const byName = new Map(spec.tiers.map((t) => [t.name, t]));
  const out: TierSpec[] = [];
  const seen = new Set<string>();
  const visit = (t: TierSpec) => {
    if (seen.has(t.name)) return;
    seen.add(t.name);
    for (const d of t.dependsOn ?? []) visit(byName.get(d)!);
    out.push(t);
  };
  spec.tiers.forEach(visit);
  return out;
}
