/** The cloud layer's entry: SDK clients and test runs. Bundled apart (dist/cloud.js) and loaded on first use. */
export { createClientsForConfig, createDataFactoryClient, createStepFunctionsClient, type SandboxEndpoints } from './clients';
export { followRun, startTestRun, type BridgeClients, type RunOutcome, type StartedRun } from './runs';
// Sign-in, actionable cloud errors, live status and discovery (issue 10).
export { checkCloudSignIn, CloudIdentityError, describeCloudError, errorContextOf, listAwsProfiles, type SignInOptions } from './identity';
export { collectStatus, type StatusClients } from './status';
export { listPipelinesPage, listStateMachinesPage, type ListedStateMachine, type Page } from './discover';
