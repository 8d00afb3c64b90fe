import { ProviderError, type CreateNodeRequest, type OperationContext, type ProviderNetwork } from '@overmind/provider';
import type { OpenStackClient } from './openstack-client.js';
import type { NeutronFloatingIp, NeutronNetwork, NeutronPort, NeutronSubnet, NovaNetworks } from './openstack-types.js';

/** Server metadata keys recording the floating IP Overmind allocated, so destroy can release it. */
export const FLOATING_IP_ID_KEY = 'overmind-floating-ip-id';
export const FLOATING_IP_KEY = 'overmind-floating-ip';

/** The project's networks (its own, shared and external ones) with their subnets. */
export async function listNetworks(client: OpenStackClient, ctx?: OperationContext): Promise<ProviderNetwork[]> {
  const [networks, subnets] = await Promise.all([
    client.listNetwork<NeutronNetwork>('/v2.0/networks', 'networks', ctx),
    client.listNetwork<NeutronSubnet>('/v2.0/subnets', 'subnets', ctx),
  ]);
  return networks.map((n) => toNetwork(n, subnets));
}

export function toNetwork(network: NeutronNetwork, subnets: NeutronSubnet[]): ProviderNetwork {
  const own = subnets.filter((s) => s?.network_id === network.id);
  return {
    id: network.id,
    name: network.name || network.id,
    external: network['router:external'] === true,
    extra: {
      status: network.status ?? null,
      shared: network.shared ?? false,
      projectId: network.project_id ?? null,
      mtu: network.mtu ?? null,
      subnets: own.map((s) => ({ id: s.id, name: s.name ?? '', cidr: s.cidr ?? null, ipVersion: s.ip_version ?? null })),
    },
  };
}

/** Nova's microversion `a` is at least `b` (both `2.x`). */
export function microversionAtLeast(a: string, b: string): boolean {
  const [am = 0, an = 0] = a.split('.').map(Number);
  const [bm = 0, bn = 0] = b.split('.').map(Number);
  return am !== bm ? am > bm : an >= bn;
}

/**
 * The `networks` of a server create: the request's, else the provider's default, else `auto` where
 * Nova can resolve it (the project sees exactly one network it can attach, or none and Neutron can
 * auto-allocate one). Several networks and no choice is refused before anything is created.
 */
export async function resolveNetworks(
  client: OpenStackClient,
  request: Pick<CreateNodeRequest, 'networkIds'>,
  defaults: string[] | undefined,
  ctx?: OperationContext,
): Promise<NovaNetworks> {
  const chosen = request.networkIds ?? (defaults?.length ? defaults : undefined);
  if (chosen === 'auto' || chosen === 'none') return chosen;
  if (chosen?.length) return chosen.map((uuid) => ({ uuid }));
  const attachable = (await listNetworks(client, ctx)).filter((n) => !n.external);
  if (attachable.length === 1) return 'auto';
  if (attachable.length === 0 && (await canAutoAllocate(client, ctx))) return 'auto';
  const names = attachable.map((n) => `${n.name} (${n.id})`).join(', ');
  throw new ProviderError(
    attachable.length === 0
      ? 'The project has no network and Neutron cannot allocate one: give networkIds, or "none"'
      : `The project has several networks; choose networkIds among: ${names}`,
  );
}

async function canAutoAllocate(client: OpenStackClient, ctx?: OperationContext): Promise<boolean> {
  try {
    await client.get('network', '/v2.0/extensions/auto-allocated-topology', ctx);
    return true;
  } catch (err) {
    if (err instanceof ProviderError && err.status === 404) return false;
    throw err;
  }
}

/** The external network to take floating IPs from: the configured one, else the only one there is. */
export async function floatingNetwork(client: OpenStackClient, configured: string | undefined, ctx?: OperationContext): Promise<string> {
  if (configured) return configured;
  const external = (await listNetworks(client, ctx)).filter((n) => n.external);
  if (external.length === 1) return external[0]!.id;
  throw new ProviderError(
    external.length === 0
      ? 'A floating IP was asked for, but the project sees no external network'
      : `Several external networks; set floatingNetworkId to one of: ${external.map((n) => `${n.name} (${n.id})`).join(', ')}`,
  );
}

/** Allocates a floating IP on the server's first port (Nova has made its ports once the server is ACTIVE). */
export async function allocateFloatingIp(
  client: OpenStackClient,
  serverId: string,
  networkId: string,
  ctx?: OperationContext,
): Promise<NeutronFloatingIp> {
  const ports = await client.listNetwork<NeutronPort>('/v2.0/ports', 'ports', ctx, { device_id: serverId });
  const port = ports.find((p) => p?.fixed_ips?.some((ip) => ip?.ip_address?.includes('.')));
  if (!port) throw new ProviderError(`Server ${serverId} has no IPv4 port to give a floating IP`);
  const body = await client.request<{ floatingip?: NeutronFloatingIp }>('network', 'POST', '/v2.0/floatingips', {
    body: { floatingip: { floating_network_id: networkId, port_id: port.id, description: `overmind server ${serverId}` } },
    ctx,
  });
  const fip = body?.floatingip;
  if (!fip?.id || typeof fip.floating_ip_address !== 'string') throw new ProviderError('Neutron allocated a floating IP without an address');
  ctx?.log?.(`floating IP ${fip.floating_ip_address} on server ${serverId}`);
  return fip;
}

/** Releases a floating IP; one already gone is fine. */
export async function releaseFloatingIp(client: OpenStackClient, id: string, ctx?: OperationContext): Promise<void> {
  try {
    await client.request('network', 'DELETE', `/v2.0/floatingips/${encodeURIComponent(id)}`, { ctx });
    ctx?.log?.(`floating IP ${id} released`);
  } catch (err) {
    if (!(err instanceof ProviderError && err.status === 404)) throw err;
  }
}
