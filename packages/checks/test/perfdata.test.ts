import { describe, expect, it } from 'vitest';
import { formatPerfDatum, parsePerfdata, PERFDATA_LIMITS, type PerfDatum } from '../src/index.js';

const d = (label: string, value: number | null, uom = '', warn: string | null = null, crit: string | null = null, min: number | null = null, max: number | null = null): PerfDatum => ({
  label,
  value,
  uom,
  warn,
  crit,
  min,
  max,
});

describe('performance data (Monitoring Plugins guidelines, "Performance data")', () => {
  // One row per rule of the guidelines, and the formats the Debian plugins print.
  const table: [string, string, PerfDatum[]][] = [
    ['the full form', "'label'=5;10;20;0;100", [d('label', 5, '', '10', '20', 0, 100)]],
    ['quotes are optional', 'users=3', [d('users', 3)]],
    ['quotes are needed for spaces', "'free space'=12MB", [d('free space', 12, 'MB')]],
    ['two single quotes stand for one', "'it''s ''quoted'''=1", [d("it's 'quoted'", 1)]],
    ['a quoted label may hold =', "'a=b'=2", [d('a=b', 2)]],
    ['a label is anything but = and quote', '/var/lib=218MB;9443;9448', [d('/var/lib', 218, 'MB', '9443', '9448')]],
    ['space separated pairs', 'a=1 b=2\tc=3', [d('a', 1), d('b', 2), d('c', 3)]],
    ['trailing empty fields dropped', 'a=1;;', [d('a', 1)]],
    ['warn, crit, min, max may each be null', 'a=1;;5;;9', [d('a', 1, '', null, '5', null, 9)]],
    ['value U: could not be determined', 'a=U;1;2', [d('a', null, '', '1', '2')]],
    ['negative and fractional values', 'temp=-3.5;-10:;-20:;-273.15;', [d('temp', -3.5, '', '-10:', '-20:', -273.15, null)]],
    ['a value starting with a dot', 'a=.5', [d('a', 0.5)]],
    ['an exponent', 'a=1.5e-05s', [d('a', 0.000015, 's')]],
    // UOMs
    ['no unit: a count', 'procs=160;;;0;', [d('procs', 160, '', null, null, 0, null)]],
    ['s', 'time=0.270634s;;;0.000000', [d('time', 0.270634, 's', null, null, 0)]],
    ['ms', 'rta=0.080000ms;100.000000;500.000000;0.000000', [d('rta', 0.08, 'ms', '100.000000', '500.000000', 0)]],
    ['us', 'lat=250us', [d('lat', 250, 'us')]],
    ['%', 'pl=0%;20;60;0', [d('pl', 0, '%', '20', '60', 0)]],
    ['B', 'size=20156B;;;0', [d('size', 20156, 'B', null, null, 0)]],
    ['KB', 'a=12KB', [d('a', 12, 'KB')]],
    ['MB', '/=382MB;15264;15269;;', [d('/', 382, 'MB', '15264', '15269')]],
    ['TB', 'a=1.5TB;;;0;4', [d('a', 1.5, 'TB', null, null, 0, 4)]],
    ['c: a continuous counter', 'ifInOctets=123456789c', [d('ifInOctets', 123456789, 'c')]],
    ['other units are kept as printed', 'a=3GiB b=4KiB', [d('a', 3, 'GiB'), d('b', 4, 'KiB')]],
    ['min and max may repeat the unit', 'a=5MB;;;0MB;10MB', [d('a', 5, 'MB', null, null, 0, 10)]],
    // Ranges (guidelines, "Threshold and ranges") are kept as text.
    ['ranges: 10, 10:, ~:10, 10:20, @10:20', 'a=1;10;10: b=2;~:10;10:20 c=3;@10:20;@~:0', [d('a', 1, '', '10', '10:'), d('b', 2, '', '~:10', '10:20'), d('c', 3, '', '@10:20', '@~:0')]],
    // Real output of Debian's monitoring-plugins.
    [
      'check_load',
      'load1=6.790;5.000;10.000;0; load5=8.060;4.000;8.000;0; load15=6.680;3.000;6.000;0; ',
      [d('load1', 6.79, '', '5.000', '10.000', 0), d('load5', 8.06, '', '4.000', '8.000', 0), d('load15', 6.68, '', '3.000', '6.000', 0)],
    ],
    ['check_disk', ' /=25333596160B;243497277849;257024904396;0;270552530944', [d('/', 25333596160, 'B', '243497277849', '257024904396', 0, 270552530944)]],
    ['check_swap', 'swap=0B;0;0;0;1023406080', [d('swap', 0, 'B', '0', '0', 0, 1023406080)]],
    ['empty', '', []],
    ['only spaces', '   \n  ', []],
  ];

  it.each(table)('%s', (_name, text, items) => {
    expect(parsePerfdata(text)).toEqual({ items, invalid: [] });
  });

  it('sets aside what does not parse and keeps the rest', () => {
    const { items, invalid } = parsePerfdata("good=1 bad no_value= =5 'unterminated=3");
    expect(items).toEqual([d('good', 1)]);
    expect(invalid).toEqual(['bad', 'no_value=', '=5', "'unterminated=3"]);
  });

  it.each([
    ['a comma decimal (not the C locale)', 'a=0,5'],
    ['a word for a value', 'a=abc'],
    ['two numbers', 'a=1.2.3'],
    ['a unit before the value', 'a=MB5'],
    ['text as min', 'a=1;;;zero'],
    ['a different unit on max', 'a=1MB;;;0;5GB'],
    ['a quoted label not followed by =', "'a b' c=1"],
    ['an empty quoted label', "''=1"],
    ['Infinity', 'a=1e999'],
  ])('refuses %s', (_name, text) => {
    const { items, invalid } = parsePerfdata(text);
    expect(items.filter((i) => i.label === 'a')).toEqual([]);
    expect(invalid.length).toBeGreaterThan(0);
  });

  it('keeps at most the item limit and clips what it sets aside', () => {
    const many = Array.from({ length: PERFDATA_LIMITS.items + 20 }, (_, i) => `m${i}=${i}`).join(' ');
    expect(parsePerfdata(many).items).toHaveLength(PERFDATA_LIMITS.items);
    const longBad = 'x'.repeat(5000);
    expect(parsePerfdata(longBad).invalid[0]!.length).toBeLessThanOrEqual(PERFDATA_LIMITS.labelChars);
    expect(parsePerfdata(`${'l'.repeat(PERFDATA_LIMITS.labelChars + 1)}=1`).items).toEqual([]);
  });

  it('never throws on any input (seeded random bytes and perfdata-like soup)', () => {
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const alphabet = "'=;|:~@ \t\n.-+eEU%sBKMTc0123456789abc\u0000\u00e9\ud83d";
    for (let round = 0; round < 2000; round++) {
      const len = Math.floor(rand() * 80);
      let s = '';
      for (let k = 0; k < len; k++) s += alphabet[Math.floor(rand() * alphabet.length)];
      const parsed = parsePerfdata(s);
      for (const item of parsed.items) {
        expect(typeof item.label).toBe('string');
        expect(item.value === null || Number.isFinite(item.value)).toBe(true);
      }
    }
    expect(() => parsePerfdata(undefined as unknown as string)).not.toThrow();
  });

  it('prints items back in the same format, which parses to the same items', () => {
    const items = [d("it's a b", 5, 'MB', '10', '@1:2', 0, 100), d('plain', null), d('x', 1.5, 's', null, '3')];
    const text = items.map(formatPerfDatum).join(' ');
    expect(text).toBe("'it''s a b'=5MB;10;@1:2;0;100 plain=U x=1.5s;;3");
    expect(parsePerfdata(text)).toEqual({ items, invalid: [] });
  });
});
