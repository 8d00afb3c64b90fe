import openapiTS, { astToString } from 'openapi-typescript';

const HEADER = '// Generated from openapi.json by `pnpm --filter @overmind/sdk generate`. Do not edit.\n\n';

/** Key-sorted JSON, so the committed document only changes when the API does. */
export function normalizeDocument(document: unknown): string {
  const sort = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sort);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sort((value as Record<string, unknown>)[k])]));
    }
    return value;
  };
  return `${JSON.stringify(sort(document), null, 2)}\n`;
}

/** The TypeScript types openapi-typescript makes of the document (the content of src/schema.d.ts). */
export async function renderSchema(document: unknown): Promise<string> {
  // openapi-typescript takes a parsed document; a copy keeps the caller's object untouched.
  const ast = await openapiTS(JSON.parse(JSON.stringify(document)), { alphabetize: true });
  return HEADER + astToString(ast);
}
