import { describe, expect, it } from 'vitest';
import { memberState, parseServersState } from '../src/haproxy-servers.js';

// `show servers state` as haproxy 2.6 answers it (format 1), one line per case below: srv_op_state is
// the 6th field, srv_admin_state the 7th, srv_check_status the 11th, srv_check_result the 12th.
const HEADER =
  '# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port';
const line = (srv: string, op: number, admin: number, status: number, result: number) =>
  `2 b 1 ${srv} 127.0.0.1 ${op} ${admin} 1 1 7 ${status} ${result} 4 6 0 0 0 - 18777 - 0 0 - - 0`;

describe("haproxy's server states", () => {
  const servers = parseServersState(
    ['1', HEADER, line('new', 2, 0, 1, 0), line('passed', 2, 0, 15, 3), line('checking', 2, 0, 15, 0), line('down', 0, 0, 8, 2), line('maint', 2, 1, 15, 3), line('drain', 2, 8, 15, 3), ''].join('\n'),
  );
  const state = (srv: string) => memberState(servers.get(`b/${srv}`), true);

  it('is pending until a first check has finished, healthy after it', () => {
    expect(state('new')).toBe('pending');
    expect(state('passed')).toBe('healthy');
  });

  it('stays healthy while its next check runs (haproxy sets the check result back to unknown when one starts)', () => {
    // Sampled from a real haproxy with a backend answering in 600 ms: 11 of 40 reads looked like this.
    expect(state('checking')).toBe('healthy');
  });

  it('is unhealthy when down, unused in maintenance, draining when drained, unknown when unchecked or absent', () => {
    expect(state('down')).toBe('unhealthy');
    expect(state('maint')).toBe('unused');
    expect(state('drain')).toBe('draining');
    expect(memberState(servers.get('b/passed'), false)).toBe('unknown');
    expect(state('absent')).toBe('unknown');
  });
});
