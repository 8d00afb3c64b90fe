import { Link } from 'react-router';
import { useNode } from '../api/node-queries.js';

/** A link to a node by id, named once its name is known (agents and tokens name their node by id only). */
export function NodeLink({ id }: { id: string }) {
  const node = useNode(id);
  return <Link to={`/nodes/${id}`}>{node.data?.name ?? `node ${id.slice(0, 8)}`}</Link>;
}
