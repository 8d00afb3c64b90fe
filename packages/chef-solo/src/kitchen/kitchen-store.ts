/**
 * Keeps the current kitchen and replaces it from uploaded archives without ever exposing a half
 * written or invalid one: each upload is unpacked into a new release directory and validated there;
 * only then is the `current` symlink atomically renamed to point at it. A refused upload leaves the
 * previous kitchen in place. Layout: `<root>/current -> releases/<id>`.
 */
import { lstat, mkdir, mkdtemp, readdir, readlink, rename, rm, symlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join, relative } from 'node:path';
import type { Readable } from 'node:stream';
import { ConfigurationInvalidError } from '@overmind/cm';
import { extractKitchenArchive, type ArchiveLimits } from './kitchen-archive.js';
import { loadKitchen } from './kitchen-loader.js';
import { KITCHEN_DIRS, type Kitchen } from './kitchen-types.js';

export interface KitchenStoreOptions extends ArchiveLimits {
  /** Releases kept on disk, the current one included, so pushes reading an older one can finish. Default 3. */
  keepReleases?: number;
}

/** A release may wrap the kitchen in one top-level directory (`tar czf k.tgz my-kitchen`). */
async function kitchenRoot(release: string): Promise<string> {
  const entries = await readdir(release, { withFileTypes: true });
  if (entries.some((e) => (KITCHEN_DIRS as readonly string[]).includes(e.name))) return release;
  const only = entries.length === 1 ? entries[0] : undefined;
  return only?.isDirectory() ? join(release, only.name) : release;
}

export class KitchenStore {
  readonly currentDir: string;
  private readonly releases: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly root: string,
    private readonly options: KitchenStoreOptions = {},
  ) {
    this.currentDir = join(root, 'current');
    this.releases = join(root, 'releases');
  }

  /** The kitchen in place, or null before the first upload. */
  async load(): Promise<Kitchen | null> {
    const link = await lstat(this.currentDir).catch(() => null);
    return link ? loadKitchen(this.currentDir) : null;
  }

  /**
   * Unpacks and validates an archive, then makes it current. Throws ConfigurationInvalidError with
   * every problem (refused entries, invalid files, broken references); the current kitchen is kept.
   * Uploads through one store are applied one at a time.
   */
  replaceFromArchive(source: string | Readable): Promise<Kitchen> {
    const run = this.queue.then(() => this.replace(source));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async replace(source: string | Readable): Promise<Kitchen> {
    await mkdir(this.releases, { recursive: true });
    const stamp = new Date().toISOString().replace(/[-:.]/g, '');
    const release = await mkdtemp(join(this.releases, `${stamp}-`));
    try {
      const refused = await extractKitchenArchive(source, release, this.options);
      if (refused.length > 0) throw new ConfigurationInvalidError(refused, 'Kitchen archive refused');
      const kitchen = await loadKitchen(await kitchenRoot(release));
      if (kitchen.problems.length > 0) throw new ConfigurationInvalidError(kitchen.problems, 'Kitchen is invalid');
      await this.pointCurrentAt(kitchen.dir);
      await this.prune(release);
      return kitchen;
    } catch (err) {
      await rm(release, { recursive: true, force: true });
      throw err;
    }
  }

  /** rename(2) of a new symlink over the old one: readers see the old kitchen or the new, never neither. */
  private async pointCurrentAt(dir: string): Promise<void> {
    const existing = await lstat(this.currentDir).catch(() => null);
    if (existing && !existing.isSymbolicLink()) {
      throw new Error(`${this.currentDir} exists and is not a symlink; move it away so the kitchen store can manage it`);
    }
    const temp = join(this.root, `.current-${randomBytes(6).toString('hex')}`);
    await symlink(relative(this.root, dir), temp);
    try {
      await rename(temp, this.currentDir);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  }

  /** Removes all but the newest releases (names start with a timestamp), never the current one. */
  private async prune(current: string): Promise<void> {
    const keep = Math.max(1, this.options.keepReleases ?? 3);
    const names = (await readdir(this.releases)).sort().reverse();
    const currentName = relative(this.releases, current);
    const linked = (await readlink(this.currentDir)).split('/')[1];
    const old = names.filter((n) => n !== currentName && n !== linked).slice(keep - 1);
    await Promise.all(old.map((n) => rm(join(this.releases, n), { recursive: true, force: true })));
  }
}
