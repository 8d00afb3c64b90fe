/**
 * HAProxy's own view of its servers, from the runtime API (`show servers state` on the admin
 * socket): what its health check says of each member. Read with `socat`; a host without it, or
 * without a running haproxy, answers nothing and the members stay `unknown`.
 */
import type { MemberState, NodeSession, OperationContext } from '@overmind/provider';
import { shellQuote } from '@overmind/ssh';

const SERVERS_SCRIPT = `set -u
command -v socat > /dev/null 2>&1 || exit 3
[ -S "$1" ] || exit 4
echo "show servers state" | socat -t 5 stdio "unix-connect:$1"`;

export interface ServerState {
  /** srv_op_state: 0 stopped (down), 1 starting, 2 running (up), 3 stopping. */
  op: number;
  /** srv_admin_state: bit flags, maintenance (0x01 0x02 0x04 0x20) and drain (0x08 0x10). */
  admin: number;
  /**
   * srv_check_status: the last finished check's HCHK_STATUS_*; 0 checks off, 1 none finished yet
   * (srv_check_result is no guide: haproxy sets it back to 0, unknown, whenever a check starts).
   */
  checkStatus: number;
}

/** `show servers state` (format 1) by backend and server name: its header line names the columns. */
export function parseServersState(text: string): Map<string, ServerState> {
  const lines = text.split('\n');
  const header = lines.find((l) => l.startsWith('# be_id'));
  const out = new Map<string, ServerState>();
  if (!header) return out;
  const cols = header.slice(2).trim().split(/\s+/);
  const at = (name: string) => cols.indexOf(name);
  const [be, srv, op, admin, status] = [at('be_name'), at('srv_name'), at('srv_op_state'), at('srv_admin_state'), at('srv_check_status')];
  if ([be, srv, op, admin, status].some((i) => i < 0)) return out;
  for (const line of lines) {
    if (line.startsWith('#') || !line.trim()) continue;
    const f = line.trim().split(/\s+/);
    if (f.length < cols.length - 1) continue;
    const opState = Number(f[op]);
    const adminState = Number(f[admin]);
    const checkStatus = Number(f[status]);
    if (![opState, adminState, checkStatus].every(Number.isInteger)) continue;
    out.set(`${f[be]}/${f[srv]}`, { op: opState, admin: adminState, checkStatus });
  }
  return out;
}

const MAINT = 0x01 | 0x02 | 0x04 | 0x20;
const DRAIN = 0x08 | 0x10;
const HCHK_STATUS_INI = 1;
const OP_STATES: Record<number, MemberState> = { 0: 'unhealthy', 1: 'pending', 2: 'healthy', 3: 'draining' };

/** A member's state: without a health check haproxy sends traffic blindly, so it cannot tell (`unknown`). */
export function memberState(s: ServerState | undefined, checked: boolean): MemberState {
  if (!s) return 'unknown';
  if (s.admin & MAINT) return 'unused';
  if (s.admin & DRAIN) return 'draining';
  if (!checked) return 'unknown';
  // haproxy counts a new server up until its checks say otherwise: healthy only once one finished.
  if (s.op === 2 && s.checkStatus <= HCHK_STATUS_INI) return 'pending';
  return OP_STATES[s.op] ?? 'unknown';
}

/** The servers' states, or an empty map when the host cannot say (no socat, haproxy not running). */
export async function readServers(session: NodeSession, socketPath: string, ctx?: OperationContext): Promise<Map<string, ServerState>> {
  const result = await session.exec(`sh -c ${shellQuote(SERVERS_SCRIPT)} overmind-haproxy ${shellQuote(socketPath)}`, {
    sudo: true,
    timeoutMs: 30_000,
    ...(ctx?.signal ? { signal: ctx.signal } : {}),
  });
  if (result.exitCode !== 0) {
    ctx?.log?.(`haproxy's server states are not readable on ${session.endpoint} (exit ${result.exitCode}${result.exitCode === 3 ? ': socat is not installed' : ''}); members are unknown`);
    return new Map();
  }
  return parseServersState(result.stdout);
}
