export * from './user-entity.js';
export * from './provider-entity.js';
export * from './node-entity.js';
export * from './job-entity.js';
export * from './server-role-entity.js';
export * from './agent-entity.js';
export * from './check-entity.js';
export * from './balancer-entity.js';
