/**
 * What the page a URL opens needs, asked for at start rather than once the shell has rendered: its
 * code (each page is a chunk of its own) and, for the node list, its first answers from the API.
 * The page then finds both on their way, or there (the query cache deduplicates the requests).
 */
import type { QueryClient } from '@tanstack/react-query';
import { matchPath } from 'react-router';
import { nodeQueryOf } from './api/node-list-query.js';
import { nodeListOptions } from './api/node-queries.js';
import { providerListOptions } from './api/provider-queries.js';
import { sessionStore } from './api/session-store.js';

/** Pages by route pattern, most specific first. */
export type PageLoaders = [pattern: string, load: () => Promise<unknown>][];

export function preloadPage(location: Pick<Location, 'pathname' | 'search'>, client: QueryClient, pages: PageLoaders): void {
  // Signed out, the login page comes first; the page's own requests would only be refused.
  if (!sessionStore.get()) return;
  const page = pages.find(([pattern]) => matchPath(pattern, location.pathname));
  if (!page) return;
  void page[1]();
  if (page[0] === '/nodes') {
    void client.prefetchQuery(nodeListOptions(nodeQueryOf(new URLSearchParams(location.search))));
    void client.prefetchQuery(providerListOptions());
  }
}
