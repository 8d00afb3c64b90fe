export * from './states.js';
export * from './errors.js';
export * from './http-response.js';
export * from './types.js';
export * from './balancers.js';
export * from './node-session.js';
export * from './registry.js';
export { dummyPlugin, type DummyCredentials, type DummySettings } from './dummy/dummy-plugin.js';
export { dummyStore, DummyStore } from './dummy/dummy-store.js';
