import { describe, expect, it } from 'vitest';
import { SecretMask } from '../src/index.js';

describe('SecretMask.addLeaves', () => {
  it('masks every string leaf of secret attributes, longest first, skipping values too short to mask', () => {
    const mask = new SecretMask();
    mask.addLeaves({ db: { password: 'pa55word', list: ['tok-123456', 'tok-1234567'] }, short: 'abc', n: 12345 });
    expect(mask.apply('pa55word tok-1234567 tok-123456 abc 12345')).toBe('*** *** *** abc 12345');
    const lines = new SecretMask();
    lines.addLeaves({ key: 'line-one\nline-two' });
    expect(lines.apply('got line-two')).toBe('got ***');
    const none = new SecretMask();
    none.addLeaves({});
    expect(none.active).toBe(false);
  });
});
