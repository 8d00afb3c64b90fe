/**
 * What may be stored as job log text (and job errors). Output comes from commands on nodes that may
 * be hostile: it must neither fail the INSERT that stores it (Postgres text cannot hold NUL) nor
 * act on whoever reads it later (a terminal obeys escape sequences, `\r` overwrites a line).
 */

/** A stored log line keeps at most this many characters; a marker says how many more there were. */
export const MAX_LOG_LINE_CHARS = 8192;

// C0 controls but tab and newline, DEL, and C1 controls (which some terminals obey as escapes).
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// A UTF-16 half without its other half (invalid UTF-8 decodes to U+FFFD before this; a cut can leave one).
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Control characters become visible: C0 as their Unicode control pictures (NUL as ␀, ESC as ␛, CR as
 * ␍), DEL as ␡, C1 as U+FFFD. Colour sequences are kept visible too (`␛[31m`): the console shows
 * text, never interprets it, and nothing a node sent is hidden from its reader.
 */
function visible(c: string): string {
  const code = c.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  return code === 0x7f ? '\u2421' : '\ufffd';
}

/** `text` as it can be stored and shown: control characters visible, well-formed, at most `max` characters plus a marker. */
export function storableText(text: string, max = MAX_LOG_LINE_CHARS): string {
  const cut = Math.max(0, text.length - max);
  const kept = (cut > 0 ? text.slice(0, max) : text).replace(CONTROL, visible).replace(LONE_SURROGATE, '\ufffd');
  return cut > 0 ? `${kept}… [${cut} more characters not stored]` : kept;
}
