/**
 * A Neutron stand-in for the OpenStack peer (../shared/peers/openstack-peer.sh), replacing the peer's
 * one-network stub on 127.0.0.1:9696 where Nova and Keystone's catalog expect Neutron. It keeps the
 * stub's behaviour (ports Nova creates, binds and deletes; auto-allocated topology; quotas) and adds
 * what the tests need: more project networks, an external network and floating IPs. Every address
 * is on loopback (127.20-23.0.x), so nothing that tries to reach a server leaves this machine.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

type Obj = Record<string, unknown>;

export interface StandInNetwork {
  id: string;
  name: string;
  /** First three octets of the /24 on loopback, e.g. `127.20.0`. */
  prefix: string;
  external?: boolean;
}

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const err = (type: string, message: string) => ({ NeutronError: { type, message, detail: '' } });
const EXTENSIONS = ['binding', 'external-net', 'security-group', 'quotas', 'quota_details', 'auto-allocated-topology', 'network-mtu', 'port-security', 'router'];
// Collections that are simply empty here.
const EMPTY = new Set(['routers', 'security-group-rules', 'trunks', 'segments', 'subnetpools', 'address-scopes', 'network-ip-availabilities', 'agents', 'availability_zones', 'rbac-policies', 'port_forwardings', 'qos']);

export class NeutronStandIn {
  readonly networks: Obj[] = [];
  readonly subnets: Obj[] = [];
  readonly ports = new Map<string, Obj>();
  /** Every error answer given, for a failed test to print (Nova aborts a build on one). */
  readonly errors: string[] = [];
  readonly floatingIps = new Map<string, Obj>();
  /** Requests it does not implement, as `METHOD path`: a test expects none. */
  readonly unimplemented: string[] = [];
  readonly #securityGroup: Obj;
  #server: Server | undefined;

  constructor(readonly projectId: string, readonly adminProjectId: string) {
    this.#securityGroup = this.#std(projectId, { id: randomUUID(), name: 'default', stateful: true, description: 'Default security group', security_group_rules: [] });
  }

  #std(project: string, fields: Obj): Obj {
    return { tenant_id: project, project_id: project, description: '', tags: [], created_at: now(), updated_at: now(), revision_number: 1, ...fields };
  }

  addNetwork(n: StandInNetwork): void {
    const subnetId = randomUUID();
    const owner = n.external ? this.adminProjectId : this.projectId;
    this.networks.push(this.#std(owner, {
      id: n.id, name: n.name, status: 'ACTIVE', admin_state_up: true, subnets: [subnetId], shared: false, mtu: 1450,
      port_security_enabled: true, availability_zones: ['nova'], availability_zone_hints: [], is_default: false,
      ipv4_address_scope: null, ipv6_address_scope: null, 'router:external': n.external === true,
    }));
    this.subnets.push(this.#std(owner, {
      id: subnetId, name: `${n.name}-subnet`, network_id: n.id, ip_version: 4, cidr: `${n.prefix}.0/24`, gateway_ip: `${n.prefix}.1`,
      enable_dhcp: !n.external, allocation_pools: [{ start: `${n.prefix}.10`, end: `${n.prefix}.254` }], dns_nameservers: [],
      host_routes: [], ipv6_ra_mode: null, ipv6_address_mode: null, subnetpool_id: null, segment_id: null, service_types: [],
    }));
  }

  async listen(port = 9696): Promise<void> {
    this.#server = createServer((req, res) => void this.#handle(req, res));
    // Nova keeps its connections to Neutron open in a pool and reuses them: with Node's 5 s keep-alive
    // a request Nova sends just as the server closes the idle connection is reset, and the server's
    // build fails ("Failed to allocate the network(s)"). Neutron keeps idle connections 900 s.
    this.#server.keepAliveTimeout = 900_000;
    await new Promise<void>((resolve, reject) => {
      this.#server!.once('error', reject);
      this.#server!.listen(port, '127.0.0.1', () => resolve());
    });
  }

  async close(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #subnetOf(networkId: string): Obj | undefined {
    return this.subnets.find((s) => s.network_id === networkId);
  }

  #freeAddress(networkId: string, prefix?: string): string {
    const net = prefix ?? String((this.#subnetOf(networkId)?.cidr as string).replace(/\.0\/24$/, ''));
    const used = new Set<string>();
    for (const p of this.ports.values()) for (const ip of p.fixed_ips as Obj[]) used.add(String(ip.ip_address));
    for (const f of this.floatingIps.values()) used.add(String(f.floating_ip_address));
    for (let i = 10; i < 255; i++) if (!used.has(`${net}.${i}`)) return `${net}.${i}`;
    throw new Error(`no free address on ${net}.0/24`);
  }

  #newPort(body: Obj): Obj {
    const networkId = String(body.network_id);
    const subnet = this.#subnetOf(networkId)!;
    const wanted = (body.fixed_ips as Obj[] | undefined) ?? [{}];
    const fixed = wanted.map((w) => ({ subnet_id: subnet.id, ip_address: (w.ip_address as string | undefined) ?? this.#freeAddress(networkId) }));
    const project = String(body.project_id ?? body.tenant_id ?? this.projectId);
    const mac = `fa:16:3e:${[0, 0, 0].map(() => Math.floor(Math.random() * 256).toString(16).padStart(2, '0')).join(':')}`;
    const port = this.#std(project, {
      id: randomUUID(), name: body.name ?? '', network_id: networkId, admin_state_up: true, status: 'ACTIVE',
      mac_address: body.mac_address ?? mac, fixed_ips: fixed, device_id: body.device_id ?? '', device_owner: body.device_owner ?? '',
      security_groups: body.security_groups ?? [this.#securityGroup.id], allowed_address_pairs: [], extra_dhcp_opts: [],
      port_security_enabled: true, qos_policy_id: null, qos_network_policy_id: null, resource_request: null, ip_allocation: 'immediate',
      'binding:host_id': body['binding:host_id'] ?? '', 'binding:vif_type': 'ovs', 'binding:vnic_type': body['binding:vnic_type'] ?? 'normal',
      'binding:profile': body['binding:profile'] ?? {},
      'binding:vif_details': { port_filter: true, connectivity: 'l2', bridge_name: 'br-int', datapath_type: 'system' },
    });
    this.ports.set(String(port.id), port);
    return port;
  }

  #newFloatingIp(body: Obj): [number, Obj] {
    const network = this.networks.find((n) => n.id === body.floating_network_id);
    if (!network?.['router:external']) return [404, err('ExternalNetworkNotFound', `External network ${String(body.floating_network_id)} could not be found`)];
    const port = body.port_id ? this.ports.get(String(body.port_id)) : undefined;
    if (body.port_id && !port) return [404, err('PortNotFound', `Port ${String(body.port_id)} could not be found.`)];
    const fip = this.#std(this.projectId, {
      id: randomUUID(), floating_ip_address: this.#freeAddress(String(network.id)), floating_network_id: network.id,
      port_id: port?.id ?? null, fixed_ip_address: port ? (port.fixed_ips as Obj[])[0]!.ip_address : null, router_id: null,
      status: port ? 'ACTIVE' : 'DOWN', description: body.description ?? '', port_details: null,
    });
    this.floatingIps.set(String(fip.id), fip);
    return [201, { floatingip: fip }];
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let body: Obj = {};
    try {
      body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Obj) : {};
    } catch {
      body = {};
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1:9696');
    const parts = url.pathname.replace(/\.json$/, '').split('/').filter(Boolean);
    if (parts[0] === 'v2.0') parts.shift();
    const query = new Map<string, string[]>();
    for (const [k, v] of url.searchParams) if (k !== 'fields') query.set(k, [...(query.get(k) ?? []), v]);
    const fields = url.searchParams.getAll('fields');
    const send = (status: number, json?: unknown) => {
      const data = json === undefined ? '' : JSON.stringify(json);
      if (status >= 400) this.errors.push(`${new Date().toISOString()} ${req.method} ${url.pathname} → ${status} ${data.slice(0, 300)}`);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) });
      res.end(data);
    };
    const gap = (status: number, json: unknown) => {
      this.unimplemented.push(`${req.method} ${url.pathname}`);
      send(status, json);
    };
    const answer = (method: string): [number, unknown] | undefined => this.#route(method, parts, query, fields, body);
    const result = answer(req.method ?? 'GET');
    if (result) send(result[0], result[1]);
    else gap(req.method === 'GET' ? 404 : 400, err('BadRequest', 'not implemented by the Neutron stand-in'));
  }

  #route(method: string, parts: string[], query: Map<string, string[]>, fields: string[], body: Obj): [number, unknown] | undefined {
    const [resource, id, sub] = parts;
    const list = (key: string, items: Obj[]): [number, unknown] => [200, { [key]: items.filter((o) => matches(o, query)).map((o) => pick(o, fields)) }];
    const one = (key: string, items: Iterable<Obj>, notFound: string): [number, unknown] => {
      const found = [...items].find((o) => o.id === id);
      return found ? [200, { [key]: pick(found, fields) }] : [404, err(notFound, `${key} ${id} could not be found.`)];
    };
    const collections: Record<string, [string, string, () => Iterable<Obj>, string]> = {
      networks: ['networks', 'network', () => this.networks, 'NetworkNotFound'],
      subnets: ['subnets', 'subnet', () => this.subnets, 'SubnetNotFound'],
      'security-groups': ['security_groups', 'security_group', () => [this.#securityGroup], 'SecurityGroupNotFound'],
      ports: ['ports', 'port', () => this.ports.values(), 'PortNotFound'],
      floatingips: ['floatingips', 'floatingip', () => this.floatingIps.values(), 'FloatingIPNotFound'],
    };
    if (method === 'GET') {
      if (!resource) return [200, { versions: [{ id: 'v2.0', status: 'CURRENT', links: [{ rel: 'self', href: 'http://127.0.0.1:9696/v2.0/' }] }] }];
      const c = collections[resource];
      if (c && !sub) return id ? one(c[1], c[2](), c[3]) : list(c[0], [...c[2]()]);
      if (resource === 'extensions') {
        const exts = EXTENSIONS.map((alias) => ({ alias, name: alias, description: alias, links: [], updated: '2013-01-01T00:00:00-00:00' }));
        if (!id) return [200, { extensions: exts }];
        const e = exts.find((x) => x.alias === id);
        return e ? [200, { extension: e }] : [404, err('ExtensionNotFound', `Extension with alias ${id} does not exist`)];
      }
      if (resource === 'auto-allocated-topology' && id) {
        if (fields.includes('dry-run')) return [200, { auto_allocated_topology: { 'dry-run': 'pass' } }];
        const first = this.networks.find((n) => !n['router:external']);
        return [200, { auto_allocated_topology: { id: first?.id, tenant_id: id, project_id: id } }];
      }
      if (resource === 'quotas' && id) {
        const kinds = ['network', 'subnet', 'port', 'floatingip', 'router', 'security_group', 'security_group_rule', 'subnetpool', 'rbac_policy', 'trunk'];
        if (parts.at(-1) === 'details') {
          const used: Record<string, number> = {
            network: this.networks.length, subnet: this.subnets.length, security_group: 1, floatingip: this.floatingIps.size,
            port: [...this.ports.values()].filter((p) => p.project_id === id).length,
          };
          return [200, { quota: Object.fromEntries(kinds.map((k) => [k, { limit: -1, used: used[k] ?? 0, reserved: 0 }])) }];
        }
        return [200, { quota: Object.fromEntries(kinds.map((k) => [k, -1])) }];
      }
      if (EMPTY.has(resource)) return id ? [404, err('NotFound', `${resource} ${id} could not be found.`)] : [200, { [resource.replace(/-/g, '_')]: [] }];
      return undefined;
    }
    if (method === 'POST' && resource === 'ports' && !id) {
      if (Array.isArray(body.ports)) return [201, { ports: (body.ports as Obj[]).map((p) => this.#newPort(p)) }];
      const port = body.port as Obj | undefined;
      if (!port) return undefined;
      if (!this.networks.some((n) => n.id === port.network_id)) return [404, err('NetworkNotFound', `Network ${String(port.network_id)} could not be found.`)];
      return [201, { port: this.#newPort(port) }];
    }
    if (method === 'POST' && resource === 'floatingips' && !id && body.floatingip) return this.#newFloatingIp(body.floatingip as Obj);
    if (method === 'PUT' && resource === 'ports' && id && body.port) {
      const port = this.ports.get(id);
      if (!port) return [404, err('PortNotFound', `Port ${id} could not be found.`)];
      for (const [k, v] of Object.entries(body.port as Obj)) {
        if (['id', 'network_id', 'fixed_ips', 'tenant_id', 'project_id'].includes(k)) continue;
        port[k] = v ?? (k === 'binding:profile' ? {} : ['binding:host_id', 'device_id', 'device_owner'].includes(k) ? '' : v);
      }
      Object.assign(port, { revision_number: Number(port.revision_number) + 1, updated_at: now() });
      return [200, { port }];
    }
    if (method === 'DELETE' && id && !sub) {
      if (resource === 'ports') {
        if (!this.ports.delete(id)) return [404, err('PortNotFound', `Port ${id} could not be found.`)];
        // Neutron disassociates a floating IP from a deleted port; it keeps the address allocated.
        for (const f of this.floatingIps.values()) if (f.port_id === id) Object.assign(f, { port_id: null, fixed_ip_address: null, status: 'DOWN' });
        return [204, undefined];
      }
      if (resource === 'floatingips') return this.floatingIps.delete(id) ? [204, undefined] : [404, err('FloatingIPNotFound', `Floating IP ${id} could not be found`)];
      if (resource === 'auto-allocated-topology') return [204, undefined];
    }
    return undefined;
  }
}

/** Neutron's list filters: every given key must match one of its values; unknown keys are ignored, as Neutron mostly does. */
function matches(obj: Obj, query: Map<string, string[]>): boolean {
  for (const [key, values] of query) {
    if (key === 'fixed_ips') {
      const ips = (obj.fixed_ips as Obj[] | undefined) ?? [];
      if (!values.every((v) => {
        const [k, want] = v.split('=', 2);
        return ips.some((ip) => String(ip[k!]) === want);
      })) return false;
      continue;
    }
    if (!(key in obj)) continue;
    const have = obj[key];
    const text = typeof have === 'boolean' ? String(have) : have === null || have === undefined ? '' : String(have);
    if (!values.some((v) => text === (/^(true|false)$/i.test(v) ? v.toLowerCase() : v))) return false;
  }
  return true;
}

function pick(obj: Obj, fields: string[]): Obj {
  return fields.length ? Object.fromEntries(Object.entries(obj).filter(([k]) => fields.includes(k))) : obj;
}
