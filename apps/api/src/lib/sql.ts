import type { EntityManager } from 'typeorm';

/** Runs an UPDATE/DELETE ... RETURNING and gives back its rows (TypeORM answers those with [rows, affected]). */
export async function returning<T>(manager: Pick<EntityManager, 'query'>, sql: string, params: unknown[]): Promise<T[]> {
  const [rows] = (await manager.query(sql, params)) as [T[], number];
  return rows;
}
