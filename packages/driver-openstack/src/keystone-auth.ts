import { ProviderError, remoteMessage } from '@overmind/provider';
import { errorFor, httpCall, jsonBody } from './openstack-http.js';
import type { OpenStackCredentials } from './openstack-settings.js';
import type { KsAuthRequest, KsCatalogEntry, KsTokenResponse } from './openstack-types.js';

/** A project-scoped Keystone token and the service catalog that came with it. */
export interface KeystoneSession {
  token: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  catalog: KsCatalogEntry[];
  projectId: string | null;
}

export function authRequest(credentials: OpenStackCredentials): KsAuthRequest {
  if (credentials.authType === 'applicationCredential') {
    // An application credential is bound to its project; Keystone refuses an explicit scope.
    return {
      auth: {
        identity: {
          methods: ['application_credential'],
          application_credential: {
            id: credentials.applicationCredentialId,
            secret: credentials.applicationCredentialSecret,
          },
        },
      },
    };
  }
  const project = credentials.projectId
    ? { id: credentials.projectId }
    : { name: credentials.projectName ?? '', domain: { name: credentials.projectDomainName ?? 'Default' } };
  return {
    auth: {
      identity: {
        methods: ['password'],
        password: {
          user: {
            name: credentials.username,
            password: credentials.password,
            domain: { name: credentials.userDomainName ?? 'Default' },
          },
        },
      },
      scope: { project },
    },
  };
}

/** `<authUrl>/v3/auth/tokens`, whether or not the configured URL already ends in /v3. */
export function tokensUrl(authUrl: string): URL {
  return new URL(`${authUrl.replace(/\/+$/, '').replace(/\/v3$/, '')}/v3/auth/tokens`);
}

export async function authenticate(
  authUrl: string,
  credentials: OpenStackCredentials,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<KeystoneSession> {
  const what = 'identity POST /v3/auth/tokens';
  const reply = await httpCall({
    method: 'POST',
    url: tokensUrl(authUrl),
    headers: {},
    body: authRequest(credentials),
    timeoutMs,
    signal,
    what,
  });
  if (reply.status >= 300) throw errorFor(what, reply);
  const token = reply.headers.get('x-subject-token');
  if (!token) throw new ProviderError('Keystone issued no X-Subject-Token header', { status: reply.status });
  const body = jsonBody<Partial<KsTokenResponse>>(what, reply).token;
  const expiresAt = Date.parse(body?.expires_at ?? '');
  if (!body || Number.isNaN(expiresAt)) throw new ProviderError('Keystone token response has no valid expires_at');
  if (!Array.isArray(body.catalog) || body.catalog.length === 0) {
    throw new ProviderError('Keystone token has no service catalog: is the user a member of the project?');
  }
  return { token, expiresAt, catalog: body.catalog, projectId: body.project?.id ?? null };
}

/** The URL of a service (`compute`, `image`) for the chosen interface and region. */
export function endpointFor(
  catalog: KsCatalogEntry[],
  type: string,
  iface: string,
  region: string | undefined,
): string {
  const service = catalog.find((entry) => entry.type === type);
  const endpoints = (service?.endpoints ?? []).filter(
    (e) => e.interface === iface && (region === undefined || e.region_id === region || e.region === region),
  );
  const endpoint = endpoints[0];
  if (!endpoint) {
    const where = region ? ` in region ${region}` : '';
    const types = remoteMessage([...new Set(catalog.map((entry) => entry.type))].join(', '), 200) ?? 'none';
    throw new ProviderError(`The service catalog has no ${iface} ${type} endpoint${where} (services: ${types})`);
  }
  // The token goes wherever the catalog says (see openstack-plugin's endpointSettings), but only over HTTP(S).
  let url: URL;
  try {
    url = new URL(String(endpoint.url));
  } catch {
    throw new ProviderError(`The service catalog's ${iface} ${type} endpoint is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ProviderError(`The service catalog's ${iface} ${type} endpoint is not an http(s) URL`);
  }
  return endpoint.url.replace(/\/+$/, '');
}
