import type { ProviderPlugin } from './types.js';

type AnyPlugin = ProviderPlugin<any, any>;

/** Loaders keyed by kind; use a `Record<Kind, ...>` so a missing driver is a compile error. */
export type PluginLoaders<K extends string> = Readonly<Record<K, () => Promise<AnyPlugin>>>;

/** Lazily loads provider plugins by kind and caches them. */
export class ProviderRegistry<K extends string = string> {
  readonly #loaders: PluginLoaders<K>;
  readonly #loaded = new Map<string, Promise<AnyPlugin>>();

  constructor(loaders: PluginLoaders<K>) {
    this.#loaders = loaders;
  }

  get kinds(): K[] {
    return Object.keys(this.#loaders) as K[];
  }

  has(kind: string): kind is K {
    return Object.hasOwn(this.#loaders, kind);
  }

  /** Loads the plugin for `kind`; rejects for a kind that is not registered. */
  get(kind: string): Promise<AnyPlugin> {
    if (!this.has(kind)) return Promise.reject(new Error(`Unknown provider type "${kind}"`));
    let plugin = this.#loaded.get(kind);
    if (!plugin) {
      plugin = this.#loaders[kind]().then((p) => {
        if (p.kind !== kind) throw new Error(`Plugin registered as "${kind}" declares kind "${p.kind}"`);
        return p;
      });
      plugin.catch(() => this.#loaded.delete(kind));
      this.#loaded.set(kind, plugin);
    }
    return plugin;
  }

  all(): Promise<AnyPlugin[]> {
    return Promise.all(this.kinds.map((k) => this.get(k)));
  }
}
