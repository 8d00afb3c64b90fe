import { describe, expect, it } from 'vitest';
import { LineSplitter, TailCapture } from '../src/output-lines.js';

describe('LineSplitter', () => {
  it('joins partial lines, strips CR and delivers the unterminated last line', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((l) => lines.push(l));
    splitter.push(Buffer.from('a\r\nb'));
    splitter.push(Buffer.from('c\n\nd'));
    expect(lines).toEqual(['a', 'bc', '']);
    splitter.end();
    expect(lines).toEqual(['a', 'bc', '', 'd']);
  });

  it('keeps a multi-byte character split across chunks intact', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((l) => lines.push(l));
    const bytes = Buffer.from('héllo\n');
    splitter.push(bytes.subarray(0, 2));
    splitter.push(bytes.subarray(2));
    expect(lines).toEqual(['héllo']);
  });

  it('cuts a newline-free stream into bounded pieces', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((l) => lines.push(l));
    splitter.push(Buffer.alloc(200 * 1024, 'x'));
    splitter.end();
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join('').length).toBe(200 * 1024);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(64 * 1024);
  });
});

describe('TailCapture', () => {
  it('keeps the last bytes and says it dropped some', () => {
    const capture = new TailCapture(5);
    capture.push(Buffer.from('abc'));
    expect(capture.truncated).toBe(false);
    capture.push(Buffer.from('defg'));
    expect(capture.text()).toBe('cdefg');
    expect(capture.truncated).toBe(true);
  });
});
