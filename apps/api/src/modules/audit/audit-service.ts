import type { DataSource, EntityManager } from 'typeorm';
import { AuditEventEntity, type AuditEventRow } from '../../db/entities/index.js';
import type { Actor } from '../../lib/actor.js';
import { offset, type Page, type PageRequest } from '../../lib/pagination.js';

export interface AuditTarget {
  type: string;
  id: string | null;
}

export interface AuditFilter extends PageRequest {
  action?: string;
  actor?: string;
  targetId?: string;
  order: 'asc' | 'desc';
}

export function createAuditService(db: DataSource) {
  return {
    /** Records who did what to what, when and from where. Pass the transaction's manager when there is one. */
    async record(
      actor: Actor,
      action: string,
      target: AuditTarget | null,
      details: Record<string, unknown> = {},
      options: { manager?: EntityManager; outcome?: 'success' | 'failure' } = {},
    ): Promise<void> {
      await (options.manager ?? db.manager).insert(AuditEventEntity, {
        actorId: actor.id,
        actorName: actor.username,
        action,
        targetType: target?.type ?? null,
        targetId: target?.id ?? null,
        ip: actor.ip,
        requestId: actor.requestId,
        outcome: options.outcome ?? 'success',
        details: details as never,
      });
    },

    async list(filter: AuditFilter): Promise<Page<AuditEventRow>> {
      const qb = db.getRepository(AuditEventEntity).createQueryBuilder('a');
      if (filter.action) qb.andWhere('a.action = :action', { action: filter.action });
      if (filter.actor) qb.andWhere('lower(a.actorName) = lower(:actor)', { actor: filter.actor });
      if (filter.targetId) qb.andWhere('a.targetId = :targetId', { targetId: filter.targetId });
      qb.orderBy('a.id', filter.order === 'asc' ? 'ASC' : 'DESC').skip(offset(filter)).take(filter.limit);
      const [items, total] = await qb.getManyAndCount();
      return { items, total, page: filter.page, limit: filter.limit };
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
