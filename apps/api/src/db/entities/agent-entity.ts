import { EntitySchema } from 'typeorm';

/** A one-time join token: only its hash is kept. */
export interface AgentTokenRow {
  id: string;
  tokenHash: string;
  /** The first characters, to tell tokens apart in a list. */
  prefix: string;
  /** The node an agent enrolled with it belongs to; null: the agent waits for approval. */
  nodeId: string | null;
  description: string | null;
  expiresAt: Date;
  createdBy: string | null;
  createdAt: Date;
  usedAt: Date | null;
  agentId: string | null;
  revokedAt: Date | null;
  revokedBy: string | null;
}

export const AgentTokenEntity = new EntitySchema<AgentTokenRow>({
  name: 'AgentToken',
  tableName: 'agent_tokens',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    tokenHash: { type: 'text', name: 'token_hash' },
    prefix: { type: 'text' },
    nodeId: { type: 'uuid', name: 'node_id', nullable: true },
    description: { type: 'text', nullable: true },
    expiresAt: { type: 'timestamptz', name: 'expires_at' },
    createdBy: { type: 'uuid', name: 'created_by', nullable: true },
    createdAt: { type: 'timestamptz', name: 'created_at', createDate: true },
    usedAt: { type: 'timestamptz', name: 'used_at', nullable: true },
    agentId: { type: 'uuid', name: 'agent_id', nullable: true },
    revokedAt: { type: 'timestamptz', name: 'revoked_at', nullable: true },
    revokedBy: { type: 'uuid', name: 'revoked_by', nullable: true },
  },
});

export const AGENT_STATUSES = ['pending', 'active', 'rejected', 'revoked'] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

export interface AgentRow {
  id: string;
  nodeId: string | null;
  /** base64url raw Ed25519 public key: the only thing the server knows of the agent's key. */
  publicKey: string;
  status: AgentStatus;
  hostname: string;
  agentVersion: string;
  capabilities: string[];
  tokenId: string | null;
  connected: boolean;
  /** The connection (random id, one per socket) the `connected` state belongs to: a late disconnect of an older one changes nothing. */
  connectionId: string | null;
  /** When it last connected or disconnected. */
  stateSince: Date;
  lastSeenAt: Date | null;
  lastRunId: string | null;
  facts: Record<string, unknown> | null;
  factsHash: string | null;
  createdAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
}

export const AgentEntity = new EntitySchema<AgentRow>({
  name: 'Agent',
  tableName: 'agents',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    nodeId: { type: 'uuid', name: 'node_id', nullable: true },
    publicKey: { type: 'text', name: 'public_key' },
    status: { type: 'text' },
    hostname: { type: 'text' },
    agentVersion: { type: 'text', name: 'agent_version' },
    capabilities: { type: 'text', array: true },
    tokenId: { type: 'uuid', name: 'token_id', nullable: true },
    connected: { type: 'boolean' },
    connectionId: { type: 'text', name: 'connection_id', nullable: true },
    stateSince: { type: 'timestamptz', name: 'state_since' },
    lastSeenAt: { type: 'timestamptz', name: 'last_seen_at', nullable: true },
    lastRunId: { type: 'uuid', name: 'last_run_id', nullable: true },
    facts: { type: 'jsonb', nullable: true },
    factsHash: { type: 'text', name: 'facts_hash', nullable: true },
    createdAt: { type: 'timestamptz', name: 'created_at', createDate: true },
    decidedBy: { type: 'uuid', name: 'decided_by', nullable: true },
    decidedAt: { type: 'timestamptz', name: 'decided_at', nullable: true },
  },
});

export const RUN_STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'timed-out'] as const;
export type RunState = (typeof RUN_STATES)[number];
export const OPEN_RUN_STATES: readonly RunState[] = ['queued', 'running'];

/** Work for one node's agent, part of a job. Its spec is sealed: a converge's holds secret attributes, a command's its environment. */
export interface AgentRunRow {
  id: string;
  jobId: string;
  nodeId: string;
  agentId: string | null;
  kind: 'command' | 'converge';
  specEnc: string;
  state: RunState;
  deadline: Date;
  createdAt: Date;
  acceptedAt: Date | null;
  finishedAt: Date | null;
  exitCode: number | null;
  signal: string | null;
  summary: string | null;
  error: string | null;
  failedStep: string | null;
  logLines: number | null;
  durationMs: number | null;
}

export const AgentRunEntity = new EntitySchema<AgentRunRow>({
  name: 'AgentRun',
  tableName: 'agent_runs',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    jobId: { type: 'uuid', name: 'job_id' },
    nodeId: { type: 'uuid', name: 'node_id' },
    agentId: { type: 'uuid', name: 'agent_id', nullable: true },
    kind: { type: 'text' },
    specEnc: { type: 'text', name: 'spec_enc' },
    state: { type: 'text' },
    deadline: { type: 'timestamptz' },
    createdAt: { type: 'timestamptz', name: 'created_at', createDate: true },
    acceptedAt: { type: 'timestamptz', name: 'accepted_at', nullable: true },
    finishedAt: { type: 'timestamptz', name: 'finished_at', nullable: true },
    exitCode: { type: 'integer', name: 'exit_code', nullable: true },
    signal: { type: 'text', nullable: true },
    summary: { type: 'text', nullable: true },
    error: { type: 'text', nullable: true },
    failedStep: { type: 'text', name: 'failed_step', nullable: true },
    logLines: { type: 'integer', name: 'log_lines', nullable: true },
    durationMs: { type: 'integer', name: 'duration_ms', nullable: true },
  },
});
