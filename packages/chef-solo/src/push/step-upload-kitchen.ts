/**
 * Step 2: the cookbooks the run list needs, plus all roles, environments and data bags, go to the node
 * as one .tar.gz over SFTP and are unpacked into a fresh staging directory that replaces the old one
 * whole, so a re-run never leaves stale files behind.
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ConfigurationInvalidError, shellQuote, type CmContext, type CmHost } from '@overmind/cm';
import { c as createTar } from 'tar';
import { findKitchenEscapes } from '../kitchen/kitchen-escapes.js';
import { KITCHEN_DIRS, type Kitchen } from '../kitchen/kitchen-types.js';
import type { ResolvedChefSoloOptions } from './push-options.js';
import { runScript } from './remote-script.js';

export const UPLOAD_STEP = 'upload-kitchen';

const exists = (path: string) => access(path).then(() => true, () => false);

/** Kitchen-relative paths that go into the archive. */
export async function kitchenArchivePaths(kitchen: Kitchen, cookbooks: readonly string[]): Promise<string[]> {
  const paths = cookbooks.map((name) => {
    const cookbook = kitchen.cookbooks.get(name);
    if (!cookbook) throw new Error(`cookbook "${name}" is not in the kitchen`);
    return cookbook.path;
  });
  for (const dir of ['roles', 'environments', 'data_bags']) if (await exists(join(kitchen.dir, dir))) paths.push(dir);
  return paths;
}

/** A .tar.gz stream of `paths` (relative to the kitchen), without VCS metadata or local owners; links are packed as links, never followed. */
export function packKitchen(kitchen: Kitchen, paths: string[]): Readable {
  const pack = createTar({ gzip: true, cwd: kitchen.dir, portable: true, filter: (path) => !path.split('/').includes('.git') }, paths);
  return Readable.from(pack);
}

/** A private (0700) directory for this push's files, created as the login user so SFTP can write there. */
export async function createWorkDir(host: CmHost, options: ResolvedChefSoloOptions, ctx?: CmContext): Promise<string> {
  const template = `${options.paths.tempDir}/overmind-chef.XXXXXXXX`;
  const result = await runScript(host, `mktemp -d ${shellQuote(template)}`, options, { step: UPLOAD_STEP, ctx, sudo: false });
  const dir = result.stdout.trim();
  if (!dir.startsWith('/')) throw new Error(`mktemp on ${host.endpoint} printed no directory`);
  return dir;
}

export function unpackScript(archive: string, stagingDir: string): string {
  const q = shellQuote;
  const dirs = KITCHEN_DIRS.map((d) => q(d)).join(' ');
  return [
    'set -e',
    'umask 077',
    `staging=${q(stagingDir)}`,
    `mkdir -p "$(dirname "$staging")"`,
    'rm -rf "$staging.new" "$staging.old"',
    'mkdir "$staging.new"',
    `tar -xzf ${q(archive)} -C "$staging.new" --no-same-owner`,
    `for d in ${dirs}; do mkdir -p "$staging.new/$d"; done`,
    'if [ -e "$staging" ]; then mv "$staging" "$staging.old"; fi',
    'mv "$staging.new" "$staging"',
    `rm -rf "$staging.old" ${q(archive)}`,
  ].join('\n');
}

export async function uploadKitchen(
  host: CmHost,
  kitchen: Kitchen,
  cookbooks: readonly string[],
  workDir: string,
  options: ResolvedChefSoloOptions,
  ctx?: CmContext,
): Promise<void> {
  // Checked again right before packing, whoever loaded the kitchen: nothing outside it may reach a node.
  const escapes = await findKitchenEscapes(kitchen.dir);
  if (escapes.length > 0) throw new ConfigurationInvalidError(escapes, 'Kitchen has links leading out of it');
  const paths = await kitchenArchivePaths(kitchen, cookbooks);
  const archive = `${workDir}/kitchen.tar.gz`;
  ctx?.log?.(`uploading ${cookbooks.length} cookbook(s) (${cookbooks.join(', ')}) with roles, environments and data bags`);
  await host.upload(packKitchen(kitchen, paths), archive, { mode: 0o600 });
  await runScript(host, unpackScript(archive, options.paths.stagingDir), options, { step: UPLOAD_STEP, ctx });
}
