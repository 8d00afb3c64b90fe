import { OvermindApiError } from '@overmind/sdk';
import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { sessionStore } from './session-store.js';

/** A 401 means the session ended: forget it, and RequireAuth sends the user to log in again. */
function onError(error: unknown) {
  if (error instanceof OvermindApiError && error.status === 401 && sessionStore.get()) sessionStore.set(null);
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        // Client errors will not heal by retrying; network blips and 5xx may.
        retry: (count, error) => !(error instanceof OvermindApiError && error.status < 500) && count < 2,
      },
    },
  });
}
