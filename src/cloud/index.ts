/** The cloud layer's entry: SDK clients and the run engine. Bundled apart (dist/cloud.js) and loaded on first use. */
export { createCloudWatchLogsClient, createDataFactoryClient, createStepFunctionsClient, type SandboxEndpoints } from './clients';
export { startRun, SANDBOX_TIMING, CLOUD_TIMING, type RunDeps, type PollTiming } from './run/engine';
export type { RunClients, CallCounts } from './run/clients';
