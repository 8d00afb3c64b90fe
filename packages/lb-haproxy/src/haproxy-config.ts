/**
 * haproxy.cfg rendered from the stored balancers. Only checked values reach it (generated ids, IP
 * addresses, integers, paths of plain characters): a balancer's name is user text and stays in the
 * state file, so nothing a user types can add a line to the configuration.
 */
import type { BalancerAlgorithm } from '@overmind/provider';
import type { HaproxyState, StoredBalancer } from './haproxy-state.js';

export interface RenderOptions {
  /** Where frontends listen (`0.0.0.0`, or one address of the host). */
  bindAddress: string;
  /**
   * The admin socket. `expose-fd listeners` lets the next process take the listening sockets over
   * (`-x`), so a reload drops no connection waiting to be accepted.
   */
  socketPath: string;
  /** How long an old process may finish its open connections after a reload (the drain). */
  drainSeconds: number;
}

const BALANCE: Record<BalancerAlgorithm, string> = {
  round_robin: 'roundrobin',
  least_connections: 'leastconn',
  source_ip: 'source',
};

function address(ip: string, port: number): string {
  return ip.includes(':') ? `ipv6@${ip}:${port}` : `${ip}:${port}`;
}

function frontend(b: StoredBalancer, o: RenderOptions): string[] {
  const mode = b.protocol === 'tcp' ? 'tcp' : 'http';
  const tls = b.protocol === 'https' && b.certificatePath ? ` ssl crt ${b.certificatePath}` : '';
  const lines = [`frontend fe_${b.id}`, `    mode ${mode}`, `    bind ${address(o.bindAddress, b.port)}${tls}`];
  if (mode === 'http') lines.push('    option forwardfor', '    timeout http-request 10s');
  lines.push(`    default_backend be_${b.id}`);
  return lines;
}

function backend(b: StoredBalancer): string[] {
  const mode = b.protocol === 'tcp' ? 'tcp' : 'http';
  const lines = [`backend be_${b.id}`, `    mode ${mode}`, `    balance ${BALANCE[b.algorithm]}`];
  const hc = b.healthCheck;
  let check = '';
  if (hc) {
    if (hc.protocol === 'http') {
      lines.push('    option httpchk', `    http-check send meth GET uri ${hc.path ?? '/'}`, '    http-check expect status 200-399');
    }
    lines.push(`    timeout check ${hc.timeoutSeconds}s`);
    lines.push(`    default-server inter ${hc.intervalSeconds}s rise ${hc.healthyThreshold} fall ${hc.unhealthyThreshold}`);
    check = hc.port === undefined ? ' check' : ` check port ${hc.port}`;
  }
  for (const m of b.members) lines.push(`    server ${m.id} ${address(m.ip, m.port)}${check}`);
  return lines;
}

export function renderConfig(state: HaproxyState, o: RenderOptions): string {
  const lines = [
    '# Written by Overmind (@overmind/lb-haproxy). Changes made here are replaced on its next change;',
    '# the balancers themselves are kept in the state file next to this one.',
    'global',
    `    stats socket ${o.socketPath} mode 600 level admin expose-fd listeners`,
    `    hard-stop-after ${o.drainSeconds}s`,
    '',
    'defaults',
    '    timeout connect 5s',
    '    timeout client 60s',
    '    timeout server 60s',
  ];
  for (const b of state.balancers) lines.push('', ...frontend(b, o), '', ...backend(b));
  return lines.join('\n') + '\n';
}
