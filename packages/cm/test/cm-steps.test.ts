import { describe, expect, it } from 'vitest';
import { ApplyFailedError, ConfigurationInvalidError, ToolMissingError, runSteps, type ApplyStep } from '../src/index.js';

const step = (name: string, run: () => Promise<string | void> = async () => {}): ApplyStep => ({ name, run });

class RetryableError extends Error {
  readonly retryable = true;
}

describe('runSteps', () => {
  it('runs every step in order and keeps the last summary', async () => {
    const order: string[] = [];
    const lines: string[] = [];
    const result = await runSteps(
      [step('a', async () => void order.push('a')), step('b', async () => (order.push('b'), 'all done'))],
      { cleanup: [step('clean', async () => void order.push('clean'))], ctx: { log: (l) => lines.push(l) } },
    );
    expect(order).toEqual(['a', 'b', 'clean']);
    expect(result.ok).toBe(true);
    expect(result.ok && result.summary).toBe('all done');
    expect(result.steps.map((s) => `${s.name}:${s.status}`)).toEqual(['a:ok', 'b:ok', 'clean:ok']);
    expect(lines).toEqual(['==> a', '==> b', '==> clean']);
  });

  it('names the failed step, skips the rest, and still cleans up', async () => {
    const ran: string[] = [];
    const result = await runSteps(
      [step('upload'), step('converge', async () => { throw new RetryableError('connection lost'); }), step('after', async () => void ran.push('after'))],
      { cleanup: [step('cleanup', async () => void ran.push('cleanup'))] },
    );
    expect(ran).toEqual(['cleanup']);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.failedStep).toBe('converge');
    expect(result.error).toBeInstanceOf(ApplyFailedError);
    expect((result.error as ApplyFailedError).step).toBe('converge');
    expect(result.error.message).toBe('Step "converge" failed: connection lost');
    expect(result.error.retryable).toBe(true);
    expect(result.error.cause).toBeInstanceOf(RetryableError);
    expect(result.steps.map((s) => `${s.name}:${s.status}`)).toEqual(['upload:ok', 'converge:failed', 'after:skipped', 'cleanup:ok']);
  });

  it('keeps typed CM errors as they are', async () => {
    const missing = new ToolMissingError('chef-solo', 'root@host:22', 'command not found');
    const result = await runSteps([step('check-tool', async () => { throw missing; })]);
    expect(!result.ok && result.error).toBe(missing);
    expect(!result.ok && result.error.code).toBe('tool_missing');
  });

  it('fails on a cleanup failure only when everything before succeeded', async () => {
    const broken = step('cleanup', async () => { throw new Error('rm: permission denied'); });
    const afterSuccess = await runSteps([step('converge')], { cleanup: [broken] });
    expect(!afterSuccess.ok && afterSuccess.failedStep).toBe('cleanup');

    const afterFailure = await runSteps([step('converge', async () => { throw new Error('boom'); })], { cleanup: [broken] });
    expect(!afterFailure.ok && afterFailure.failedStep).toBe('converge');
    expect(afterFailure.steps.map((s) => s.status)).toEqual(['failed', 'failed']);
  });
});

describe('CM errors', () => {
  it('lists problems with file, line and column', () => {
    const err = new ConfigurationInvalidError([
      { file: 'roles/web.json', line: 3, column: 5, message: 'invalid JSON' },
      { file: null, message: 'unknown role "db"' },
    ]);
    expect(err.code).toBe('configuration_invalid');
    expect(err.message).toBe('Configuration is invalid: roles/web.json:3:5: invalid JSON; unknown role "db"');
    expect(err.problems).toHaveLength(2);
  });

  it('carries the step, exit code and last lines of a failed apply', () => {
    const err = new ApplyFailedError('converge', 'chef-solo exited with code 1', { exitCode: 1, lastLines: ['FATAL: boom'] });
    expect(err).toMatchObject({ code: 'apply_failed', step: 'converge', exitCode: 1, lastLines: ['FATAL: boom'], retryable: false });
    expect(err.name).toBe('ApplyFailedError');
  });
});
