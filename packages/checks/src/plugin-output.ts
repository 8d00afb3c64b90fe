/**
 * A plugin's stdout split the way Nagios 3 and later read it (Monitoring Plugins guidelines, "Plugin
 * Output for Nagios" and "Performance data"):
 *
 *     SERVICE STATUS: First line of output | First part of performance data
 *     Any number of subsequent lines of output, but note that buffers
 *     may have a limited size | Second part of performance data, which
 *     may have continuation lines, too
 *
 * The status text is the first line before its first `|`; the long output is the later lines before
 * the first `|` among them; everything after either `|` is performance data.
 */
import { OUTPUT_LIMITS } from './check-limits.js';
import { parsePerfdata, type PerfDatum } from './perfdata.js';

export interface PluginOutput {
  /** The status text. */
  output: string;
  /** Later lines ('' when there are none). */
  longOutput: string;
  perfdata: PerfDatum[];
  /** Performance data items that did not parse. */
  invalidPerfdata: string[];
}

export function clipText(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function parsePluginOutput(stdout: string): PluginOutput {
  const text = String(stdout ?? '').replace(/\r\n?/g, '\n').replace(/\0/g, '');
  const newline = text.indexOf('\n');
  const first = newline < 0 ? text : text.slice(0, newline);
  const rest = newline < 0 ? '' : text.slice(newline + 1);

  const bar = first.indexOf('|');
  const output = (bar < 0 ? first : first.slice(0, bar)).trim();
  const perf1 = bar < 0 ? '' : first.slice(bar + 1);

  const bar2 = rest.indexOf('|');
  const longOutput = (bar2 < 0 ? rest : rest.slice(0, bar2)).replace(/\s+$/, '');
  const perf2 = bar2 < 0 ? '' : rest.slice(bar2 + 1);

  // Nagios joins the two parts without a space; a separator keeps their edges apart.
  const perf = parsePerfdata(`${perf1} ${perf2}`);
  return {
    output: clipText(output, OUTPUT_LIMITS.outputChars),
    longOutput: clipText(longOutput, OUTPUT_LIMITS.longOutputChars),
    perfdata: perf.items,
    invalidPerfdata: perf.invalid,
  };
}
