import { createOvermindClient } from '@overmind/sdk';
import { sessionStore } from './session-store.js';

/** The one SDK client of the console: same origin, token read from the session on every request. */
export const overmind = createOvermindClient({ baseUrl: window.location.origin, getToken: sessionStore.token });
