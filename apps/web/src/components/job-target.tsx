import { Link } from 'react-router';
import { useConstellation } from '../api/constellation-queries.js';
import { useNodeNames } from '../api/node-names.js';
import { useProvider } from '../api/provider-queries.js';
import { useServerRole } from '../api/server-role-queries.js';

/** What a job works on, by name and linked to its page; the id until the name has loaded (or when it is gone). */
export function JobTarget({ type, id }: { type: string; id: string }) {
  switch (type) {
    case 'node': return <NodeTarget id={id} />;
    case 'provider': return <ProviderTarget id={id} />;
    case 'constellation': return <ConstellationTarget id={id} />;
    case 'server-role': return <ServerRoleTarget id={id} />;
    default: return <>{type} {id}</>;
  }
}

function NamedTarget({ kind, to, name }: { kind: string; to: string; name: string }) {
  return <>{kind} <Link to={to}>{name}</Link></>;
}

function NodeTarget({ id }: { id: string }) {
  return <NamedTarget kind="node" to={`/nodes/${id}`} name={useNodeNames([id]).get(id) ?? id} />;
}

function ProviderTarget({ id }: { id: string }) {
  return <NamedTarget kind="provider" to={`/providers/${id}`} name={useProvider(id).data?.name ?? id} />;
}

function ConstellationTarget({ id }: { id: string }) {
  return <NamedTarget kind="constellation" to={`/constellations/${id}`} name={useConstellation(id).data?.name ?? id} />;
}

function ServerRoleTarget({ id }: { id: string }) {
  return <NamedTarget kind="server role" to={`/configuration/roles/${id}`} name={useServerRole(id).data?.name ?? id} />;
}
