export * from './cm-errors.js';
export * from './cm-host.js';
export * from './cm-types.js';
export * from './cm-steps.js';
export * from './cm-registry.js';
export * from './secret-mask.js';
