import { Type } from 'typebox';
import type { AgentRow, AgentTokenRow } from '../../db/entities/index.js';
import { AGENT_STATUSES } from '../../db/entities/index.js';
import { DateTime, Nullable, NullableDateTime, Uuid } from '../../lib/schemas.js';
import { AGENT_PREFIX_PATTERN } from './agent-prefix.js';
import { tokenState } from './agent-token-service.js';

export const AgentTokenStateSchema = Type.Enum(['valid', 'used', 'expired', 'revoked']);

export const AgentTokenSchema = Type.Object(
  {
    id: Uuid,
    prefix: Type.String({ description: 'The first characters of the token, to tell tokens apart' }),
    nodeId: Nullable(Uuid),
    description: Nullable(Type.String()),
    state: AgentTokenStateSchema,
    expiresAt: DateTime,
    createdBy: Nullable(Uuid),
    createdAt: DateTime,
    usedAt: NullableDateTime,
    agentId: Nullable(Uuid),
    revokedAt: NullableDateTime,
  },
  { title: 'AgentToken' },
);

export const CreatedAgentTokenSchema = Type.Object(
  {
    ...AgentTokenSchema.properties,
    token: Type.String({ description: 'The join token: shown this once, never again. Give it to `overmind-agent enroll`.' }),
  },
  { title: 'CreatedAgentToken' },
);

export const CreateAgentTokenBody = Type.Object(
  {
    ttlSeconds: Type.Optional(Type.Integer({ minimum: 60, maximum: 30 * 86400, description: 'How long it may be used; default one hour, at most 30 days' })),
    nodeId: Type.Optional(Nullable(Uuid)),
    description: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  },
  { additionalProperties: false },
);

export const AgentStatusSchema = Type.Enum([...AGENT_STATUSES]);

export const AgentSchema = Type.Object(
  {
    id: Uuid,
    nodeId: Nullable(Uuid),
    status: AgentStatusSchema,
    hostname: Type.String(),
    agentVersion: Type.String(),
    capabilities: Type.Array(Type.String()),
    connected: Type.Boolean(),
    since: DateTime,
    lastSeenAt: NullableDateTime,
    lastRunId: Nullable(Uuid),
    publicKey: Type.String({ description: 'Its Ed25519 public key (base64url); the private key never left the node' }),
    createdAt: DateTime,
    decidedBy: Nullable(Uuid),
    decidedAt: NullableDateTime,
  },
  { title: 'Agent' },
);

export const AgentDetailSchema = Type.Object(
  { ...AgentSchema.properties, facts: Nullable(Type.Record(Type.String(), Type.Unknown(), { description: 'What the agent reported of its host' })) },
  { title: 'AgentDetail' },
);

export const AgentReleaseSchema = Type.Object(
  {
    version: Type.String(),
    sha256: Type.String({ description: 'Hex SHA-256 of the file GET /agent/download answers' }),
    bytes: Type.Integer(),
    downloadUrl: Type.String(),
    installScriptUrl: Type.String(),
    serviceUnitUrl: Type.String(),
    serverUrl: Type.String({ description: 'The URL agents are given to reach this API (OVERMIND_PUBLIC_URL)' }),
  },
  { title: 'AgentRelease' },
);

export function agentTokenView(row: AgentTokenRow) {
  return { ...row, state: tokenState(row) };
}

export function agentView(row: AgentRow) {
  return { ...row, since: row.stateSince };
}

export const AgentPrefix = Type.String({
  pattern: AGENT_PREFIX_PATTERN,
  maxLength: 255,
  description: "Every path of the agent under this root (install.sh's OVERMIND_AGENT_PREFIX), installed as the login user without sudo or systemd: for logins that may not become root",
});

export const AgentInstallBody = Type.Object({ prefix: Type.Optional(AgentPrefix) }, { additionalProperties: false, title: 'AgentInstallRequest' });
