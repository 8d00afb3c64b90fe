import type { ListNodesQuery, Node, RunCommandBody } from '@overmind/sdk';
import { newIdempotencyKey } from '@overmind/sdk';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { jobKeys } from './job-queries.js';
import { overmind } from './overmind-client.js';
import { call } from './sdk-call.js';

export const commandKeys = {
  all: ['commands'] as const,
  history: (page: number) => [...commandKeys.all, 'history', page] as const,
};

/** The most nodes one command may run on (the API's bound). */
export const MAX_COMMAND_NODES = 500;
export const HISTORY_PAGE = 20;

export const useCommandHistory = (page = 1) =>
  useQuery({
    queryKey: commandKeys.history(page),
    queryFn: () => call(overmind.raw.GET('/api/v1/nodes/actions/run/history', { params: { query: { page, limit: HISTORY_PAGE } } })),
  });

/** Queues the command (a `nodes.run` job); history and jobs refetch. */
export function useRunCommand() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: RunCommandBody) =>
      call(overmind.raw.POST('/api/v1/nodes/actions/run', { params: { header: { 'idempotency-key': newIdempotencyKey() } }, body })),
    onSettled: () => Promise.all([client.invalidateQueries({ queryKey: commandKeys.all }), client.invalidateQueries({ queryKey: jobKeys.lists() })]),
  });
}

/** Every live node with a tag, page by page (at most MAX_COMMAND_NODES: a command takes no more). */
export async function nodesWithTag(tag: string): Promise<Node[]> {
  const out: Node[] = [];
  for (let page = 1; out.length < MAX_COMMAND_NODES; page++) {
    const query: ListNodesQuery = { tag, page, limit: 200 };
    const answer = await overmind.listNodes(query);
    out.push(...answer.items);
    if (out.length >= answer.total || answer.items.length === 0) break;
  }
  return out.slice(0, MAX_COMMAND_NODES);
}

export interface NodeOutcome {
  nodeId: string;
  exitCode: number | null;
  ok: boolean;
  error?: string;
}

/** The per-node outcomes of a finished `nodes.run` job. */
export const outcomesOf = (result: Record<string, unknown> | null | undefined): NodeOutcome[] =>
  Array.isArray(result?.results) ? (result.results as NodeOutcome[]) : [];

export interface NodePane {
  lines: string[];
  /** From the log's `exit code N` line, before the job's result arrives. */
  exitCode: number | null | undefined;
  error?: string;
}

const EXIT = /^exit code (\d+|none.*)$/;
const DID_NOT_RUN = /^did not run: (.*)$/;

/** Splits the job's log (`[node-name] line`) into one pane per node name; other lines are the job's own. */
export function splitByNode(lines: string[], names: string[]): { panes: Map<string, NodePane>; own: string[] } {
  const panes = new Map<string, NodePane>(names.map((n) => [n, { lines: [], exitCode: undefined }]));
  const own: string[] = [];
  for (const line of lines) {
    const close = line.startsWith('[') ? line.indexOf('] ') : -1;
    const pane = close > 0 ? panes.get(line.slice(1, close)) : undefined;
    if (!pane) {
      own.push(line);
      continue;
    }
    const text = line.slice(close + 2);
    const exit = EXIT.exec(text);
    const failed = DID_NOT_RUN.exec(text);
    if (exit) pane.exitCode = /^\d+$/.test(exit[1]!) ? Number(exit[1]) : null;
    else if (failed) pane.error = failed[1];
    else pane.lines.push(text);
  }
  return { panes, own };
}
