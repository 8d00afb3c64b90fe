/** The secret-environment reader on a local POSIX shell: what the remote login shell runs. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { secretEnvReader, secretEnvScript } from '../src/remote-command.js';

const MARKER = 'overmind-env-end-test';
const sh = (input: string, command: string) =>
  spawnSync('/bin/sh', ['-c', `${secretEnvReader(MARKER)} ${command}`], { input, encoding: 'utf8', timeout: 10_000 });

describe('secret environment on stdin', () => {
  it('exports every value byte for byte and unsets its own variables', () => {
    const env = { ONE: 'a b  c', TWO: "q'uote \"dq\" $HOME `id` \\ back", THREE: '\nlines\r\nend\n\n', EMPTY: '' };
    const script = 'for v in ONE TWO THREE EMPTY; do printf "[%s]" "$(printenv $v; echo x)"; done; echo "${__overmind_env-unset}"';
    const result = sh(secretEnvScript(env, MARKER), script);
    expect(result.status).toBe(0);
    const shown = Object.values(env).map((v) => `[${v}\nx]`).join('');
    expect(result.stdout).toBe(`${shown}unset\n`);
  });

  it('does not run the command when the variables were cut short', () => {
    const whole = secretEnvScript({ TOKEN: 'value' }, MARKER);
    const result = sh(whole.slice(0, whole.indexOf(MARKER)), 'echo ran');
    expect(result.status).toBe(125);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/environment did not arrive/);
  });

  it('refuses names a shell cannot export and NUL in values', () => {
    expect(() => secretEnvScript({ 'A-B': 'x' }, MARKER)).toThrow(/Invalid environment variable name/);
    expect(() => secretEnvScript({ A: 'x\0y' }, MARKER)).toThrow(/NUL/);
  });
});
