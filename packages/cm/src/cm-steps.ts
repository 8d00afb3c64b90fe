/**
 * Runs an apply as named steps (libcloud's deployment steps): each timed and reported, the first
 * failure skipping the rest, cleanup steps always run. The result names the failed step.
 */
import { ApplyFailedError, CmError } from './cm-errors.js';
import type { ApplyResult, CmContext, StepReport } from './cm-types.js';

export interface ApplyStep {
  name: string;
  /** A returned string becomes the result's summary (the last one wins). */
  run(): Promise<string | void>;
}

export interface RunStepsOptions {
  /** Run after the steps whatever happened (e.g. removing secrets from the node). */
  cleanup?: ApplyStep[];
  ctx?: CmContext;
}

/** A step's failure as a CM error, keeping typed ones and naming the step for the rest. */
export function toStepError(step: string, err: unknown): CmError {
  if (err instanceof CmError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const retryable = typeof err === 'object' && err !== null && (err as { retryable?: unknown }).retryable === true;
  return new ApplyFailedError(step, message, { cause: err, retryable });
}

/** The result of an apply that failed before any step could run (e.g. its repository is unreadable). */
export function failedApply(step: string, err: unknown): ApplyResult {
  return { ok: false, steps: [{ name: step, status: 'failed', durationMs: 0 }], durationMs: 0, failedStep: step, error: toStepError(step, err) };
}

export async function runSteps(steps: ApplyStep[], options: RunStepsOptions = {}): Promise<ApplyResult> {
  const log = options.ctx?.log ?? (() => {});
  const started = Date.now();
  const reports: StepReport[] = [];
  let failure: { step: string; error: CmError } | undefined;
  let summary: string | null = null;

  const attempt = async (step: ApplyStep): Promise<CmError | undefined> => {
    const at = Date.now();
    log(`==> ${step.name}`);
    try {
      const said = await step.run();
      if (typeof said === 'string') summary = said;
      reports.push({ name: step.name, status: 'ok', durationMs: Date.now() - at });
      return undefined;
    } catch (err) {
      const error = toStepError(step.name, err);
      reports.push({ name: step.name, status: 'failed', durationMs: Date.now() - at });
      log(`==> ${step.name} failed: ${error.message}`);
      return error;
    }
  };

  for (const step of steps) {
    if (failure) {
      reports.push({ name: step.name, status: 'skipped', durationMs: 0 });
      continue;
    }
    const error = await attempt(step);
    if (error) failure = { step: step.name, error };
  }
  // Cleanup failures only decide the outcome when nothing failed before them.
  for (const step of options.cleanup ?? []) {
    const error = await attempt(step);
    if (error && !failure) failure = { step: step.name, error };
  }

  const durationMs = Date.now() - started;
  if (failure) return { ok: false, steps: reports, durationMs, failedStep: failure.step, error: failure.error };
  return { ok: true, steps: reports, durationMs, summary };
}
