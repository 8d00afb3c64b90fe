import type { paths } from './schema.js';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type Ok<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { responses: infer R }
  ? Json<R extends { 200: infer A } ? A : R extends { 201: infer A } ? A : R extends { 202: infer A } ? A : never>
  : never;
/** The query parameters of an operation. */
export type QueryOf<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { parameters: { query?: infer Q } }
  ? NonNullable<Q>
  : never;
/** The JSON body of an operation. */
export type BodyOf<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { requestBody?: infer B } ? Json<NonNullable<B>> : never;

export type Node = Ok<'/api/v1/nodes/{id}', 'get'>;
export type NodeState = Node['state'];
export type NodePage = Ok<'/api/v1/nodes', 'get'>;
export type NodeSummary = Ok<'/api/v1/nodes/summary', 'get'>;
export type NodeReadings = NonNullable<Node['readings']>;
export type NodeMetrics = Ok<'/api/v1/nodes/{id}/metrics', 'get'>;
export type Job = Ok<'/api/v1/jobs/{id}', 'get'>;
export type JobState = Job['state'];
export type JobPage = Ok<'/api/v1/jobs', 'get'>;
export type JobLogLine = Ok<'/api/v1/jobs/{id}/logs', 'get'>['items'][number];
export type Provider = Ok<'/api/v1/providers/{id}', 'get'>;
export type ProviderPage = Ok<'/api/v1/providers', 'get'>;
export type ProviderType = Ok<'/api/v1/provider-types', 'get'>['items'][number];
export type Capability = ProviderType['capabilities'][number];
export type Login = Ok<'/api/v1/auth/login', 'post'>;
export type User = Login['user'];
export type Role = User['role'];
/** A node's agent as the node shows it (`null`: it has none). */
export type NodeAgent = NonNullable<Node['agent']>;
export type NodeConfigMode = NonNullable<Node['configMode']>;
export type Agent = Ok<'/api/v1/agents/{id}', 'get'>;
export type AgentPage = Ok<'/api/v1/agents', 'get'>;
export type AgentStatus = Agent['status'];
export type AgentToken = Ok<'/api/v1/agent-tokens/{id}', 'delete'>;
export type AgentTokenState = AgentToken['state'];
export type CreatedAgentToken = Ok<'/api/v1/agent-tokens', 'post'>;
export type AgentRelease = Ok<'/api/v1/agent/release', 'get'>;
export type ServerRole = Ok<'/api/v1/server-roles/{id}', 'get'>;
export type NodeHealth = NonNullable<Node['health']>;
export type Check = Ok<'/api/v1/checks/{id}', 'get'>;
export type CheckPage = Ok<'/api/v1/checks', 'get'>;
export type CheckScope = Check['scope'];
export type NodeChecks = Ok<'/api/v1/nodes/{id}/checks', 'get'>;
export type NodeCheck = NodeChecks['items'][number];
export type CheckResult = NonNullable<NodeCheck['result']>;
export type CheckState = CheckResult['state'];
export type CheckHistoryPage = Ok<'/api/v1/nodes/{id}/check-history', 'get'>;
export type Alert = Ok<'/api/v1/alerts/{id}', 'get'>;
export type AlertPage = Ok<'/api/v1/alerts', 'get'>;
export type AlertState = Alert['state'];
export type AlertRule = Ok<'/api/v1/alert-rules/{id}', 'get'>;
export type AlertRulePage = Ok<'/api/v1/alert-rules', 'get'>;
export type Constellation = Ok<'/api/v1/constellations/{id}', 'get'>;
export type ConstellationPlan = Ok<'/api/v1/constellations/{id}/plan', 'post'>;
export type ConstellationGuarantee = Ok<'/api/v1/constellations/{id}/guarantee', 'get'>;
export type Balancer = Ok<'/api/v1/balancers/{id}', 'get'>;
export type Kitchen = Ok<'/api/v1/kitchen', 'get'>;
export type CmProblem = Kitchen['problems'][number];
export type CommandHistoryPage = Ok<'/api/v1/nodes/actions/run/history', 'get'>;
export type CommandHistoryEntry = CommandHistoryPage['items'][number];
export type CreateServerRoleBody = BodyOf<'/api/v1/server-roles', 'post'>;
export type UpdateServerRoleBody = BodyOf<'/api/v1/server-roles/{id}', 'patch'>;
export type RunCommandBody = BodyOf<'/api/v1/nodes/actions/run', 'post'>;
export type RegisterNodeBody = BodyOf<'/api/v1/providers/{id}/nodes', 'post'>;

export type ListNodesQuery = QueryOf<'/api/v1/nodes', 'get'>;
export type ListJobsQuery = QueryOf<'/api/v1/jobs', 'get'>;
export type NodeMetricsQuery = QueryOf<'/api/v1/nodes/{id}/metrics', 'get'>;
export type ListProvidersQuery = QueryOf<'/api/v1/providers', 'get'>;
export type ListAgentsQuery = QueryOf<'/api/v1/agents', 'get'>;
export type ListAgentTokensQuery = QueryOf<'/api/v1/agent-tokens', 'get'>;
export type CreateAgentTokenBody = BodyOf<'/api/v1/agent-tokens', 'post'>;
export type CreateProviderBody = BodyOf<'/api/v1/providers', 'post'>;
export type CreateNodeBody = BodyOf<'/api/v1/nodes', 'post'>;
export type CreateCheckBody = BodyOf<'/api/v1/checks', 'post'>;
export type UpdateCheckBody = BodyOf<'/api/v1/checks/{id}', 'patch'>;
export type ListAlertsQuery = QueryOf<'/api/v1/alerts', 'get'>;
export type CreateAlertRuleBody = BodyOf<'/api/v1/alert-rules', 'post'>;
export type UpdateAlertRuleBody = BodyOf<'/api/v1/alert-rules/{id}', 'patch'>;

/**
 * The `data:` of each `/api/v1/events` message (its `event:` line equals `type`). Written by hand: the
 * stream is text/event-stream, so the OpenAPI document cannot describe its messages.
 */
export type NodeEvent = { type: 'node'; id: string; providerId: string; name: string; state: NodeState; publicIps: string[]; privateIps: string[]; gone: boolean };
export type JobEvent = { type: 'job'; id: string; state: JobState; jobType: Job['type']; targetId: string; progress: number; error?: string | null };
/** Lines were added to job `id`'s log: `count` of them, ids `firstLineId`..`lastLineId`. Fetch them with `after=`. */
export type JobLogEvent = { type: 'job.log'; id: string; count: number; firstLineId: string; lastLineId: string };
export type ProviderEvent = { type: 'provider'; id: string; status: Provider['status']; lastSyncAt: string | null; summary?: Record<string, number> };
/**
 * An agent enrolled, connected, disconnected, or was approved, rejected or revoked. `nodeId` is the node
 * it is (or was) bound to, null while it waits for approval; a node shows it as `agent` while `status`
 * is `active`.
 */
export type AgentEvent = { type: 'agent'; id: string; nodeId: string | null; status: AgentStatus; connected: boolean; since: string };
/** Nodes' latest readings, at most one per node per readings interval: patch the rows on screen. */
export type ReadingsEvent = { type: 'readings'; nodes: ({ id: string } & NodeReadings)[] };
/** A check's state on a node changed (its first result counts); `output` is its status text, clipped to 200 characters. */
export type CheckEvent = { type: 'check'; nodeId: string; checkId: string; name: string; state: CheckState; previous: CheckState | null; output: string; at: string };
/** A node's health changed: the worst of its check states, `stale` when its agent stopped reporting, null without checks. */
export type HealthEvent = { type: 'health'; nodeId: string; health: NodeHealth | null; previous: NodeHealth | null; since: string };
/** An alert fired, resolved or was acknowledged: fetch the alert lists again. */
export type AlertEvent = { type: 'alert'; id: string; ruleId: string | null; ruleName: string; nodeId: string; state: AlertState; summary: string; firedAt: string; resolvedAt: string | null; acknowledgedAt: string | null };
/** The service guarantee started a remediation step on a constellation member, one ended, or a tier's circuit breaker tripped or was reset: fetch the tier's guarantee again. */
export type GuaranteeEvent = { type: 'guarantee'; constellationId: string; tier: string; key: string | null; nodeId: string | null; step: string | null; state: 'started' | 'recovered' | 'ineffective' | 'failed' | 'replaced' | 'tripped' | 'reset'; jobId: string | null };
/** The server may have missed events (it lost its database connection for a while): refetch what you show. */
export type ResyncEvent = { type: 'resync' };
export type OvermindEvent = NodeEvent | JobEvent | JobLogEvent | ProviderEvent | AgentEvent | ReadingsEvent | CheckEvent | HealthEvent | AlertEvent | GuaranteeEvent | ResyncEvent;

export const FINISHED_JOB_STATES: readonly JobState[] = ['succeeded', 'failed', 'cancelled'];
