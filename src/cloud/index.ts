/** The cloud layer's entry: SDK clients and test runs. Bundled apart (dist/cloud.js) and loaded on first use. */
export { createDataFactoryClient, createStepFunctionsClient, type SandboxEndpoints } from './clients';
export { followRun, startTestRun, type BridgeClients, type RunOutcome, type StartedRun } from './runs';
