import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { OvermindApiError } from './api-error.js';
import { idempotencyHeader, untilNotInProgress, type IdempotencyOptions } from './idempotency.js';
import type { paths } from './schema.js';
import {
  FINISHED_JOB_STATES,
  type CreateNodeBody,
  type CreateProviderBody,
  type Job,
  type ListJobsQuery,
  type ListNodesQuery,
  type ListProvidersQuery,
  type NodeMetricsQuery,
} from './types.js';

export interface OvermindClientOptions {
  /** Origin of the API, e.g. `http://127.0.0.1:8080` (the SDK adds `/api/v1/...`). */
  baseUrl: string;
  /** A login or API token (`om_...`); `login()` replaces it. */
  token?: string;
  /** Reads the token for every request instead (e.g. from sessionStorage); wins over `token`. */
  getToken?: () => string | undefined | null;
  /** Replaces the global fetch (tests, custom agents). */
  fetch?: typeof fetch;
}

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
}

type Result<T> = { data?: T; error?: unknown; response: Response };

/** Turns an openapi-fetch result into its data, or throws the API's problem as OvermindApiError. */
async function unwrap<T>(pending: Promise<Result<T>>): Promise<T> {
  const { data, error, response } = await pending;
  if (!response.ok) throw OvermindApiError.from(response, error);
  return data as T;
}

export function createOvermindClient(options: OvermindClientOptions) {
  let token = options.token;
  const currentToken = () => (options.getToken ? options.getToken() : token) ?? undefined;
  const raw: Client<paths> = createClient<paths>({ baseUrl: options.baseUrl.replace(/\/$/, ''), fetch: options.fetch });
  const auth: Middleware = {
    onRequest({ request }) {
      const value = currentToken();
      if (value) request.headers.set('authorization', `Bearer ${value}`);
      return request;
    },
  };
  raw.use(auth);
  const id = (value: string) => ({ params: { path: { id: value } } });
  /** A creating request, with its key when given, repeated while its first copy still runs. */
  const create = <T extends Result<unknown>>(options: IdempotencyOptions, send: (header: ReturnType<typeof idempotencyHeader>) => Promise<T>) =>
    options.idempotencyKey === undefined ? send(undefined) : untilNotInProgress(() => send(idempotencyHeader(options.idempotencyKey)), options.inProgressTimeoutMs);

  const client = {
    /** The typed openapi-fetch client, for every operation without a convenience method. */
    raw,
    setToken(value: string | undefined) {
      token = value;
    },
    async login(username: string, password: string) {
      const result = await unwrap(raw.POST('/api/v1/auth/login', { body: { username, password } }));
      token = result.token;
      return result;
    },
    getCurrentUser: () => unwrap(raw.GET('/api/v1/auth/me')),
    listNodes: (query: ListNodesQuery = {}) => unwrap(raw.GET('/api/v1/nodes', { params: { query } })),
    summarizeNodes: () => unwrap(raw.GET('/api/v1/nodes/summary')),
    getNode: (nodeId: string) => unwrap(raw.GET('/api/v1/nodes/{id}', id(nodeId))),
    /** A node's readings history (`name`: `cpu.total`, `memory.used_pct`, `fs./.used_pct`...), at most about 1,000 points per series. */
    getNodeMetrics: (nodeId: string, query: NodeMetricsQuery) => unwrap(raw.GET('/api/v1/nodes/{id}/metrics', { params: { path: { id: nodeId }, query } })),
    listNodeMetricSeries: (nodeId: string) => unwrap(raw.GET('/api/v1/nodes/{id}/metrics/series', id(nodeId))),
    /** Queues the node's creation; answers with the job (the node id is its `targetId`). */
    createNode: (body: CreateNodeBody, options: IdempotencyOptions = {}) =>
      unwrap(create(options, (header) => raw.POST('/api/v1/nodes', { body, params: { header } }))),
    rebootNode: (nodeId: string) => unwrap(raw.POST('/api/v1/nodes/{id}/reboot', id(nodeId))),
    startNode: (nodeId: string) => unwrap(raw.POST('/api/v1/nodes/{id}/start', id(nodeId))),
    stopNode: (nodeId: string) => unwrap(raw.POST('/api/v1/nodes/{id}/stop', id(nodeId))),
    destroyNode: (nodeId: string) => unwrap(raw.DELETE('/api/v1/nodes/{id}', id(nodeId))),
    listJobs: (query: ListJobsQuery = {}) => unwrap(raw.GET('/api/v1/jobs', { params: { query } })),
    getJob: (jobId: string) => unwrap(raw.GET('/api/v1/jobs/{id}', id(jobId))),
    getJobLogs: (jobId: string, after?: number) =>
      unwrap(raw.GET('/api/v1/jobs/{id}/logs', { params: { path: { id: jobId }, query: after === undefined ? {} : { after } } })),
    listProviders: (query: ListProvidersQuery = {}) => unwrap(raw.GET('/api/v1/providers', { params: { query } })),
    getProvider: (providerId: string) => unwrap(raw.GET('/api/v1/providers/{id}', id(providerId))),
    createProvider: (body: CreateProviderBody, options: IdempotencyOptions = {}) =>
      unwrap(create(options, (header) => raw.POST('/api/v1/providers', { body, params: { header } }))),
    listProviderTypes: () => unwrap(raw.GET('/api/v1/provider-types')),

    /** Polls the job until it has finished (succeeded, failed or cancelled) and returns it. */
    async waitForJob(jobId: string, { timeoutMs = 60_000, intervalMs = 250 }: WaitOptions = {}): Promise<Job> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const job = await client.getJob(jobId);
        if (FINISHED_JOB_STATES.includes(job.state)) return job;
        if (Date.now() + intervalMs > deadline) throw new Error(`job ${jobId} still ${job.state} after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, intervalMs));
      }
    },

    /** URL of the Server-Sent Events stream; EventSource cannot send headers, so the token rides along. */
    eventsUrl(): string {
      const url = new URL('/api/v1/events', options.baseUrl);
      const value = currentToken();
      if (value) url.searchParams.set('access_token', value);
      return url.toString();
    },
  };
  return client;
}

export type OvermindClient = ReturnType<typeof createOvermindClient>;
