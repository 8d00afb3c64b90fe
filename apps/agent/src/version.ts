/**
 * The agent's version: embedded by the bundle build (esbuild `define`), read from package.json when
 * the sources run directly (tests, development).
 */
import { readFileSync } from 'node:fs';

declare const __OVERMIND_AGENT_VERSION__: string | undefined;

function sourceVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export const AGENT_VERSION: string = typeof __OVERMIND_AGENT_VERSION__ === 'string' ? __OVERMIND_AGENT_VERSION__ : sourceVersion();
