import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';

interface PgQueryable {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: Record<string, any>[] }>;
}

/**
 * Runs `text` as a named prepared statement, on pg directly: Postgres parses and plans it once per
 * connection rather than on every call, which TypeORM's `query` (unnamed statements) cannot do. For
 * the hottest statements only (the node list, every action's enqueue, the worker's claims and
 * successes, the batched NOTIFY after commit): the ORM's query logging does not see them. `on` is a transaction's manager (its connection) or the DataSource (its pool).
 * The name is the text's hash: the same name never stands for two texts on one connection.
 */
export async function preparedQuery(on: DataSource | EntityManager, text: string, values: unknown[]): Promise<Record<string, any>[]> {
  const name = `om_${createHash('sha1').update(text).digest('base64url').slice(0, 16)}`;
  const runner = 'queryRunner' in on ? on.queryRunner : undefined;
  const target = runner ? ((await runner.connect()) as PgQueryable) : poolOf('driver' in on ? on : on.connection);
  return (await target.query({ name, text, values })).rows;
}

const poolOf = (db: DataSource) => (db.driver as unknown as { master: PgQueryable }).master;
