import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** Where `overmind login` keeps the API's address and the token (a JSON file, mode 0600). */
export interface ClientSettings {
  url: string;
  token: string;
  /** The API token's id, to revoke it at the next login or logout. */
  tokenId?: string;
  username?: string;
}

/** `$XDG_CONFIG_HOME/overmind/config.json`, `~/.config/overmind/config.json` without it. */
export function settingsFile(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(env.HOME || homedir(), '.config');
  return join(base, 'overmind', 'config.json');
}

export async function readStoredSettings(file = settingsFile()): Promise<Partial<ClientSettings>> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Partial<ClientSettings>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new Error(`cannot read ${file}: ${(err as Error).message}`);
  }
}

/**
 * Writes the settings so that no other user can read the token at any moment: a new file made with
 * mode 0600 in a 0700 directory, then renamed over the old one.
 */
export async function storeSettings(settings: ClientSettings, file = settingsFile()): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600); // in case the file was left by an earlier run with other bits
  await rename(temporary, file);
}

/** OVERMIND_URL and OVERMIND_TOKEN win over what `overmind login` stored (CI jobs, one-off calls). */
export async function currentSettings(env: NodeJS.ProcessEnv = process.env): Promise<Partial<ClientSettings>> {
  const stored = await readStoredSettings(settingsFile(env));
  return { ...stored, ...(env.OVERMIND_URL ? { url: env.OVERMIND_URL } : {}), ...(env.OVERMIND_TOKEN ? { token: env.OVERMIND_TOKEN } : {}) };
}
