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

export type ListNodesQuery = QueryOf<'/api/v1/nodes', 'get'>;
export type ListJobsQuery = QueryOf<'/api/v1/jobs', 'get'>;
export type ListProvidersQuery = QueryOf<'/api/v1/providers', 'get'>;
export type CreateProviderBody = BodyOf<'/api/v1/providers', 'post'>;
export type CreateNodeBody = BodyOf<'/api/v1/nodes', 'post'>;

/**
 * The `data:` of each `/api/v1/events` message (its `event:` line equals `type`). Written by hand: the
 * stream is text/event-stream, so the OpenAPI document cannot describe its messages.
 */
export type NodeEvent = { type: 'node'; id: string; providerId: string; name: string; state: NodeState; publicIps: string[]; privateIps: string[]; gone: boolean };
export type JobEvent = { type: 'job'; id: string; state: JobState; jobType: Job['type']; targetId: string; progress: number; error?: string | null };
/** Lines were added to job `id`'s log: `count` of them, ids `firstLineId`..`lastLineId`. Fetch them with `after=`. */
export type JobLogEvent = { type: 'job.log'; id: string; count: number; firstLineId: string; lastLineId: string };
export type ProviderEvent = { type: 'provider'; id: string; status: Provider['status']; lastSyncAt: string | null; summary?: Record<string, number> };
/** The server may have missed events (it lost its database connection for a while): refetch what you show. */
export type ResyncEvent = { type: 'resync' };
export type OvermindEvent = NodeEvent | JobEvent | JobLogEvent | ProviderEvent | ResyncEvent;

export const FINISHED_JOB_STATES: readonly JobState[] = ['succeeded', 'failed', 'cancelled'];
