export { libvirtPlugin } from './libvirt-plugin.js';
export { LibvirtDriver } from './libvirt-driver.js';
export {
  DEFAULT_SIZES,
  SETTING_DEFAULTS,
  resolveSettings,
  type AddressSource,
  type DomainType,
  type LibvirtCredentials,
  type LibvirtSettings,
  type LibvirtSizeSpec,
} from './libvirt-settings.js';
export { DOMSTATE_MAP, isPrivateAddress, mapDomain, mapDomainState, parseDomIfAddr, parseDomState } from './domain-mapper.js';
export { DISKLESS_IMAGE, METADATA_NS, buildDomainXml, domainUuid, isValidDomainName, type DomainSpec } from './domain-xml.js';
export { parseDomainXml, parseVolumeXml, type DomainInfo, type VolumeInfo } from './domain-xml-parser.js';
export { translateVirshError } from './virsh-errors.js';
