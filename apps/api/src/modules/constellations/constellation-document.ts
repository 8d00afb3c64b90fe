/**
 * Import and export of a constellation as YAML or JSON, with the `yaml` package: JSON is YAML 1.2,
 * so one parser reads both and gives every node its source range, which is how a problem is reported
 * with the line and column of the field it is about.
 */
import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { LineCounter, isNode, parseDocument, stringify, type Document } from 'yaml';
import { UnprocessableError } from '../../lib/errors.js';
import { ConstellationDocument, checkSpec, fieldName, type ConstellationSpec, type SpecProblem } from './constellation-spec.js';

export type DocumentFormat = 'yaml' | 'json';

export interface DocumentProblem {
  field: string;
  message: string;
  line?: number;
  column?: number;
}

const ajv = new Ajv({ allErrors: true, strict: false });
(addFormats as unknown as (a: Ajv) => void)(ajv);
const validate = ajv.compile(ConstellationDocument as object);

function problemOf(e: ErrorObject): SpecProblem {
  const path: (string | number)[] = e.instancePath.split('/').slice(1).map((p) => (/^\d+$/.test(p) ? Number(p) : p.replaceAll('~1', '/').replaceAll('~0', '~')));
  if (e.keyword === 'additionalProperties') return { path: [...path, String(e.params.additionalProperty)], message: 'is not a known field' };
  if (e.keyword === 'required') return { path: [...path, String(e.params.missingProperty)], message: 'is required' };
  return { path, message: e.message ?? 'is invalid' };
}

/** Schema problems, one per place (Ajv reports each branch of a union; the first says enough). */
export function schemaProblems(value: unknown): SpecProblem[] {
  if (validate(value)) return [];
  const seen = new Set<string>();
  return (validate.errors ?? []).map(problemOf).filter((p) => {
    const key = fieldName(p.path);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Where a path is in the document: the key's line when the path names a missing or unknown field. */
function locate(doc: Document, lines: LineCounter, path: (string | number)[]): { line: number; column: number } | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) {
      // The value of an unknown field: point at its key, where the reader will look.
      const parent = n > 0 ? doc.getIn(path.slice(0, n - 1), true) : doc.contents;
      const pair = parent && 'items' in (parent as object) ? (parent as { items: { key?: { range?: number[]; value?: unknown } }[] }).items.find((p) => p.key && (p.key as { value?: unknown }).value === path[n - 1]) : undefined;
      const offset = pair?.key?.range?.[0] ?? node.range[0];
      const { line, col } = lines.linePos(offset);
      return { line, column: col };
    }
  }
  return undefined;
}

function refuse(message: string, errors: DocumentProblem[]): never {
  throw new UnprocessableError(`${message}: ${errors.map((e) => `${e.line ? `line ${e.line}: ` : ''}${e.field} ${e.message}`).join('; ')}`, { errors });
}

/**
 * Reads a document (YAML or JSON) into a name and spec, or throws a 422 whose errors name the field,
 * its line and column. Everything is checked before anything is stored.
 */
export function readDocument(text: string, format: DocumentFormat): { name: string; spec: ConstellationSpec; locate(path: (string | number)[]): { line: number; column: number } | undefined } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, ...(format === 'json' ? { schema: 'json' } : {}) });
  if (doc.errors.length > 0) {
    refuse(`The ${format.toUpperCase()} document cannot be read`, doc.errors.map((e) => {
      const pos = lines.linePos(e.pos[0]);
      return { field: 'document', message: e.message.split('\n')[0]!, line: pos.line, column: pos.col };
    }));
  }
  if (format === 'json') {
    // YAML reads more than JSON (aliases, tags, comments): a document sent as JSON must be JSON.
    try {
      JSON.parse(text);
    } catch (e) {
      const offset = Number(/position (\d+)/.exec((e as Error).message)?.[1] ?? 0);
      const pos = lines.linePos(offset);
      refuse('The JSON document cannot be read', [{ field: 'document', message: (e as Error).message, line: pos.line, column: pos.col }]);
    }
  }
  const value = toValue(doc);
  const at = (path: (string | number)[]) => locate(doc, lines, path);
  const withLines = (problems: SpecProblem[]) => problems.map((p) => ({ field: fieldName(p.path) || 'document', message: p.message, ...at(p.path) }));
  const problems = schemaProblems(value);
  if (problems.length > 0) refuse('The document is not a valid constellation', withLines(problems));
  const { name, tiers } = value as { name: string; tiers: ConstellationSpec['tiers'] };
  const spec = { tiers };
  const semantic = checkSpec(spec);
  if (semantic.length > 0) refuse('The document is not a valid constellation', withLines(semantic));
  return { name, spec, locate: at };
}

/** The document's value; an alias without its anchor, or too many aliases, is the writer's mistake. */
function toValue(doc: Document): unknown {
  try {
    return doc.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (e) {
    return refuse('The YAML document cannot be read', [{ field: 'document', message: (e as Error).message.split('\n')[0]! }]);
  }
}

export function writeDocument(name: string, spec: ConstellationSpec, format: DocumentFormat): string {
  const value = { name, tiers: spec.tiers };
  return format === 'json' ? `${JSON.stringify(value, null, 2)}\n` : stringify(value);
}
