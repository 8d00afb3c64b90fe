/**
 * Runs one shell command on many registered nodes with bounded concurrency (the driver's SSH pool).
 * Output lines reach ctx.log prefixed with the node's name; every node gets its own result.
 */
import type { NodeCommandResult, ProviderError, RunCommandOptions } from '@overmind/provider';
import type { NodeSsh, ResolvedNode } from './node-ssh.js';

export interface RunOnNodesDeps {
  ssh: NodeSsh;
  resolve(id: string): Promise<ResolvedNode>;
}

function errorSummary(err: unknown): { name: string; code: string; message: string } {
  const e = err instanceof Error ? err : new Error(String(err));
  return { name: e.name, code: (e as Partial<ProviderError>).code ?? 'error', message: e.message };
}

export async function runOnNodes(
  ids: readonly string[],
  command: string,
  options: RunCommandOptions & { timeoutMs: number },
  deps: RunOnNodesDeps,
): Promise<NodeCommandResult[]> {
  const unique = [...new Set(ids)];
  const resolved = await Promise.all(unique.map((id) => deps.resolve(id).then((node) => ({ id, node }), (error: unknown) => ({ id, error }))));
  const nodes = resolved.flatMap((r) => ('node' in r ? [r.node] : []));
  const results = await deps.ssh.onMany(
    nodes,
    (session, node) => {
      const log = options.log ? (line: string) => options.log!(`[${node.record.name}] ${line}`) : undefined;
      return session.exec(command, {
        timeoutMs: options.timeoutMs,
        sudo: options.sudo === true,
        signal: options.signal,
        // On stdin, never on the command line: the values may be secrets.
        ...(options.env ? { secretEnv: options.env } : {}),
        onStdout: log,
        onStderr: log,
      });
    },
    options.signal,
  );
  const byId = new Map(results.map((r) => [r.target.nodeId, r]));
  return resolved.map((r): NodeCommandResult => {
    if ('error' in r) return { nodeId: r.id, ok: false, durationMs: 0, error: errorSummary(r.error) };
    const result = byId.get(r.id)!;
    if (!result.ok) return { nodeId: r.id, ok: false, durationMs: result.durationMs, error: errorSummary(result.error) };
    const { exitCode, stdout, stderr } = result.value;
    return { nodeId: r.id, ok: true, durationMs: result.durationMs, exitCode, stdout, stderr };
  });
}
