/** Network interfaces from `ip -o addr` / `ip -o link`, or /sys/class/net when iproute2 is missing. */
import type { NodeFacts } from '@overmind/provider';

type Network = NonNullable<NodeFacts['network']>;
type Interface = Network['interfaces'][number];

function iface(map: Map<string, Interface>, name: string): Interface {
  let entry = map.get(name);
  if (!entry) {
    entry = { name, addresses: [] };
    map.set(name, entry);
  }
  return entry;
}

export function parseInterfaces(ipAddr: string, ipLink: string, sysnet: string, route: string): Network | undefined {
  const map = new Map<string, Interface>();

  // `2: eth0: <BROADCAST,...> mtu 1500 qdisc ... state UP ...\    link/ether 02:fc:... brd ...`
  for (const line of ipLink.split('\n')) {
    const match = /^\d+:\s+([^:@\s]+)(?:@\S+)?:\s+<[^>]*>(.*)$/.exec(line.trim());
    if (!match) continue;
    const entry = iface(map, match[1]!);
    const rest = match[2]!;
    const mtu = /\bmtu (\d+)/.exec(rest);
    const state = /\bstate (\S+)/.exec(rest);
    const mac = /link\/\S+ ([0-9a-f]{2}(?::[0-9a-f]{2}){5})/i.exec(rest);
    if (mtu) entry.mtu = Number(mtu[1]);
    if (state) entry.state = state[1]!.toLowerCase();
    if (mac) entry.mac = mac[1]!.toLowerCase();
  }

  // Fallback and complement: `eth0 02:fc:00:00:00:01 1400 up`
  for (const line of sysnet.split('\n')) {
    const [name, mac, mtu, state] = line.trim().split(/\s+/);
    if (!name) continue;
    const entry = iface(map, name);
    if (!entry.mac && mac && /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(mac)) entry.mac = mac.toLowerCase();
    if (entry.mtu === undefined && mtu && /^\d+$/.test(mtu)) entry.mtu = Number(mtu);
    if (!entry.state && state) entry.state = state.toLowerCase();
  }

  // `4: eth0    inet 192.0.2.2/24 brd 192.0.2.255 scope global eth0\ ...`
  for (const line of ipAddr.split('\n')) {
    const match = /^\d+:\s+(\S+)\s+(inet6?)\s+([0-9a-fA-F.:]+)\/(\d+)/.exec(line.trim());
    if (!match) continue;
    iface(map, match[1]!).addresses.push({ family: match[2] as 'inet' | 'inet6', address: match[3]!, prefixLength: Number(match[4]) });
  }

  if (map.size === 0) return undefined;
  const gateway = /^default via (\S+)/m.exec(route)?.[1];
  return { interfaces: [...map.values()], ...(gateway ? { defaultGateway: gateway } : {}) };
}
