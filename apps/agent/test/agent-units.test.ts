import { describe, expect, it } from 'vitest';
import { ReconnectBackoff, pendingApprovalDelay } from '../src/connection/reconnect-backoff.js';
import { canonicalJson, factsHash, parseOsRelease } from '../src/facts/node-facts.js';
import { LineSplitter } from '../src/runs/line-splitter.js';

describe('ReconnectBackoff', () => {
  it('grows from 1 s to a 30 s cap with full jitter, and resets', () => {
    const top = new ReconnectBackoff(undefined, undefined, () => 1);
    expect(Array.from({ length: 8 }, () => top.next())).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
    top.reset();
    expect(top.next()).toBe(1000);
    const bottom = new ReconnectBackoff(undefined, undefined, () => 0);
    expect(bottom.next()).toBe(0);
    for (let i = 0; i < 100; i++) expect(new ReconnectBackoff().next()).toBeLessThanOrEqual(1000);
    expect(pendingApprovalDelay(() => 0)).toBe(30_000);
    expect(pendingApprovalDelay(() => 1)).toBe(60_000);
  });
});

describe('LineSplitter', () => {
  it('splits on newlines across chunks, drops CR, decodes UTF-8 split mid-character and delivers the last line', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((l) => lines.push(l), 8);
    const euro = Buffer.from('€');
    splitter.push(Buffer.concat([Buffer.from('a\r\nb'), euro.subarray(0, 1)]));
    splitter.push(Buffer.concat([euro.subarray(1), Buffer.from('\n0123456789abc')]));
    splitter.end();
    expect(lines).toEqual(['a', 'b€', '01234567', '89abc']);
  });
});

describe('facts', () => {
  it('hashes canonical JSON: the same facts in any key order hash the same', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"e":2,"f":1}]},"b":1}');
    expect(factsHash({ x: 1, y: 2 })).toBe(factsHash({ y: 2, x: 1 }));
    expect(factsHash({ x: 1 })).not.toBe(factsHash({ x: 2 }));
  });

  it('reads the os-release fields', () => {
    expect(parseOsRelease('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\nHOME_URL="https://www.debian.org/"\n')).toEqual({
      pretty_name: 'Debian GNU/Linux 12 (bookworm)',
      id: 'debian',
      version_id: '12',
    });
  });
});
