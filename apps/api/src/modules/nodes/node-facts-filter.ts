/**
 * The node list's facts filters. A node's shown facts are its registration's, else its agent's
 * (`coalesce(facts, agent_facts)`, GIN-indexed by migration 1764000000018). `fact=path=value` is a
 * containment test on that index; `os=` matches the OS's pretty name, or its id and version, in
 * either shape facts come in (os-release's `pretty_name`/`version_id` from the agent, `prettyName`/
 * `versionId` from registration).
 */
import { BadRequestError } from '../../lib/errors.js';

export const SHOWN_FACTS = 'coalesce(n.facts, n.agent_facts)';

export const OS_LABEL = `concat_ws(' ', ${SHOWN_FACTS}->'os'->>'pretty_name', ${SHOWN_FACTS}->'os'->>'prettyName',
  ${SHOWN_FACTS}->'os'->>'id', coalesce(${SHOWN_FACTS}->'os'->>'version_id', ${SHOWN_FACTS}->'os'->>'versionId'))`;

const SEGMENT = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_DEPTH = 8;

/**
 * `os.version_id=12` as the JSON documents a node's facts must contain: the value as a string, and
 * also as the number or boolean it spells (facts hold `cpu.count` as 4, `os.version_id` as "12").
 */
export function factContainment(expr: string): string[] {
  const eq = expr.indexOf('=');
  if (eq <= 0) throw new BadRequestError(`fact must be path=value (e.g. os.version_id=12), got "${expr}"`);
  const path = expr.slice(0, eq).split('.');
  const value = expr.slice(eq + 1);
  if (path.length > MAX_DEPTH) throw new BadRequestError(`fact path "${expr.slice(0, eq)}" is deeper than ${MAX_DEPTH} keys`);
  const bad = path.find((s) => !SEGMENT.test(s));
  if (bad !== undefined) {
    throw new BadRequestError(`fact path "${expr.slice(0, eq)}" has an invalid key "${bad}": keys are letters, digits, _ and -, separated by dots`);
  }
  if (value === '') throw new BadRequestError(`fact "${expr}" has no value after =`);
  const nest = (v: unknown) => JSON.stringify(path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), v));
  const typed = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value === 'true' ? true : value === 'false' ? false : undefined;
  return typed === undefined ? [nest(value)] : [nest(value), nest(typed)];
}
