import { describe, expect, it } from 'vitest';
import { CloseCode, decodeAgentMessage, decodeCheckDefinitions, decodeServerMessage, encodeMessage, type AgentMessage, type CheckDefinition, type ServerMessage } from '../src/index.js';

const load: CheckDefinition = { id: 'c1', name: 'load', command: '/usr/lib/nagios/plugins/check_load', args: ['-w', '5,4,3', '-c', '10,8,6'], shell: false, intervalSeconds: 60, timeoutSeconds: 10 };

describe('check messages (capability checks)', () => {
  it('round-trips checks.set and check.results', () => {
    const set: ServerMessage = { type: 'checks.set', checks: [load, { ...load, id: 'c2', name: 'script', command: 'echo OK', args: [], shell: true }] };
    expect(decodeServerMessage(encodeMessage(set))).toEqual({ ok: true, message: set });
    const results: AgentMessage = {
      type: 'check.results',
      results: [
        {
          checkId: 'c1',
          state: 1,
          output: 'LOAD WARNING - total load average: 6.1, 4.0, 3.0',
          longOutput: '',
          perfdata: [{ label: 'load1', value: 6.1, uom: '', warn: '5.000', crit: '10.000', min: 0, max: null }, { label: 'x', value: null, uom: 'MB', warn: null, crit: null, min: null, max: null }],
          durationMs: 12,
          at: new Date().toISOString(),
        },
      ],
    };
    expect(decodeAgentMessage(encodeMessage(results))).toEqual({ ok: true, message: results });
  });

  it('refuses a result off its schema, naming the field', () => {
    const result = { checkId: 'c1', state: 4, output: '', longOutput: '', perfdata: [], durationMs: 1, at: new Date().toISOString() };
    const bad = decodeAgentMessage(JSON.stringify({ type: 'check.results', results: [result] }));
    expect(bad).toMatchObject({ ok: false, code: CloseCode.malformed });
    expect((bad as { reason: string }).reason).toMatch(/^check\.results: \/results\/0\/state /);
    expect(decodeAgentMessage(JSON.stringify({ type: 'check.results', results: [] }))).toMatchObject({ ok: false, code: CloseCode.malformed });
    const longOutput = decodeAgentMessage(JSON.stringify({ type: 'check.results', results: [{ ...result, state: 0, output: 'x'.repeat(5000) }] }));
    expect((longOutput as { reason: string }).reason).toMatch(/\/results\/0\/output/);
  });

  it('checks welcome.features.checks, which the welcome schema leaves free-form', () => {
    expect(decodeCheckDefinitions([load])).toEqual({ ok: true, checks: [load] });
    expect(decodeCheckDefinitions([])).toEqual({ ok: true, checks: [] });
    expect(decodeCheckDefinitions([{ ...load, args: 'x' }])).toMatchObject({ ok: false, reason: expect.stringMatching(/^features\.checks\/0\/args /) });
    expect(decodeCheckDefinitions(undefined)).toMatchObject({ ok: false });
    const welcome: ServerMessage = { type: 'welcome', version: 1, agentId: 'a', nodeId: 'n', heartbeatSeconds: 15, serverTime: new Date().toISOString(), features: { facts: true, checks: [load] } };
    expect(decodeServerMessage(encodeMessage(welcome))).toEqual({ ok: true, message: welcome });
  });
});
