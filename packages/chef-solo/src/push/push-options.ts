/** Settings of a chef-solo push, with the defaults of a root install (knife-solo/LittleChef style). */

export interface ChefSoloPaths {
  /** Where the uploaded kitchen is unpacked (cookbooks, roles, environments, data_bags). */
  stagingDir: string;
  /** Holds solo.rb and node.json. */
  configDir: string;
  fileCacheDir: string;
  /** chef-solo's log_location; the previous run's log is kept as `<logFile>.1`. */
  logFile: string;
  /** Parent of the private per-push upload directory (`mktemp -d`), writable by the login user. */
  tempDir: string;
}

export interface ChefSoloOptions {
  /** The chef-solo executable: a name on root's PATH or an absolute path (e.g. `/opt/cinc/bin/cinc-solo`). */
  chefSoloCommand?: string;
  /**
   * Shell command that installs chef-solo when it is missing, run as root, e.g.
   * `curl -fsSL https://omnitruck.cinc.sh/install.sh | bash -s -- -v 18`. Null: never install.
   */
  installCommand?: string | null;
  /** Extra chef-solo arguments, each passed as one word, e.g. `['--chef-license', 'accept']` for Chef Infra 15+. */
  extraArgs?: string[];
  paths?: Partial<ChefSoloPaths>;
  /** Run as root through sudo when the login user is not root. Default true. */
  sudo?: boolean;
  /** Limit for the chef-solo run itself. Default one hour. */
  runTimeoutMs?: number;
  /** Limit for every other command (install included). Default ten minutes. */
  commandTimeoutMs?: number;
  /** Output lines quoted as the reason of a failed run. Default 20. */
  failureLines?: number;
}

export interface ResolvedChefSoloOptions {
  chefSoloCommand: string;
  installCommand: string | null;
  extraArgs: string[];
  paths: ChefSoloPaths;
  sudo: boolean;
  runTimeoutMs: number;
  commandTimeoutMs: number;
  failureLines: number;
}

export const DEFAULT_PATHS: ChefSoloPaths = {
  stagingDir: '/var/chef/kitchen',
  configDir: '/etc/chef',
  fileCacheDir: '/var/chef/cache',
  logFile: '/var/log/chef/chef-solo.log',
  tempDir: '/tmp',
};

export function resolveOptions(options: ChefSoloOptions = {}): ResolvedChefSoloOptions {
  const paths = { ...DEFAULT_PATHS, ...options.paths };
  for (const [name, path] of Object.entries(paths)) {
    if (!path.startsWith('/') || path.split('/').includes('..') || /^\/*$/.test(path)) {
      throw new TypeError(`chef-solo path ${name} must be an absolute path below /, got "${path}"`);
    }
  }
  return {
    chefSoloCommand: options.chefSoloCommand ?? 'chef-solo',
    installCommand: options.installCommand ?? null,
    extraArgs: options.extraArgs ?? [],
    paths,
    sudo: options.sudo ?? true,
    runTimeoutMs: options.runTimeoutMs ?? 60 * 60_000,
    commandTimeoutMs: options.commandTimeoutMs ?? 10 * 60_000,
    failureLines: options.failureLines ?? 20,
  };
}

export function soloRbPath(options: ResolvedChefSoloOptions): string {
  return `${options.paths.configDir}/solo.rb`;
}

export function nodeJsonPath(options: ResolvedChefSoloOptions): string {
  return `${options.paths.configDir}/node.json`;
}

/**
 * Where chef-solo (local mode) keeps the node object it saves after a run: its normal attributes are
 * node.json's, secrets included. Inside the staging directory, which every push replaces whole anyway.
 */
export function nodePath(options: ResolvedChefSoloOptions): string {
  return `${options.paths.stagingDir}/nodes`;
}
