export * from './protocol-constants.js';
export * from './run-schemas.js';
export * from './check-schemas.js';
export * from './messages.js';
export * from './readings-schemas.js';
export * from './message-codec.js';
export * from './agent-signature.js';
export * from './enrolment.js';
