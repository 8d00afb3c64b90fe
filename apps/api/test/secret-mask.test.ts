import { describe, expect, it } from 'vitest';
import { SecretMask } from '@overmind/cm';

describe('secret mask', () => {
  it('masks every occurrence, the longest value first, and each line of a multi-line value', () => {
    const mask = new SecretMask();
    expect(mask.apply('nothing to hide')).toBe('nothing to hide');
    mask.add('hunter2', 'hunter2-and-more', 'line one\nline two', 'abc');
    expect(mask.active).toBe(true);
    expect(mask.apply('a hunter2-and-more b hunter2 c hunter2')).toBe('a *** b *** c ***');
    expect(mask.apply('got: line two')).toBe('got: ***');
    // Values shorter than four characters would hide ordinary words: left alone.
    expect(mask.apply('abc')).toBe('abc');
  });

  it('masks strings inside results and errors', () => {
    const mask = new SecretMask();
    mask.add('s3cr3t-value');
    expect(mask.applyDeep({ results: [{ error: 'bad s3cr3t-value', exitCode: 1, at: null }] })).toEqual({ results: [{ error: 'bad ***', exitCode: 1, at: null }] });
    const err = mask.applyError(new TypeError('failed with s3cr3t-value')) as Error;
    expect(err).toMatchObject({ name: 'TypeError', message: 'failed with ***' });
    expect(err.stack).not.toContain('s3cr3t-value');
  });
});
