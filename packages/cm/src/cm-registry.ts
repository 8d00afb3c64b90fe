import type { CmPluginFactory } from './cm-types.js';

type AnyFactory = CmPluginFactory<any>;

/** Loaders keyed by kind; a `Record<Kind, ...>` makes a missing plugin a compile error. */
export type CmPluginLoaders<K extends string> = Readonly<Record<K, () => Promise<AnyFactory>>>;

/** Lazily loads CM plugins by kind (`chef-solo`, later `ansible`...) and caches them. */
export class CmRegistry<K extends string = string> {
  readonly #loaders: CmPluginLoaders<K>;
  readonly #loaded = new Map<string, Promise<AnyFactory>>();

  constructor(loaders: CmPluginLoaders<K>) {
    this.#loaders = loaders;
  }

  get kinds(): K[] {
    return Object.keys(this.#loaders) as K[];
  }

  has(kind: string): kind is K {
    return Object.hasOwn(this.#loaders, kind);
  }

  /** Loads the plugin factory for `kind`; rejects for an unregistered kind or a mislabelled plugin. */
  get(kind: string): Promise<AnyFactory> {
    if (!this.has(kind)) return Promise.reject(new Error(`Unknown configuration-management kind "${kind}"`));
    const cached = this.#loaded.get(kind);
    if (cached) return cached;
    const loading = this.#loaders[kind]().then((factory) => {
      if (factory.kind !== kind) throw new Error(`CM plugin registered as "${kind}" declares kind "${factory.kind}"`);
      return factory;
    });
    loading.catch(() => this.#loaded.delete(kind));
    this.#loaded.set(kind, loading);
    return loading;
  }

  all(): Promise<AnyFactory[]> {
    return Promise.all(this.kinds.map((k) => this.get(k)));
  }
}
