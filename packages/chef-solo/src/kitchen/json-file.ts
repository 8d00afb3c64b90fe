/** Reads JSON files reporting where they are broken (line and column), for kitchen validation. */
import { readFile } from 'node:fs/promises';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { KitchenProblem } from './kitchen-types.js';

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

export async function readJsonFile(path: string, file: string): Promise<JsonRead> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    return { ok: false, problem: { file, message: `cannot read: ${(err as Error).message}` } };
  }
  return parseJson(text, file);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
