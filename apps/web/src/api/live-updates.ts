import type { Node, NodePage, OvermindEvent } from '@overmind/sdk';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { jobKeys, type JobLog } from './job-queries.js';
import { nodeKeys } from './node-queries.js';
import { overmind } from './overmind-client.js';
import { providerKeys } from './provider-queries.js';
import { refetchSoon } from './refetch-soon.js';

const EVENT_TYPES = ['node', 'job', 'job.log', 'provider', 'resync'] as const;

/**
 * Folds one event of the stream into the TanStack Query cache: rows already on screen change in
 * place at once; what the cache cannot patch (a new or vanished node, counts, job lists) is
 * refetched soon, once for a burst of events.
 */
export function applyEvent(client: QueryClient, event: OvermindEvent): void {
  switch (event.type) {
    case 'node': {
      const { type: _type, gone, ...change } = event;
      const patch = (node: Node): Node => ({ ...node, ...change });
      let listed = false;
      client.setQueriesData<NodePage>({ queryKey: nodeKeys.lists() }, (page) => {
        if (!page?.items.some((n) => n.id === event.id)) return page;
        listed = true;
        return { ...page, items: page.items.map((n) => (n.id === event.id ? patch(n) : n)) };
      });
      client.setQueryData<Node>(nodeKeys.detail(event.id), (node) => node && patch(node));
      if (!listed || gone) refetchSoon(client, nodeKeys.lists());
      refetchSoon(client, nodeKeys.summary());
      return;
    }
    case 'job':
      client.setQueryData(jobKeys.detail(event.id), (job: object | undefined) =>
        job && { ...job, state: event.state, progress: event.progress, ...(event.error === undefined ? {} : { error: event.error }) },
      );
      refetchSoon(client, jobKeys.lists());
      return;
    case 'job.log': {
      // The event names the lines stored, not their text: the log fetches what follows the last line
      // it holds (`after=`), unless it holds these already (the poll got there first).
      const held = client.getQueryData<JobLog>(jobKeys.logs(event.id));
      if (held && held.lastId >= Number(event.lastLineId)) return;
      void client.invalidateQueries({ queryKey: jobKeys.logs(event.id) });
      return;
    }
    case 'provider':
      void client.invalidateQueries({ queryKey: providerKeys.all });
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
