/**
 * Turns a process's byte stream into lines (as packages/ssh does for remote output): UTF-8 decoded
 * across chunk boundaries, split on `\n`, a trailing `\r` dropped, and a line without a newline
 * delivered in pieces of at most `maxLineChars`, so a stream that never ends a line cannot grow memory.
 */
import { StringDecoder } from 'node:string_decoder';
import { MAX_LOG_LINE_CHARS } from '@overmind/agent-protocol';

export class LineSplitter {
  readonly #decoder = new StringDecoder('utf8');
  #partial = '';

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxLineChars = MAX_LOG_LINE_CHARS,
  ) {}

  push(chunk: Buffer): void {
    const parts = (this.#partial + this.#decoder.write(chunk)).split('\n');
    this.#partial = parts.pop()!;
    for (const line of parts) this.onLine(stripCr(line));
    while (this.#partial.length > this.maxLineChars) {
      const cut = pieceEnd(this.#partial, this.maxLineChars);
      this.onLine(this.#partial.slice(0, cut));
      this.#partial = this.#partial.slice(cut);
    }
  }

  /** Delivers the last line even when the stream did not end with a newline. */
  end(): void {
    const rest = this.#partial + this.#decoder.end();
    this.#partial = '';
    if (rest.length > 0) this.onLine(stripCr(rest));
  }
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** Where to cut `text` at most `max` UTF-16 units in, never between the halves of a surrogate pair. */
export function pieceEnd(text: string, max: number): number {
  if (text.length <= max) return text.length;
  const code = text.charCodeAt(max - 1);
  return code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
}

/** A line longer than the protocol allows, as the pieces that fit. */
export function splitLongLine(text: string, max = MAX_LOG_LINE_CHARS): string[] {
  if (text.length <= max) return [text];
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const cut = pieceEnd(rest, max);
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  pieces.push(rest);
  return pieces;
}
