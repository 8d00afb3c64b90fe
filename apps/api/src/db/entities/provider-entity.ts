import { EntitySchema } from 'typeorm';

export type ProviderStatus = 'ok' | 'error' | 'unknown';

export interface ProviderRow {
  id: string;
  type: string;
  name: string;
  /** AES-256-GCM sealed JSON; never leaves the service. */
  credentialsEnc: string;
  settings: Record<string, unknown>;
  status: ProviderStatus;
  statusMessage: string | null;
  syncIntervalSeconds: number;
  lastSyncAt: Date | null;
  lastSyncStatus: string | null;
  catalogRefreshedAt: Date | null;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
}

export const ProviderEntity = new EntitySchema<ProviderRow>({
  name: 'Provider',
  tableName: 'providers',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    type: { type: 'text' },
    name: { type: 'text' },
    credentialsEnc: { type: 'text', name: 'credentials_enc' },
    settings: { type: 'jsonb' },
    status: { type: 'text' },
    statusMessage: { type: 'text', name: 'status_message', nullable: true },
    syncIntervalSeconds: { type: 'integer', name: 'sync_interval_seconds' },
    lastSyncAt: { type: 'timestamptz', name: 'last_sync_at', nullable: true },
    lastSyncStatus: { type: 'text', name: 'last_sync_status', nullable: true },
    catalogRefreshedAt: { type: 'timestamptz', name: 'catalog_refreshed_at', nullable: true },
    createdBy: { type: 'uuid', name: 'created_by', nullable: true },
    createdAt: { type: 'timestamptz', name: 'created_at', createDate: true },
    updatedAt: { type: 'timestamptz', name: 'updated_at', updateDate: true },
    deletedAt: { type: 'timestamptz', name: 'deleted_at', nullable: true },
  },
});

export type CatalogKind = 'image' | 'size' | 'location' | 'network';

export interface CatalogItemRow {
  providerId: string;
  kind: CatalogKind;
  itemId: string;
  name: string;
  data: Record<string, unknown>;
  favourite: boolean;
  lastUsedAt: Date | null;
  refreshedAt: Date;
}

export const CatalogItemEntity = new EntitySchema<CatalogItemRow>({
  name: 'CatalogItem',
  tableName: 'catalog_items',
  columns: {
    providerId: { type: 'uuid', name: 'provider_id', primary: true },
    kind: { type: 'text', primary: true },
    itemId: { type: 'text', name: 'item_id', primary: true },
    name: { type: 'text' },
    data: { type: 'jsonb' },
    favourite: { type: 'boolean', default: false },
    lastUsedAt: { type: 'timestamptz', name: 'last_used_at', nullable: true },
    refreshedAt: { type: 'timestamptz', name: 'refreshed_at' },
  },
});
