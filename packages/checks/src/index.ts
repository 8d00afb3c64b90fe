export * from './check-state.js';
export * from './check-limits.js';
export * from './perfdata.js';
export * from './plugin-output.js';
export * from './plugin-result.js';
