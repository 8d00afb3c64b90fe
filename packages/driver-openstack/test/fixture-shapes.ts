// Compile-time proof (via `tsc`) that the replayed fixtures have the documented response shapes.
import zones from './fixtures/availability-zones.json' with { type: 'json' };
import errors from './fixtures/errors.json' with { type: 'json' };
import flavors from './fixtures/flavors.json' with { type: 'json' };
import images1 from './fixtures/images-page-1.json' with { type: 'json' };
import images2 from './fixtures/images-page-2.json' with { type: 'json' };
import images3 from './fixtures/images-page-3.json' with { type: 'json' };
import keypairCreate from './fixtures/keypair-create.json' with { type: 'json' };
import keypairs from './fixtures/keypairs.json' with { type: 'json' };
import serverBuilding from './fixtures/server-building.json' with { type: 'json' };
import serverCreate from './fixtures/server-create.json' with { type: 'json' };
import server from './fixtures/server.json' with { type: 'json' };
import servers1 from './fixtures/servers-page-1.json' with { type: 'json' };
import servers2 from './fixtures/servers-page-2.json' with { type: 'json' };
import servers3 from './fixtures/servers-page-3.json' with { type: 'json' };
import tokenAppCred from './fixtures/token-application-credential.json' with { type: 'json' };
import tokenPassword from './fixtures/token-password.json' with { type: 'json' };
import networks from './fixtures/networks.json' with { type: 'json' };
import subnets from './fixtures/subnets.json' with { type: 'json' };
import floatingIp from './fixtures/floatingip-create.json' with { type: 'json' };
import type {
  GlanceImageList,
  KsError,
  KsTokenResponse,
  NeutronFloatingIp,
  NeutronNetwork,
  NeutronSubnet,
  NovaAvailabilityZone,
  NovaError,
  NovaFlavor,
  NovaKeypair,
  NovaServer,
  OsLink,
} from '../src/index.js';

export const fixtureShapes = {
  tokens: [tokenPassword, tokenAppCred] satisfies KsTokenResponse[],
  servers: [servers1, servers2, servers3] satisfies { servers: NovaServer[]; servers_links?: OsLink[] }[],
  server: [server, serverBuilding] satisfies { server: NovaServer }[],
  serverCreate: serverCreate satisfies { server: { id: string; links: OsLink[]; adminPass: string } },
  flavors: flavors satisfies { flavors: NovaFlavor[] },
  zones: zones satisfies { availabilityZoneInfo: NovaAvailabilityZone[] },
  keypairs: keypairs satisfies { keypairs: { keypair: NovaKeypair }[] },
  keypairCreate: keypairCreate satisfies { keypair: NovaKeypair },
  images: [images1, images2, images3] satisfies GlanceImageList[],
  networks: networks satisfies { networks: NeutronNetwork[] },
  subnets: subnets satisfies { subnets: NeutronSubnet[] },
  floatingIp: floatingIp satisfies { floatingip: NeutronFloatingIp },
  errors: errors satisfies Record<string, KsError | NovaError>,
};
