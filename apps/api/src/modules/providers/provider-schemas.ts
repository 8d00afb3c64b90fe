import { CAPABILITIES } from '@overmind/provider';
import { Type } from 'typebox';
import type { CatalogItemRow, ProviderRow } from '../../db/entities/index.js';
import { DateTime, Nullable, NullableDateTime, Uuid } from '../../lib/schemas.js';

const Json = Type.Record(Type.String(), Type.Unknown());

export const CapabilitySchema = Type.Enum(CAPABILITIES);

/** Networks of a new node: ids from the provider's networks, `auto` (the provider picks) or `none`. */
export const NetworkChoiceSchema = Type.Union(
  [
    Type.Array(Type.String({ minLength: 1, maxLength: 512 }), { minItems: 1, maxItems: 16, uniqueItems: true }),
    Type.Literal('auto'),
    Type.Literal('none'),
  ],
  { title: 'NetworkChoice', description: "Network ids, `auto` or `none`; absent: the provider's default" },
);

export const ProviderTypeSchema = Type.Object(
  {
    kind: Type.String(),
    displayName: Type.String(),
    description: Type.String(),
    credentialSchema: Json,
    settingsSchema: Json,
    registrationSchema: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'What registering an existing server takes (POST /providers/{id}/nodes), for types that register servers' })),
    endpointSettings: Type.Array(Type.String(), {
      description: 'Settings that decide where the credentials are sent; changing one needs the credentials again',
    }),
    capabilities: Type.Array(CapabilitySchema),
  },
  { title: 'ProviderType' },
);

export const ProviderSchema = Type.Object(
  {
    id: Uuid,
    type: Type.String(),
    name: Type.String(),
    settings: Json,
    status: Type.Union([Type.Literal('ok'), Type.Literal('error'), Type.Literal('unknown')]),
    statusMessage: Nullable(Type.String()),
    syncIntervalSeconds: Type.Integer(),
    lastSyncAt: NullableDateTime,
    lastSyncStatus: Nullable(Type.String()),
    catalogRefreshedAt: NullableDateTime,
    nodeCount: Type.Optional(Type.Integer()),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { title: 'Provider', description: 'Credentials are write-only and never returned' },
);

export const ProviderName = Type.String({ minLength: 1, maxLength: 100 });
export const SyncInterval = Type.Integer({ minimum: 60, maximum: 86400, description: 'Seconds between scheduled syncs' });

export const CatalogItemSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    favourite: Type.Boolean(),
    lastUsedAt: NullableDateTime,
    data: Json,
  },
  { title: 'CatalogItem' },
);

export function providerView(p: ProviderRow & { nodeCount?: number }) {
  const { credentialsEnc: _secret, deletedAt: _deleted, createdBy: _by, ...rest } = p;
  return rest;
}

export function catalogView(c: CatalogItemRow) {
  return { id: c.itemId, name: c.name, favourite: c.favourite, lastUsedAt: c.lastUsedAt, data: c.data };
}
