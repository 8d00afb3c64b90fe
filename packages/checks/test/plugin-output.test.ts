import { describe, expect, it } from 'vitest';
import { CheckState, checkStateName, interpretPluginRun, OUTPUT_LIMITS, parsePluginOutput, worstState, type PluginRun } from '../src/index.js';

describe('plugin output (Monitoring Plugins guidelines, "Plugin Output for Nagios")', () => {
  it('reads the guidelines\' multi-line example: status, long output, perfdata on the first and later lines', () => {
    const out = [
      'DISK OK - free space: / 3326 MB (56%); | /=2643MB;5948;5958;0;5968',
      '/ 15272 MB (77%);',
      '/boot 68 MB (69%);',
      '/home 69357 MB (27%);',
      '/var/log 819 MB (84%); | /boot=68MB;88;93;0;98',
      "/home=69357MB;253404;253409;0;253414 '/var log'=818MB;970;975;0;980",
      '',
    ].join('\n');
    const parsed = parsePluginOutput(out);
    expect(parsed.output).toBe('DISK OK - free space: / 3326 MB (56%);');
    expect(parsed.longOutput).toBe('/ 15272 MB (77%);\n/boot 68 MB (69%);\n/home 69357 MB (27%);\n/var/log 819 MB (84%);');
    expect(parsed.perfdata.map((p) => [p.label, p.value, p.uom, p.warn, p.crit, p.min, p.max])).toEqual([
      ['/', 2643, 'MB', '5948', '5958', 0, 5968],
      ['/boot', 68, 'MB', '88', '93', 0, 98],
      ['/home', 69357, 'MB', '253404', '253409', 0, 253414],
      ['/var log', 818, 'MB', '970', '975', 0, 980],
    ]);
    expect(parsed.invalidPerfdata).toEqual([]);
  });

  it.each([
    ['status text only', 'PROCS OK: 160 processes\n', 'PROCS OK: 160 processes', '', 0],
    ['status and perfdata', 'LOAD OK - total load average: 0.1, 0.2, 0.3|load1=0.1;5;10;0;', 'LOAD OK - total load average: 0.1, 0.2, 0.3', '', 1],
    ['long output without perfdata', 'OK\nline two\nline three', 'OK', 'line two\nline three', 0],
    ['perfdata only on a later line', 'OK\ndetail | a=1 b=2', 'OK', 'detail', 2],
    ['CRLF line ends', 'WARN - x|a=1\r\nmore\r\n', 'WARN - x', 'more', 1],
    ['no output at all', '', '', '', 0],
    ['a second | on the first line is a perfdata item that does not parse', 'OK | a=1 | b=2', 'OK', '', 2],
  ])('%s', (_name, text, output, longOutput, perfCount) => {
    const parsed = parsePluginOutput(text);
    expect(parsed.output).toBe(output);
    expect(parsed.longOutput).toBe(longOutput);
    expect(parsed.perfdata).toHaveLength(perfCount);
  });

  it('clips the status text and the long output', () => {
    const parsed = parsePluginOutput(`${'s'.repeat(10_000)}\n${'l'.repeat(100_000)}`);
    expect(parsed.output.length).toBe(OUTPUT_LIMITS.outputChars);
    expect(parsed.longOutput.length).toBe(OUTPUT_LIMITS.longOutputChars);
    expect(parsed.output.endsWith('…')).toBe(true);
  });

  it('never throws on malformed output', () => {
    for (const text of ['|', '||||', '\n|\n|', "'|'='", '\0\0|a=\0', 'x|'.repeat(10_000), undefined as unknown as string]) {
      expect(() => parsePluginOutput(text)).not.toThrow();
    }
  });
});

describe('plugin return codes', () => {
  const run = (over: Partial<PluginRun>): PluginRun => ({ exitCode: 0, signal: null, stdout: 'TEXT|a=1', stderr: '', ...over });

  it.each([
    [0, CheckState.ok, 'ok'],
    [1, CheckState.warning, 'warning'],
    [2, CheckState.critical, 'critical'],
    [3, CheckState.unknown, 'unknown'],
  ] as const)('exit code %i is %s', (exitCode, state, name) => {
    const result = interpretPluginRun(run({ exitCode }));
    expect(result.state).toBe(state);
    expect(checkStateName(result.state)).toBe(name);
    expect(result.output).toBe('TEXT');
    expect(result.perfdata).toHaveLength(1);
  });

  it.each([
    ['another exit code', run({ exitCode: 4 }), 'exit code 4, not a plugin state: TEXT'],
    ['a negative one', run({ exitCode: -1 }), 'exit code -1, not a plugin state: TEXT'],
    ['127 from a shell', run({ exitCode: 127, stdout: '', stderr: 'sh: 1: nope: not found\n' }), 'exit code 127 (command not found), not a plugin state: sh: 1: nope: not found'],
    ['a signal', run({ exitCode: null, signal: 'SIGSEGV', stdout: '' }), 'killed by SIGSEGV'],
    ['a timeout', run({ exitCode: null, signal: 'SIGTERM', timedOutAfterSeconds: 10, stdout: 'half' }), 'timed out after 10 s: half'],
    ['a command that cannot start', run({ exitCode: null, stdout: '', spawnError: 'command not found: /no/such' }), 'command not found: /no/such'],
  ])('%s is UNKNOWN with the reason', (_name, r, output) => {
    const result = interpretPluginRun(r);
    expect(result.state).toBe(CheckState.unknown);
    expect(result.output).toBe(output);
  });

  it('shows stderr when stdout is empty, without taking perfdata from it', () => {
    const result = interpretPluginRun(run({ exitCode: 2, stdout: '', stderr: 'Traceback (most recent call last):\n  File "x"|a=1\nValueError' }));
    expect(result.state).toBe(CheckState.critical);
    expect(result.output).toBe('Traceback (most recent call last):');
    expect(result.longOutput).toContain('File "x"');
    expect(result.perfdata).toEqual([]);
  });

  it('says when there was no output, and when output was cut', () => {
    expect(interpretPluginRun(run({ stdout: '' })).output).toBe('(no output returned from the plugin)');
    expect(interpretPluginRun(run({ stdout: 'OK\nmore', truncated: true })).longOutput).toBe('more\n(output cut at the capture limit)');
  });

  it('ranks states for a node\'s health: critical, unknown, warning, ok', () => {
    expect(worstState([])).toBeNull();
    expect(worstState([0, 1, 0])).toBe(1);
    expect(worstState([1, 3])).toBe(3);
    expect(worstState([3, 2, 1])).toBe(2);
  });
});
