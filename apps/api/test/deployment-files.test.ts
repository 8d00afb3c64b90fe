import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { LISTEN_BACKLOG } from '../src/runtime.js';

// docker-compose.yml and the Dockerfile cannot be run here (no container engine): these check the
// properties the deployment depends on, read from the files themselves.
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const composeText = readFileSync(`${ROOT}/docker-compose.yml`, 'utf8');
const compose = parse(composeText) as {
  services: Record<string, { environment?: Record<string, string>; volumes?: string[]; sysctls?: Record<string, number> }>;
  volumes: Record<string, unknown>;
};
const dockerfile = readFileSync(`${ROOT}/Dockerfile`, 'utf8');

describe('docker-compose.yml', () => {
  it('gives the API and the workers one shared kitchen, on a named volume', () => {
    const mounts = (service: string) => {
      const s = compose.services[service]!;
      const dir = s.environment?.OVERMIND_KITCHEN_DIR;
      expect(dir, `${service} sets OVERMIND_KITCHEN_DIR`).toBeTruthy();
      const volume = (s.volumes ?? []).map((v) => v.split(':')).find(([, target]) => target === dir);
      expect(volume, `${service} mounts a volume on ${dir}`).toBeDefined();
      return volume![0]!;
    };
    const api = mounts('api');
    expect(mounts('worker')).toBe(api);
    expect(compose.volumes).toHaveProperty(api);
  });

  it("lets the API's accept queue hold the backlog it asks for (a fleet of agents reconnecting)", () => {
    expect(compose.services.api!.sysctls?.['net.core.somaxconn']).toBeGreaterThanOrEqual(LISTEN_BACKLOG);
  });

  it('has no default database password: it must be set', () => {
    expect(composeText).not.toMatch(/POSTGRES_PASSWORD:-/);
    expect(compose.services.postgres!.environment!.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?.+\}$/);
    expect(compose.services.api!.environment!.DATABASE_URL).toContain('${POSTGRES_PASSWORD:?');
  });
});

describe('Dockerfile', () => {
  it('creates OVERMIND_HOME and the kitchen for the user the service runs as', () => {
    const home = /OVERMIND_HOME=(\S+)/.exec(dockerfile)?.[1];
    const user = /^USER (\S+)$/m.exec(dockerfile)?.[1];
    expect(home).toBeTruthy();
    expect(user).toBeTruthy();
    const kitchen = compose.services.api!.environment!.OVERMIND_KITCHEN_DIR!;
    expect(kitchen.startsWith(`${home}/`)).toBe(true);
    const run = new RegExp(`RUN mkdir -p ${kitchen} && chown -R ${user}:${user} ${home}`);
    expect(dockerfile).toMatch(run);
    expect(dockerfile.indexOf(`USER ${user}`)).toBeGreaterThan(dockerfile.search(run));
  });
});
