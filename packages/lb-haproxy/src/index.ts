export { createHaproxyBalancers, type HaproxyHost, type HaproxySettings } from './haproxy-balancers.js';
export { renderConfig, type RenderOptions } from './haproxy-config.js';
export { parseState, type HaproxyState, type StoredBalancer, type StoredMember } from './haproxy-state.js';
