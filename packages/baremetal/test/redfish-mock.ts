/**
 * A loopback HTTPS Redfish service replaying the DMTF "public-rackmount1" mockup (fixtures/redfish),
 * with a throwaway self-signed certificate made by `openssl req`. It keeps power and boot override
 * state, checks basic or session credentials, and answers errors with Redfish error bodies.
 */
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const FIXTURES = new URL('./fixtures/redfish/', import.meta.url);
const SYSTEM = '/redfish/v1/Systems/437XR1138R2';
const SESSIONS = '/redfish/v1/SessionService/Sessions';

type Json = Record<string, any>;

export interface SeenRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

type Send = (status: number, json?: Json, headers?: Record<string, string>) => void;

/** Answers one route in place of the mockup: `send` as the mock would, or `res` for anything raw. */
export type RedfishOverride = (answer: { res: ServerResponse; send: Send; system: () => Json; session: Json }) => void;

export interface RedfishMock {
  url: string;
  port: number;
  /** `fingerprint256` of the server certificate. */
  fingerprint: string;
  requests: SeenRequest[];
  /** ResetType values the service accepted, in order. */
  resets: string[];
  patches: { ifMatch: string | undefined; body: Json }[];
  state: { power: 'On' | 'Off'; boot: Json; etag: number; omitAllowableValues: boolean };
  activeSessions(): number;
  expireSessions(): void;
  /** Answers `METHOD /path` (no trailing slash) with `answer` instead, before any credential check; until cleared. */
  overrides: Map<string, RedfishOverride>;
  close(): Promise<void>;
}

const fixture = async (name: string): Promise<Json> => JSON.parse(await readFile(new URL(`${name}.json`, FIXTURES), 'utf8'));

async function selfSignedCert(dir: string): Promise<{ key: Buffer; cert: Buffer }> {
  await run('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=bmc.test', '-addext', 'subjectAltName=IP:127.0.0.1',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ]);
  return { key: await readFile(join(dir, 'key.pem')), cert: await readFile(join(dir, 'cert.pem')) };
}

export async function startRedfishMock(credentials: { username: string; password: string }): Promise<RedfishMock> {
  const dir = await mkdtemp(join(tmpdir(), 'overmind-redfish-'));
  const { key, cert } = await selfSignedCert(dir);
  const [root, systems, system, chassis, thermal, session, resetError, unauthorized] = (await Promise.all(
    ['service-root', 'systems', 'system', 'chassis', 'thermal', 'session', 'error-reset-value', 'error-unauthorized'].map(fixture),
  )) as Json[] as [Json, Json, Json, Json, Json, Json, Json, Json];
  const allowedResets: string[] = system.Actions['#ComputerSystem.Reset']['ResetType@Redfish.AllowableValues'];
  const tokens = new Map<string, string>();
  let nextSession = 1;
  const mock = {
    requests: [] as SeenRequest[],
    resets: [] as string[],
    patches: [] as RedfishMock['patches'],
    state: { power: 'On' as 'On' | 'Off', boot: structuredClone(system.Boot) as Json, etag: 1, omitAllowableValues: false },
    overrides: new Map<string, RedfishOverride>(),
  };

  const systemView = (): Json => {
    const view = structuredClone(system);
    view.PowerState = mock.state.power;
    view.Boot = { ...view.Boot, ...mock.state.boot };
    view['@odata.etag'] = `W/"${mock.state.etag}"`;
    if (mock.state.omitAllowableValues) delete view.Actions['#ComputerSystem.Reset']['ResetType@Redfish.AllowableValues'];
    return view;
  };

  const authorized = (headers: SeenRequest['headers']): boolean => {
    const token = headers['x-auth-token'];
    if (typeof token === 'string') return tokens.has(token);
    const basic = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
    return headers.authorization === basic;
  };

  const server: Server = createServer({ key, cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'https://x').pathname;
      const body = Buffer.concat(chunks).toString('utf8');
      mock.requests.push({ method: req.method ?? '', path, headers: req.headers, body });
      const send: Send = (status, json, headers = {}) => {
        res.writeHead(status, { ...(json ? { 'Content-Type': 'application/json' } : {}), ...headers });
        res.end(json ? JSON.stringify(json) : undefined);
      };
      const route = `${req.method} ${path.replace(/\/$/, '') || '/'}`;
      const override = mock.overrides.get(route);
      if (override) return override({ res, send, system: systemView, session });
      if (route === 'GET /redfish/v1') return send(200, root);
      if (route === `POST ${SESSIONS}`) {
        const { UserName, Password } = JSON.parse(body || '{}');
        if (UserName !== credentials.username || Password !== credentials.password) return send(401, unauthorized);
        const id = `S${nextSession++}`;
        const token = `token-${id}-${Math.random().toString(36).slice(2)}`;
        tokens.set(token, id);
        return send(201, { ...session, Id: id, '@odata.id': `${SESSIONS}/${id}` }, { 'X-Auth-Token': token, Location: `${SESSIONS}/${id}` });
      }
      if (!authorized(req.headers)) return send(401, unauthorized);
      if (req.method === 'DELETE' && path.startsWith(`${SESSIONS}/`)) {
        for (const [token, id] of tokens) if (path.endsWith(`/${id}`)) tokens.delete(token);
        return send(204);
      }
      if (route === 'GET /redfish/v1/Systems') return send(200, systems);
      if (route === `GET ${SYSTEM}`) return send(200, systemView());
      if (route === 'GET /redfish/v1/Chassis/1U') return send(200, chassis);
      if (route === 'GET /redfish/v1/Chassis/1U/Thermal') return send(200, thermal);
      if (route === `POST ${SYSTEM}/Actions/ComputerSystem.Reset`) {
        const { ResetType } = JSON.parse(body || '{}');
        if (!allowedResets.includes(ResetType)) return send(400, resetError);
        mock.resets.push(ResetType);
        mock.state.power = ['ForceOff', 'GracefulShutdown'].includes(ResetType) ? 'Off' : 'On';
        return send(204);
      }
      if (route === `PATCH ${SYSTEM}`) {
        const ifMatch = req.headers['if-match'];
        if (ifMatch !== undefined && ifMatch !== `W/"${mock.state.etag}"`) return send(412);
        const patch = JSON.parse(body || '{}');
        mock.patches.push({ ifMatch, body: patch });
        Object.assign(mock.state.boot, patch.Boot ?? {});
        mock.state.etag += 1;
        return send(204);
      }
      return send(404, { error: { code: 'Base.1.16.ResourceNotFound', message: `No resource at ${path}` } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    ...mock,
    url: `https://127.0.0.1:${port}`,
    port,
    fingerprint: new X509Certificate(cert).fingerprint256,
    activeSessions: () => tokens.size,
    expireSessions: () => tokens.clear(),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
