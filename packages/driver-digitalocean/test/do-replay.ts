import { createHash } from 'node:crypto';
import { ReplayServer, type ReplayRequest } from '@overmind/testkit';
import { digitaloceanPlugin, type DigitalOceanDriver, type DigitalOceanSettings } from '../src/index.js';
import type { DoAction, DoDroplet, DoError, DoSshKey } from '../src/index.js';

export const TOKEN = 'dop_v1_replay0123456789abcdef';

/** A replayed DigitalOcean account: the fake's state that tests may inspect or change. */
export interface DoReplay {
  server: ReplayServer;
  driver: DigitalOceanDriver;
  /** Droplets made through POST /v2/droplets. */
  created: DoDroplet[];
  /** SSH keys on the account, by MD5 fingerprint. */
  keys: Map<string, DoSshKey>;
  /** How many GET /v2/actions/:id polls answer in-progress before completed. */
  pollsBeforeDone: number;
  /** Final status of polled actions. */
  finalActionStatus: string;
}

function fingerprint(publicKey: string): string {
  const digest = createHash('md5').update(Buffer.from(publicKey.split(' ')[1] ?? '', 'base64')).digest('hex');
  return digest.replace(/(..)(?!$)/g, '$1:');
}

export async function startDoReplay(settings: DigitalOceanSettings = {}): Promise<DoReplay> {
  const server = await ReplayServer.start({ fixturesDir: new URL('./fixtures/', import.meta.url), slowMs: 400 });
  const driver = digitaloceanPlugin.createDriver({
    providerId: 'do-test',
    credentials: { token: TOKEN },
    settings: { apiUrl: server.url, pollIntervalMs: 5, requestTimeoutMs: 2000, perPage: 2, ...settings },
  }) as DigitalOceanDriver;
  const replay: DoReplay = { server, driver, created: [], keys: new Map(), pollsBeforeDone: 2, finalActionStatus: 'completed' };
  const errors = server.fixture<Record<string, DoError>>('errors.json');
  const error = (status: number) => ({ status, json: errors[String(status)] });
  const action = (req: ReplayRequest, status: string): { action: DoAction } => {
    const body = server.fixture<{ action: DoAction }>(status === 'in-progress' ? 'action-in-progress.json' : 'action-completed.json');
    return { action: { ...body.action, id: Number(req.params.id ?? body.action.id), status } };
  };
  const polls = new Map<string, number>();

  server.defaultHeaders = { 'ratelimit-limit': '5000', 'ratelimit-remaining': '4987', 'ratelimit-reset': '1767225600' };
  for (const status of [401, 403, 404, 500]) server.defineScenario(String(status), error(status));
  server.defineScenario('429', { ...error(429), headers: { 'retry-after': '7', 'ratelimit-remaining': '0' } });
  server
    .route('GET', '/v2/account', server.fixtureResponse('account.json'))
    .route('GET', '/v2/droplets', (req) => {
      const tag = req.query.tag_name;
      if (typeof tag === 'string') {
        return { json: { droplets: replay.created.filter((d) => d.tags.includes(tag)), links: {}, meta: { total: 0 } } };
      }
      return { json: server.fixture(`droplets-page-${String(req.query.page ?? '1')}.json`) };
    })
    .route('GET', '/v2/droplets/:id', (req) => {
      const found = replay.created.find((d) => String(d.id) === req.params.id);
      if (found) return { json: { droplet: found } };
      const { droplet } = server.fixture<{ droplet: DoDroplet }>('droplet.json');
      return String(droplet.id) === req.params.id ? { json: { droplet } } : error(404);
    })
    .route('POST', '/v2/droplets', (req) => {
      const body = req.json as { name: string; tags: string[] };
      const reply = server.fixture<{ droplet: DoDroplet }>('droplet-create.json');
      const droplet = { ...reply.droplet, id: reply.droplet.id + replay.created.length, name: body.name, tags: body.tags };
      replay.created.push(droplet);
      return { status: 202, json: { ...reply, droplet } };
    })
    .route('DELETE', '/v2/droplets/:id', { status: 204 })
    .route('POST', '/v2/droplets/:droplet/actions', (req) => {
      const { action: started } = action(req, 'in-progress');
      return { status: 201, json: { action: { ...started, type: (req.json as { type: string }).type } } };
    })
    .route('GET', '/v2/actions/:id', (req) => {
      const seen = (polls.get(req.params.id!) ?? 0) + 1;
      polls.set(req.params.id!, seen);
      return { json: action(req, seen > replay.pollsBeforeDone ? replay.finalActionStatus : 'in-progress') };
    })
    .route('GET', '/v2/images', (req) =>
      ({ json: server.fixture(req.query.private === 'true' ? 'images-private.json' : 'images-distribution.json') }))
    .route('GET', '/v2/sizes', server.fixtureResponse('sizes.json'))
    .route('GET', '/v2/regions', server.fixtureResponse('regions.json'))
    .route('GET', '/v2/account/keys/:fingerprint', (req) => {
      const key = replay.keys.get(req.params.fingerprint!);
      return key ? { json: { ssh_key: key } } : error(404);
    })
    .route('POST', '/v2/account/keys', (req) => {
      const body = req.json as { name: string; public_key: string };
      const { ssh_key: template } = server.fixture<{ ssh_key: DoSshKey }>('ssh-key.json');
      const key = { ...template, id: template.id + replay.keys.size, name: body.name, public_key: body.public_key, fingerprint: fingerprint(body.public_key) };
      replay.keys.set(key.fingerprint, key);
      return { status: 201, json: { ssh_key: key } };
    });
  return replay;
}
