import { CmRegistry } from '@overmind/cm';

/** Every configuration-management kind Overmind knows; the `Record` makes a missing loader a compile error. */
export type CmKind = 'chef-solo';
export const CM_KINDS = ['chef-solo'] as const satisfies readonly CmKind[];

export function createCmRegistry(): CmRegistry<CmKind> {
  return new CmRegistry<CmKind>({
    'chef-solo': async () => (await import('@overmind/chef-solo')).chefSoloPlugin,
  });
}
