import type { AgentEvent, ListNodesQuery, Node, NodeChecks, NodePage, OvermindEvent } from '@overmind/sdk';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { agentKeys, agentTokenKeys } from './agent-queries.js';
import { alertKeys } from './alert-queries.js';
import { checkKeys } from './check-queries.js';
import { jobKeys, logGrew, type JobLog } from './job-queries.js';
import { nodeKeys } from './node-queries.js';
import { overmind } from './overmind-client.js';
import { providerKeys } from './provider-queries.js';
import { refetchSoon } from './refetch-soon.js';

const EVENT_TYPES = ['node', 'job', 'job.log', 'provider', 'agent', 'readings', 'check', 'health', 'alert', 'resync'] as const;

/** Patches one node wherever the cache holds it: in the lists it is on, and its detail. Says whether a list had it. */
function patchNode(client: QueryClient, id: string, patch: (node: Node) => Node): boolean {
  let listed = false;
  client.setQueriesData<NodePage>({ queryKey: nodeKeys.lists() }, (page) => {
    if (!page?.items.some((n) => n.id === id)) return page;
    listed = true;
    return { ...page, items: page.items.map((n) => (n.id === id ? patch(n) : n)) };
  });
  client.setQueryData<Node>(nodeKeys.detail(id), (node) => node && patch(node));
  return listed;
}

/** Whether a cached node list is filtered or sorted by health (a health change may move a node in or out of it). */
function listsByHealth(client: QueryClient): boolean {
  return client.getQueryCache().findAll({ queryKey: nodeKeys.lists() }).some((q) => {
    const query = q.queryKey[2] as ListNodesQuery | undefined;
    return query?.health !== undefined || query?.sort === 'health';
  });
}

/**
 * A node shows its active agent's connection. A revoked or rejected agent leaves its node, unless
 * the node has another agent by then (an approval onto it revokes the old one in the same change).
 */
function withAgent(node: Node, event: AgentEvent): Node {
  if (event.status === 'active') return { ...node, agent: { id: event.id, state: event.connected ? 'connected' : 'disconnected', since: event.since } };
  return node.agent?.id === event.id ? { ...node, agent: null } : node;
}

/**
 * Folds one event of the stream into the TanStack Query cache: rows already on screen change in
 * place at once; what the cache cannot patch (a new or vanished node, counts, job lists) is
 * refetched soon, once for a burst of events.
 */
export function applyEvent(client: QueryClient, event: OvermindEvent): void {
  switch (event.type) {
    case 'node': {
      const { type: _type, gone, ...change } = event;
      const listed = patchNode(client, event.id, (node) => ({ ...node, ...change }));
      if (!listed || gone) refetchSoon(client, nodeKeys.lists());
      refetchSoon(client, nodeKeys.summary());
      return;
    }
    case 'job': {
      const held = client.getQueryData<{ state: string }>(jobKeys.detail(event.id));
      client.setQueryData(jobKeys.detail(event.id), (job: object | undefined) =>
        job && { ...job, state: event.state, progress: event.progress, ...(event.error === undefined ? {} : { error: event.error }) },
      );
      // A new state comes with what the event does not carry (started or finished at, attempts, result).
      if (held && held.state !== event.state) refetchSoon(client, jobKeys.detail(event.id));
      refetchSoon(client, jobKeys.lists());
      return;
    }
    case 'job.log': {
      // The event names the lines stored, not their text: the log fetches what follows the last line
      // it holds (`after=`), unless it holds these already (the poll got there first).
      const held = client.getQueryData<JobLog>(jobKeys.logs(event.id));
      if (held && held.lastId >= Number(event.lastLineId)) return;
      logGrew(event.id);
      void client.invalidateQueries({ queryKey: jobKeys.logs(event.id) });
      return;
    }
    case 'provider':
      void client.invalidateQueries({ queryKey: providerKeys.all });
      return;
    case 'agent':
      // The node list's Agent column changes in place; the agent lists (its status may move it from
      // one to another) and the join tokens (an enrolment spends one) are refetched soon.
      if (event.nodeId) patchNode(client, event.nodeId, (node) => withAgent(node, event));
      client.setQueryData(agentKeys.detail(event.id), (agent: object | undefined) =>
        agent && { ...agent, status: event.status, connected: event.connected, since: event.since });
      refetchSoon(client, agentKeys.all);
      refetchSoon(client, agentTokenKeys.all);
      return;
    case 'readings': {
      // Patches what is on screen and nothing else: thousands of nodes report every few seconds, and
      // a node not shown needs nothing (its row arrives with readings when it is fetched).
      const latest = new Map(event.nodes.map(({ id, ...readings }) => [id, readings]));
      client.setQueriesData<NodePage>({ queryKey: nodeKeys.lists() }, (page) =>
        page?.items.some((n) => latest.has(n.id)) ? { ...page, items: page.items.map((n) => (latest.has(n.id) ? { ...n, readings: latest.get(n.id)! } : n)) } : page,
      );
      for (const [id, readings] of latest) client.setQueryData<Node>(nodeKeys.detail(id), (node) => node && { ...node, readings });
      return;
    }
    case 'health': {
      const listed = patchNode(client, event.nodeId, (node) => ({ ...node, health: event.health, healthSince: event.since }));
      client.setQueryData<NodeChecks>(checkKeys.node(event.nodeId), (checks) => checks && { ...checks, health: event.health, healthSince: event.since });
      // Rows change in place; a list that filters or sorts by health is fetched again (once per burst).
      if (listed && listsByHealth(client)) refetchSoon(client, nodeKeys.lists());
      return;
    }
    case 'check': {
      // The state and status text change at once; what the event does not carry (performance data,
      // long output, the history row) comes with a refetch of that node's checks, if they are shown.
      client.setQueryData<NodeChecks>(checkKeys.node(event.nodeId), (checks) => checks && {
        ...checks,
        items: checks.items.map((c) => (c.checkId === event.checkId && c.result ? { ...c, result: { ...c.result, state: event.state, output: event.output, stateSince: event.at } } : c)),
      });
      if (client.getQueryData(checkKeys.node(event.nodeId))) refetchSoon(client, checkKeys.node(event.nodeId));
      refetchSoon(client, checkKeys.histories(event.nodeId));
      return;
    }
    case 'alert':
      // A fired alert is a new row and a resolved one may move between filtered lists: refetched, once per burst.
      refetchSoon(client, alertKeys.lists());
      return;
    case 'resync':
      void client.invalidateQueries();
      return;
  }
}

/** A stream the server refused (429: too many open in other tabs) is tried again after this long. */
export const REOPEN_MS = 30_000;

/** Keeps the cache live while signed in: one EventSource on /api/v1/events (it reconnects by itself). */
export function useLiveUpdates(token: string | undefined): void {
  const client = useQueryClient();
  useEffect(() => {
    if (!token) return;
    const onMessage = (message: MessageEvent<string>) => {
      try {
        applyEvent(client, JSON.parse(message.data) as OvermindEvent);
      } catch {
        // A message we cannot read must not stop the stream.
      }
    };
    // EventSource reconnects by itself, but what happened while it was away is not sent again:
    // after a reconnect, everything shown is refetched.
    let connected = false;
    let source: EventSource;
    let reopen: ReturnType<typeof setTimeout> | undefined;
    const open = () => {
      source = new EventSource(overmind.eventsUrl());
      for (const type of EVENT_TYPES) source.addEventListener(type, onMessage);
      source.addEventListener('open', () => {
        if (connected) void client.invalidateQueries();
        connected = true;
      });
      // It does not retry a stream the server refused (an answer other than 200): this one does, later.
      source.addEventListener('error', () => {
        if (source.readyState === EventSource.CLOSED) reopen = setTimeout(open, REOPEN_MS);
      });
    };
    open();
    return () => {
      clearTimeout(reopen);
      source.close();
    };
  }, [client, token]);
}
