// The service's building blocks, for benchmarks and tools that drive it from outside.
export { buildApp, type AppOptions } from './app.js';
export { loadConfig, type Config } from './config.js';
export { createDataSource } from './db/data-source.js';
export { startEmbeddedPostgres } from './db/embedded-postgres.js';
export { EventBus } from './modules/events/event-bus.js';
export { createJobService } from './modules/jobs/job-service.js';
export { startBoss } from './modules/jobs/job-queue.js';
export { createAuditService } from './modules/audit/audit-service.js';
export { migrateDatabase, createLogger } from './runtime.js';
export { createMetricService } from './modules/metrics/metric-service.js';
export { createReadingsIngest } from './modules/metrics/readings-ingest.js';
export { readingSeries } from './modules/metrics/reading-series.js';
export { computePlan } from './modules/constellations/constellation-plan.js';
export { currentMembers } from './modules/constellations/constellation-members.js';
export { createGuaranteeReconciler } from './modules/constellations/guarantee-reconciler.js';
export { createGuaranteeSteps } from './modules/constellations/guarantee-steps.js';
