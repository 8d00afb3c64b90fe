// Compile-time proof (via `tsc`) that the replayed fixtures have the documented response shapes.
import account from './fixtures/account.json' with { type: 'json' };
import actionCompleted from './fixtures/action-completed.json' with { type: 'json' };
import actionInProgress from './fixtures/action-in-progress.json' with { type: 'json' };
import dropletCreate from './fixtures/droplet-create.json' with { type: 'json' };
import droplet from './fixtures/droplet.json' with { type: 'json' };
import page1 from './fixtures/droplets-page-1.json' with { type: 'json' };
import page2 from './fixtures/droplets-page-2.json' with { type: 'json' };
import page3 from './fixtures/droplets-page-3.json' with { type: 'json' };
import errors from './fixtures/errors.json' with { type: 'json' };
import distributionImages from './fixtures/images-distribution.json' with { type: 'json' };
import privateImages from './fixtures/images-private.json' with { type: 'json' };
import regions from './fixtures/regions.json' with { type: 'json' };
import sizes from './fixtures/sizes.json' with { type: 'json' };
import sshKey from './fixtures/ssh-key.json' with { type: 'json' };
import type {
  DoAccount,
  DoAction,
  DoDroplet,
  DoError,
  DoImage,
  DoLinks,
  DoPage,
  DoRegion,
  DoSize,
  DoSshKey,
} from '../src/index.js';

export const fixtureShapes = {
  account: account satisfies { account: DoAccount },
  actions: [actionCompleted, actionInProgress] satisfies { action: DoAction }[],
  dropletCreate: dropletCreate satisfies { droplet: DoDroplet; links: DoLinks },
  droplet: droplet satisfies { droplet: DoDroplet },
  droplets: [page1, page2, page3] satisfies DoPage<'droplets', DoDroplet>[],
  errors: errors satisfies Record<string, DoError>,
  images: [distributionImages, privateImages] satisfies DoPage<'images', DoImage>[],
  regions: regions satisfies DoPage<'regions', DoRegion>,
  sizes: sizes satisfies DoPage<'sizes', DoSize>,
  sshKey: sshKey satisfies { ssh_key: DoSshKey },
};
