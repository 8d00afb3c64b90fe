/**
 * What an agent run's end means for its job: the job's result in the same shape as the SSH path's
 * (nodes.run: `{ results: [{ nodeId, exitCode, ok, error? }] }`; configure: `{ nodeId, name, ok,
 * summary }`), its state, and the closing line each node gets in the job log.
 */
import type { JobRow } from '../../db/entities/index.js';

export interface EndedRun {
  id: string;
  jobId: string;
  nodeId: string;
  nodeName: string;
  kind: 'command' | 'converge';
  state: 'succeeded' | 'failed' | 'cancelled' | 'timed-out';
  exitCode: number | null;
  signal: string | null;
  summary: string | null;
  error: string | null;
  failedStep: string | null;
}

/** Jobs that touch several nodes prefix each node's lines with its name, as the SSH runner does. */
export function linePrefix(jobType: string, nodeName: string): string {
  return jobType === 'nodes.run' || jobType === 'server-role.apply' ? `[${nodeName}] ` : '';
}

export function runError(run: EndedRun): string {
  if (run.state === 'timed-out') return run.error ?? 'timed out';
  if (run.kind === 'converge' && run.failedStep) return `chef-solo failed at step "${run.failedStep}": ${run.error ?? 'no reason given'}`;
  if (run.error) return run.error;
  if (run.exitCode !== null && run.exitCode !== 0) return `exited with code ${run.exitCode}`;
  return run.signal ? `killed by ${run.signal}` : 'failed';
}

export function closingLine(jobType: string, run: EndedRun): { line: string; level: 'info' | 'warn' | 'error' } {
  const prefix = linePrefix(jobType, run.nodeName);
  if (run.kind === 'command') {
    if (run.state === 'cancelled') return { line: `${prefix}cancelled: ${run.error ?? ''}`.trimEnd(), level: 'warn' };
    if (run.exitCode === null) return { line: `${prefix}did not run to an exit code: ${runError(run)}`, level: 'error' };
    return { line: `${prefix}exit code ${run.exitCode}`, level: run.exitCode === 0 ? 'info' : 'warn' };
  }
  if (run.state === 'succeeded') return { line: `${prefix}${run.summary ?? 'chef-solo finished'}`, level: 'info' };
  return { line: `${prefix}configure of ${run.nodeName} ${run.state === 'cancelled' ? 'cancelled' : 'failed'}: ${runError(run)}`, level: 'error' };
}

export interface JobOutcome {
  state: 'succeeded' | 'failed' | 'cancelled';
  result: Record<string, unknown> | null;
  error: string | null;
  summaryLine: string;
}

interface NodeResult {
  nodeId: string;
  name?: string;
  ok: boolean;
  exitCode?: number | null;
  summary?: string | null;
  error?: string;
}

function resultOf(run: EndedRun): NodeResult {
  const ok = run.state === 'succeeded' && (run.kind === 'converge' || run.exitCode === 0);
  if (run.kind === 'command') return { nodeId: run.nodeId, exitCode: run.exitCode, ok, ...(run.exitCode === null || run.state !== 'succeeded' && run.state !== 'failed' ? { error: runError(run) } : {}) };
  return { nodeId: run.nodeId, name: run.nodeName, ok, ...(ok ? { summary: run.summary } : { error: runError(run) }) };
}

/** The job's end once all its runs ended; `pushed` are the results of nodes its handler did over SSH. */
export function jobOutcome(job: Pick<JobRow, 'type' | 'payload' | 'result'>, runs: EndedRun[]): JobOutcome {
  const pushed = ((job.result?.results as NodeResult[] | undefined) ?? []).filter((r) => !runs.some((x) => x.nodeId === r.nodeId));
  const results = [...pushed, ...runs.map(resultOf)];
  const order = (job.payload.nodeIds as string[] | undefined) ?? [];
  if (order.length > 0) results.sort((a, b) => order.indexOf(a.nodeId) - order.indexOf(b.nodeId));
  const cancelled = runs.find((r) => r.state === 'cancelled');
  if (cancelled) return { state: 'cancelled', result: { results }, error: cancelled.error ?? 'cancelled', summaryLine: 'cancelled' };

  if (job.type === 'nodes.run') {
    const ok = results.filter((r) => r.ok).length;
    return { state: 'succeeded', result: { results }, error: null, summaryLine: `${ok} of ${results.length} node(s) exited 0` };
  }
  if (job.type === 'node.configure') {
    const run = runs[0]!;
    const result = resultOf(run);
    if (result.ok) return { state: 'succeeded', result: { ...result }, error: null, summaryLine: `configured ${run.nodeName}` };
    return { state: 'failed', result: null, error: runError(run), summaryLine: `configure of ${run.nodeName} failed` };
  }
  const failed = results.filter((r) => !r.ok);
  if (failed.length === 0) return { state: 'succeeded', result: { results }, error: null, summaryLine: `all ${results.length} node(s) configured` };
  const names = failed.map((r) => r.name ?? r.nodeId).join(', ');
  return { state: 'failed', result: { results }, error: `${failed.length} of ${results.length} node(s) failed: ${names}`, summaryLine: `${failed.length} of ${results.length} node(s) failed` };
}
