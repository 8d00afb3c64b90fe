/** Reads JSON files reporting where they are broken (line and column), for kitchen validation. */
import { open } from 'node:fs/promises';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { KitchenProblem } from './kitchen-types.js';
import { safeMessage } from './safe-message.js';

/** Largest role, environment, data bag item or cookbook metadata read (Chef Server's default request limit is 1 MB too). */
export const MAX_KITCHEN_FILE_BYTES = 1024 * 1024;

export type JsonRead = { ok: true; value: unknown } | { ok: false; problem: KitchenProblem };

function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** `CommaExpected` -> `comma expected`. */
function words(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** JSON.parse decides validity; jsonc-parser (strict mode) locates the first error. */
export function parseJson(text: string, file: string): JsonRead {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    const errors: ParseError[] = [];
    parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    const first = errors[0];
    const reason = first ? words(printParseErrorCode(first.error)) : (err as Error).message;
    const at = position(text, first?.offset ?? 0);
    return { ok: false, problem: { file, ...at, message: `invalid JSON: ${reason}` } };
  }
}

export type TextRead = { ok: true; text: string } | { ok: false; problem: KitchenProblem };

/** A kitchen file as text, refused past MAX_KITCHEN_FILE_BYTES so reading a kitchen never takes much memory. */
export async function readKitchenFile(path: string, file: string): Promise<TextRead> {
  try {
    const handle = await open(path, 'r');
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) return { ok: false, problem: { file, message: 'is not a file' } };
      if (stat.size > MAX_KITCHEN_FILE_BYTES) return { ok: false, problem: { file, message: `is larger than ${MAX_KITCHEN_FILE_BYTES} bytes, which is not read` } };
      return { ok: true, text: await handle.readFile('utf8') };
    } finally {
      await handle.close();
    }
  } catch (err) {
    return { ok: false, problem: { file, message: `cannot read: ${safeMessage(err)}` } };
  }
}

export async function readJsonFile(path: string, file: string): Promise<JsonRead> {
  const read = await readKitchenFile(path, file);
  return read.ok ? parseJson(read.text, file) : read;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
