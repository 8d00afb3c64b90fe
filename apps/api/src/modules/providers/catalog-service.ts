import type { ProviderDriver } from '@overmind/provider';
import type { DataSource } from 'typeorm';
import { CatalogItemEntity, type CatalogItemRow, type CatalogKind } from '../../db/entities/index.js';
import type { Actor } from '../../lib/actor.js';
import { NotFoundError, UnprocessableError } from '../../lib/errors.js';
import type { AuditService } from '../audit/audit-service.js';
import { likePattern, offset, type Page, type PageRequest } from '../../lib/pagination.js';

export interface CatalogFilter extends PageRequest {
  search?: string;
  favourite?: boolean;
}

const LISTERS = {
  image: 'listImages',
  size: 'listSizes',
  location: 'listLocations',
  network: 'listNetworks',
} as const satisfies Record<CatalogKind, keyof ProviderDriver>;

/** Networks a create may name: ids, `auto` (the provider picks) or `none`. */
export type NetworkChoice = string[] | 'auto' | 'none';

/** The per-provider cache of images, sizes, locations and networks, with image favourites and last-used marks. */
export function createCatalogService(db: DataSource, audit: Pick<AuditService, 'record'>) {
  const items = db.getRepository(CatalogItemEntity);

  return {
    /** Replaces the cached catalog with what the provider lists now; keeps favourites and last-used marks. */
    async refresh(providerId: string, driver: ProviderDriver, signal?: AbortSignal): Promise<Record<CatalogKind, number>> {
      const counts = { image: 0, size: 0, location: 0, network: 0 };
      for (const kind of Object.keys(LISTERS) as CatalogKind[]) {
        const lister = driver[LISTERS[kind]];
        if (!lister) continue;
        const listed = await lister.call(driver, { signal });
        const rows = listed.map((item) => ({ id: item.id, name: item.name, data: item }));
        await db.transaction(async (m) => {
          await m.query(
            `INSERT INTO catalog_items (provider_id, kind, item_id, name, data, refreshed_at)
             SELECT $1, $2, r.id, r.name, r.data, now() FROM jsonb_to_recordset($3::jsonb) AS r(id text, name text, data jsonb)
             ON CONFLICT (provider_id, kind, item_id)
             DO UPDATE SET name = excluded.name, data = excluded.data, refreshed_at = excluded.refreshed_at`,
            [providerId, kind, JSON.stringify(rows)],
          );
          await m.query(
            `DELETE FROM catalog_items WHERE provider_id = $1 AND kind = $2 AND NOT (item_id = ANY($3::text[]))`,
            [providerId, kind, rows.map((r) => r.id)],
          );
        });
        counts[kind] = rows.length;
      }
      await db.query('UPDATE providers SET catalog_refreshed_at = now() WHERE id = $1', [providerId]);
      return counts;
    },

    /** Favourites first, then recently used, then by name. */
    async list(providerId: string, kind: CatalogKind, filter: CatalogFilter): Promise<Page<CatalogItemRow>> {
      const qb = items
        .createQueryBuilder('c')
        .where('c.providerId = :providerId AND c.kind = :kind', { providerId, kind });
      if (filter.search) {
        qb.andWhere('(c.name ILIKE :s OR c.itemId ILIKE :s)', { s: likePattern(filter.search) });
      }
      if (filter.favourite !== undefined) qb.andWhere('c.favourite = :f', { f: filter.favourite });
      qb.orderBy('c.favourite', 'DESC')
        .addOrderBy('c.lastUsedAt', 'DESC', 'NULLS LAST')
        .addOrderBy('c.name', 'ASC')
        .skip(offset(filter))
        .take(filter.limit);
      const [rows, total] = await qb.getManyAndCount();
      return { items: rows, total, page: filter.page, limit: filter.limit };
    },

    async setFavourite(actor: Actor, providerId: string, itemId: string, favourite: boolean): Promise<CatalogItemRow> {
      return db.transaction(async (m) => {
        const result = await m.update(CatalogItemEntity, { providerId, kind: 'image', itemId }, { favourite });
        if (!result.affected) throw new NotFoundError('Image', itemId);
        await audit.record(actor, favourite ? 'image.favourite' : 'image.unfavourite', { type: 'provider', id: providerId }, { imageId: itemId }, { manager: m });
        return m.findOneByOrFail(CatalogItemEntity, { providerId, kind: 'image', itemId });
      });
    },

    async markUsed(manager: DataSource['manager'], providerId: string, ids: { image?: string; size?: string; location?: string }): Promise<void> {
      await manager.query(
        `UPDATE catalog_items SET last_used_at = now()
          WHERE provider_id = $1 AND ((kind = 'image' AND item_id = $2) OR (kind = 'size' AND item_id = $3) OR (kind = 'location' AND item_id = $4))`,
        [providerId, ids.image ?? null, ids.size ?? null, ids.location ?? null],
      );
    },

    /** Ids among those given that the cached catalog does not have, for kinds that have a cache at all. */
    async unknownIds(providerId: string, ids: Partial<Record<CatalogKind, string>>): Promise<CatalogKind[]> {
      const rows: { kind: CatalogKind; known: boolean }[] = await db.query(
        `SELECT kind, bool_or(item_id = ($2::jsonb ->> kind)) AS known
           FROM catalog_items WHERE provider_id = $1 AND $2::jsonb ? kind GROUP BY kind`,
        [providerId, JSON.stringify(ids)],
      );
      return rows.filter((r) => !r.known).map((r) => r.kind);
    },

    /**
     * Refuses, before anything is sent, networks a create cannot have: ids the cached networks do not
     * hold, or no choice (or `auto`) where the provider has several networks to attach and no default
     * (its `networkIds` setting). Providers without cached networks decide for themselves.
     */
    async checkNetworks(
      provider: { id: string; name: string; settings: Record<string, unknown> },
      choice: NetworkChoice | null | undefined,
      field: string,
    ): Promise<void> {
      const rows: { id: string; name: string; external: boolean }[] = await db.query(
        `SELECT item_id AS id, name, coalesce((data ->> 'external')::boolean, false) AS external
           FROM catalog_items WHERE provider_id = $1 AND kind = 'network' ORDER BY name, item_id`,
        [provider.id],
      );
      if (rows.length === 0 || choice === 'none') return;
      const attachable = rows.filter((r) => !r.external);
      const choices = `choose among: ${attachable.map((r) => `${r.name} (${r.id})`).join(', ') || 'none'}`;
      const refuse = (message: string) => {
        throw new UnprocessableError(`${field} ${message}`, { errors: [{ field, message }], networks: attachable });
      };
      if (Array.isArray(choice)) {
        const unknown = choice.filter((id) => !rows.some((r) => r.id === id));
        if (unknown.length > 0) refuse(`${unknown.join(', ')}: not a network of provider ${provider.name}; ${choices}`);
        return;
      }
      const defaults = provider.settings.networkIds;
      if (choice === undefined || choice === null) {
        if (Array.isArray(defaults) && defaults.length > 0) return;
      }
      if (attachable.length > 1) {
        refuse(`is needed: provider ${provider.name} has several networks and ${choice === 'auto' ? 'cannot pick one itself' : 'no default'}; ${choices}, or "none"`);
      }
    },
  };
}

export type CatalogService = ReturnType<typeof createCatalogService>;
