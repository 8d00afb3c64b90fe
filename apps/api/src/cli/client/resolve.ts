import type { Node, Provider } from '@overmind/sdk';
import { CliFailure } from '../failures.js';
import type { Connection } from './api.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function only<T extends { id: string; name: string }>(kind: string, name: string, found: T[]): T {
  const exact = found.filter((f) => f.name === name);
  if (exact.length === 1) return exact[0]!;
  if (exact.length === 0) throw new CliFailure(`no ${kind} named "${name}"`);
  throw new CliFailure(`several ${kind}s are named "${name}" (${exact.map((e) => e.id).join(', ')}): name one by its id`);
}

/** A node named by its id or its name (names are unique per provider, so a name may need an id). */
export async function findNode(conn: Connection, idOrName: string): Promise<Node> {
  if (UUID.test(idOrName)) return conn.client.getNode(idOrName);
  const page = await conn.client.listNodes({ search: idOrName, limit: 200 });
  return only('node', idOrName, page.items);
}

export async function findProvider(conn: Connection, idOrName: string): Promise<Provider> {
  if (UUID.test(idOrName)) return conn.client.getProvider(idOrName);
  const page = await conn.client.listProviders({ search: idOrName, limit: 200 });
  return only('provider', idOrName, page.items);
}

export const isUuid = (value: string) => UUID.test(value);
