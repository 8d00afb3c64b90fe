/**
 * Nagios-style checks over the protocol (capability `checks`): the definitions the server hands an
 * agent (in `welcome.features.checks`, then `checks.set` whenever they change) and the results the
 * agent sends back in `check.results`. Bounds come from `@overmind/checks`, which clips to them.
 */
import { OUTPUT_LIMITS, PERFDATA_LIMITS } from '@overmind/checks';
import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';

const Id = Type.String({ minLength: 1, maxLength: 64 });

/** At most this many checks for one node, and results in one `check.results`. */
export const MAX_CHECKS_PER_NODE = 500;
export const MAX_CHECK_RESULTS_PER_MESSAGE = 500;

export const CheckDefinition = Type.Object({
  id: Id,
  name: Type.String({ minLength: 1, maxLength: 200 }),
  /** The program (an absolute path, or a name looked up on the agent's PATH), or with `shell` a shell command. */
  command: Type.String({ minLength: 1, maxLength: 4096 }),
  /** Its arguments, one per element, passed as they are (no shell, no word splitting). With `shell`, `$1`, `$2`... */
  args: Type.Array(Type.String({ maxLength: 4096 }), { maxItems: 64 }),
  /** Run `command` by `/bin/sh -c`; only when a check asks for it. */
  shell: Type.Boolean(),
  intervalSeconds: Type.Integer({ minimum: 1, maximum: 86_400 }),
  /** Past this the process group is killed and the result is UNKNOWN. */
  timeoutSeconds: Type.Integer({ minimum: 1, maximum: 3600 }),
});
export type CheckDefinition = Static<typeof CheckDefinition>;

export const CheckDefinitions = Type.Array(CheckDefinition, { maxItems: MAX_CHECKS_PER_NODE });

export const PerfDatum = Type.Object({
  label: Type.String({ minLength: 1, maxLength: PERFDATA_LIMITS.labelChars }),
  /** Null for `U`: the plugin could not determine it. */
  value: Type.Union([Type.Number(), Type.Null()]),
  uom: Type.String({ maxLength: PERFDATA_LIMITS.uomChars }),
  warn: Type.Union([Type.String({ maxLength: PERFDATA_LIMITS.thresholdChars }), Type.Null()]),
  crit: Type.Union([Type.String({ maxLength: PERFDATA_LIMITS.thresholdChars }), Type.Null()]),
  min: Type.Union([Type.Number(), Type.Null()]),
  max: Type.Union([Type.Number(), Type.Null()]),
});

export const CheckResult = Type.Object({
  checkId: Id,
  /** 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. */
  state: Type.Integer({ minimum: 0, maximum: 3 }),
  /** The status text (first line before `|`), or the reason a result is UNKNOWN. */
  output: Type.String({ maxLength: OUTPUT_LIMITS.outputChars }),
  longOutput: Type.String({ maxLength: OUTPUT_LIMITS.longOutputChars }),
  perfdata: Type.Array(PerfDatum, { maxItems: PERFDATA_LIMITS.items }),
  durationMs: Type.Integer({ minimum: 0 }),
  /** When the check started. */
  at: Type.String({ format: 'date-time' }),
});
export type CheckResult = Static<typeof CheckResult>;

const definitionsValidator = Compile(CheckDefinitions);

/** `welcome.features.checks` is free-form to the welcome schema: an agent checks it with this. */
export function decodeCheckDefinitions(value: unknown): { ok: true; checks: CheckDefinition[] } | { ok: false; reason: string } {
  if (definitionsValidator.Check(value)) return { ok: true, checks: value as CheckDefinition[] };
  const first = [...definitionsValidator.Errors(value)][0] as { instancePath?: string; message?: string } | undefined;
  return { ok: false, reason: `features.checks${first?.instancePath ?? ''} ${first?.message ?? 'is invalid'}` };
}
