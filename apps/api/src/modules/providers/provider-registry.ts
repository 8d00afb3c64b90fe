import { ProviderRegistry, dummyPlugin } from '@overmind/provider';

/**
 * Every provider kind Overmind knows. Adding a driver is adding its package and one line here;
 * the `Record` type makes a kind without a loader a compile error.
 */
export type ProviderKind = 'dummy';

export function createProviderRegistry(): ProviderRegistry<ProviderKind> {
  return new ProviderRegistry<ProviderKind>({
    dummy: async () => dummyPlugin,
  });
}
