/** The cloud layer's entry: SDK clients, the run engine, sign-in and status. Bundled apart (dist/cloud.js) and loaded on first use. */
export { createClientsForConfig, createCloudWatchLogsClient, createDataFactoryClient, createStepFunctionsClient, type SandboxEndpoints } from './clients';
export { startRun, SANDBOX_TIMING, CLOUD_TIMING, type RunDeps, type PollTiming } from './run/engine';
export type { RunClients, CallCounts } from './run/clients';
// Sign-in, actionable cloud errors, live status and discovery (issue 10).
export { checkCloudSignIn, CloudIdentityError, describeCloudError, errorContextOf, listAwsProfiles, type SignInOptions } from './identity';
export { collectStatus, type StatusClients } from './status';
export { listPipelinesPage, listStateMachinesPage, type ListedStateMachine, type Page } from './discover';
