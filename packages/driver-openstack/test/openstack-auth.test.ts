import { describe, expect, it } from 'vitest';
import { InvalidCredentialsError, ProviderError } from '@overmind/provider';
import { rejectionOf, useReplay } from '@overmind/testkit';
import { authRequest, openstackPlugin, tokensUrl } from '../src/index.js';
import { APP_SECRET, COMPUTE, PASSWORD, passwordCredentials, startOsReplay } from './os-replay.js';

const replay = useReplay(() => startOsReplay());

const authCalls = () => replay().server.requestsTo('POST', '/identity/v3/auth/tokens');

describe('openstack plugin', () => {
  it('declares its kind and marks the password and application credential secret write-only', () => {
    const variants = (openstackPlugin.credentialSchema as { oneOf: { properties: Record<string, { writeOnly?: boolean }> }[] }).oneOf;
    expect(openstackPlugin.kind).toBe('openstack');
    expect(variants[0]!.properties.password!.writeOnly).toBe(true);
    expect(variants[1]!.properties.applicationCredentialSecret!.writeOnly).toBe(true);
    expect(openstackPlugin.settingsSchema).toMatchObject({ required: ['authUrl'] });
  });

  it('builds the tokens URL whether or not the auth URL ends in /v3', () => {
    expect(tokensUrl('https://keystone.example.com:5000/v3/').href).toBe('https://keystone.example.com:5000/v3/auth/tokens');
    expect(tokensUrl('https://cloud.example.com/identity').href).toBe('https://cloud.example.com/identity/v3/auth/tokens');
  });
});

describe('keystone authentication', () => {
  it('asks for a project-scoped token with the user and project domains, then uses X-Subject-Token', async () => {
    await replay().driver.validateCredentials();
    expect(authCalls()[0]!.json).toEqual({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: 'overmind', password: PASSWORD, domain: { name: 'Default' } } },
        },
        scope: { project: { name: 'web', domain: { name: 'Default' } } },
      },
    });
    const [flavors] = replay().server.requestsTo('GET', `${COMPUTE}/flavors`);
    expect(flavors!.headers['x-auth-token']).toBe(replay().tokens[0]);
    expect(flavors!.headers['openstack-api-version']).toBe('compute 2.37');
  });

  it('scopes by project id when one is given', () => {
    const body = authRequest({ ...passwordCredentials, projectId: 'a6944d763bf64ee6a275f1263fae0352' });
    expect(body.auth.scope).toEqual({ project: { id: 'a6944d763bf64ee6a275f1263fae0352' } });
  });

  it('authenticates with an application credential and sends no scope', async () => {
    const driver = replay().makeDriver({}, {
      authType: 'applicationCredential',
      applicationCredentialId: 'aa809205ed614a0e854bac92c0768bb9',
      applicationCredentialSecret: APP_SECRET,
    });
    await driver.validateCredentials();
    expect(authCalls()[0]!.json).toEqual({
      auth: {
        identity: {
          methods: ['application_credential'],
          application_credential: { id: 'aa809205ed614a0e854bac92c0768bb9', secret: APP_SECRET },
        },
      },
    });
  });

  it('refuses a wrong password with InvalidCredentialsError carrying Keystone message and no secret', async () => {
    const driver = replay().makeDriver({}, { ...passwordCredentials, password: 'wrong-password' });
    const err = await rejectionOf(driver.validateCredentials());
    expect(err).toBeInstanceOf(InvalidCredentialsError);
    expect((err as Error).message).toContain('The request you have made requires authentication.');
    expect((err as Error).message).not.toContain('wrong-password');
    expect(err).toMatchObject({ status: 401, providerCode: 'Unauthorized' });
  });

  it('reuses one token across calls, and shares one authentication between concurrent calls', async () => {
    await Promise.all([replay().driver.listSizes(), replay().driver.listLocations(), replay().driver.listImages()]);
    await replay().driver.listSizes();
    expect(authCalls()).toHaveLength(1);
  });

  it('re-authenticates before a token expires', async () => {
    replay().tokenTtlMs = 30_000; // inside the 60 s refresh margin
    await replay().driver.listSizes();
    await replay().driver.listSizes();
    expect(authCalls()).toHaveLength(2);
    const used = replay().server.requestsTo('GET', `${COMPUTE}/flavors/detail`).map((r) => r.headers['x-auth-token']);
    expect(used).toEqual(replay().tokens);
  });

  it('re-authenticates once and retries when a service answers 401 to a revoked token', async () => {
    await replay().driver.listSizes();
    replay().revoked.add(replay().tokens[0]!);
    const lines: string[] = [];
    expect(await replay().driver.listSizes({ log: (l) => lines.push(l) })).toHaveLength(4);
    expect(replay().tokens).toHaveLength(2);
    expect(lines.join('\n')).toMatch(/answered 401; re-authenticating/);
  });

  it('gives up with InvalidCredentialsError when the fresh token is refused too', async () => {
    replay().server.override('GET', `${COMPUTE}/flavors/detail`, '401');
    await expect(replay().driver.listSizes()).rejects.toBeInstanceOf(InvalidCredentialsError);
    expect(authCalls()).toHaveLength(2);
  });

  it('picks endpoints by region and interface from the catalog', async () => {
    replay().server.route('GET', '/region-two/compute/v2.1/os-availability-zone', { json: { availabilityZoneInfo: [] } });
    replay().server.route('GET', '/region-two/image/v2/images', { json: { images: [], first: '/v2/images', schema: '/v2/schemas/images' } });
    replay().server.route('GET', '/internal/compute/v2.1/os-availability-zone', { json: { availabilityZoneInfo: [] } });
    const regionTwo = replay().makeDriver({ region: 'RegionTwo' });
    await regionTwo.listLocations();
    await regionTwo.listImages();
    await replay().makeDriver({ interface: 'internal' }).listLocations();
    expect(replay().server.requests.map((r) => r.path).filter((p) => !p.startsWith('/identity'))).toEqual([
      '/region-two/compute/v2.1/os-availability-zone',
      '/region-two/image/v2/images',
      '/internal/compute/v2.1/os-availability-zone',
    ]);
    await expect(replay().makeDriver({ region: 'RegionNine' }).listSizes()).rejects.toThrow(
      /no public compute endpoint in region RegionNine \(services: identity, compute, image, network, load-balancer\)/,
    );
  });

  it('rejects a token response without X-Subject-Token or catalog as a ProviderError', async () => {
    replay().server.override('POST', '/identity/v3/auth/tokens', async (_req, next) => ({ ...(await next()), headers: {} }), { times: 1 });
    await expect(replay().driver.listSizes()).rejects.toThrow(/no X-Subject-Token/);
    replay().server.override('POST', '/identity/v3/auth/tokens', async (_req, next) => {
      const res = await next();
      delete (res.json as { token: { catalog?: unknown } }).token.catalog;
      return res;
    });
    const err = await rejectionOf(replay().driver.listSizes());
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as Error).message).toMatch(/no service catalog/);
  });
});
