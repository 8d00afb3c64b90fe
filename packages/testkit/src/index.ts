export { ReplayServer } from './replay-server.js';
export { BUILTIN_SCENARIOS, MALFORMED_JSON, slow, type BuiltinScenario } from './replay-scenarios.js';
export type {
  OverrideOptions,
  ReplayHandler,
  ReplayRequest,
  ReplayResponse,
  ReplayServerOptions,
  Responder,
} from './replay-types.js';
export { useReplay, rejectionOf, type UseReplayOptions } from './replay-hooks.js';
export { generateSshKey, type TestSshKey } from './ssh-keygen.js';
