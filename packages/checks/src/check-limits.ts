/**
 * Bounds on what one check result carries, so that a chatty plugin cannot fill a message, a row or a
 * screen. The agent clips to them; the protocol's schema and the API's columns hold them.
 */

export const PERFDATA_LIMITS = {
  /** Items kept per result; more are dropped. */
  items: 100,
  labelChars: 200,
  uomChars: 16,
  /** A warn or crit range. */
  thresholdChars: 64,
} as const;

export const OUTPUT_LIMITS = {
  /** The status text (first line, before `|`). */
  outputChars: 4096,
  /** The long output (later lines). */
  longOutputChars: 16 * 1024,
} as const;
