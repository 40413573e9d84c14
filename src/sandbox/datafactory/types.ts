/** Public types of the ADF sandbox: configuration, hooks, events and the ARM wire shapes. */
import type { FaultInjector } from '../faults';
import type { MockedActivityOutputs } from './repo';

export type { MockedActivityOutputs, MockedActivityResult } from './repo';

/** One emulated factory: where it lives in ARM and the git folder that holds its pipelines. */
export interface FactoryDefinition {
  subscriptionId: string;
  resourceGroup: string;
  factoryName: string;
  /** Absolute path of the ADF git root (pipeline/, factory/, linkedService/ …). */
  repoRoot: string;
}

export type PipelineRunStatus = 'Queued' | 'InProgress' | 'Succeeded' | 'Failed' | 'Canceling' | 'Cancelled';
export type ActivityRunStatus = 'Queued' | 'InProgress' | 'Succeeded' | 'Failed' | 'Skipped' | 'Cancelled';

/** ARM PipelineRunInvokedBy. */
export interface ArmInvokedBy {
  name: string;
  id: string;
  invokedByType: string;
  pipelineName?: string;
  pipelineRunId?: string;
}

/** ARM PipelineRun (api-version 2018-06-01). */
export interface ArmPipelineRun {
  runId: string;
  runGroupId: string;
  isLatest: boolean;
  pipelineName: string;
  parameters: Record<string, string>;
  runDimensions: Record<string, string>;
  invokedBy: ArmInvokedBy;
  lastUpdated: string;
  runStart: string;
  runEnd: string | null;
  durationInMs: number | null;
  status: PipelineRunStatus;
  message: string;
  annotations: unknown[];
}

export interface ArmActivityError {
  errorCode: string;
  message: string;
  failureType: string;
  target: string;
  details?: string;
}

/** ARM ActivityRun. */
export interface ArmActivityRun {
  pipelineName: string;
  pipelineRunId: string;
  activityName: string;
  activityType: string;
  activityRunId: string;
  linkedServiceName: string;
  status: ActivityRunStatus;
  activityRunStart: string;
  activityRunEnd: string | null;
  durationInMs: number | null;
  input: unknown;
  output: unknown;
  error: ArmActivityError;
  retryAttempt: number | null;
  userProperties: Record<string, unknown>;
  iterationHash: string;
}

/** What a WebActivity or WebHook sends. `body` is the evaluated body (JSON value or string). */
export interface WebCallRequest {
  factory: FactoryDefinition;
  pipelineName: string;
  pipelineRunId: string;
  activityName: string;
  activityType: 'WebActivity' | 'WebHook';
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
  /** The activity's `authentication` block as evaluated (e.g. { type: "MSI", resource }). */
  authentication: unknown;
  /** WebHook only: the URL the callee POSTs to when it is done (also put in the body as callBackUri). */
  callBackUri?: string;
  /** Aborted when the run is cancelled or the activity times out. */
  signal: AbortSignal;
}

export interface WebCallResponse {
  status: number;
  headers?: Record<string, string>;
  /** A string (sent as is) or a JSON value. */
  body?: unknown;
}

export type DataFactoryRunEvent =
  | { type: 'pipelineRun'; factory: FactoryDefinition; run: ArmPipelineRun; parentRunId?: string }
  | { type: 'activityRun'; factory: FactoryDefinition; activityRun: ArmActivityRun }
  | { type: 'repoProblem'; factory: FactoryDefinition; file: string; message: string };

export interface DataFactoryHooks {
  /**
   * Answers a WebActivity/WebHook call (e.g. the bridge's API Gateway emulation). Return undefined
   * when the URL is not yours: loopback URLs are then fetched for real, anything else fails the
   * activity (the sandbox has no outside network) unless a mocked output is set.
   */
  callWeb?(request: WebCallRequest): Promise<WebCallResponse | undefined>;
  /**
   * A token for a WebActivity/WebHook whose authentication is MSI / SystemAssignedManagedIdentity /
   * UserAssignedManagedIdentity (the factory's identity). Without this hook no Authorization header is sent.
   */
  getToken?(resource: string, context: { factory: FactoryDefinition; pipelineName: string; pipelineRunId: string; activityName: string }): Promise<string>;
  /** Every pipeline/activity run status change, and problems found in the repo. */
  onEvent?(event: DataFactoryRunEvent): void;
}

export interface SandboxClock {
  now(): Date;
}

export const systemClock: SandboxClock = { now: () => new Date() };

export interface DataFactoryServiceOptions {
  factories: FactoryDefinition[];
  hooks?: DataFactoryHooks;
  clock?: SandboxClock;
  /**
   * Multiplies the waits the pipelines ask for (Wait activities, Until and WebHook timeouts, retry
   * intervals). 1 = real time; 0.01 = a 60 s Wait takes 0.6 s. Never 0: waits are shortened, not
   * skipped. Activity policy.timeout is real time (it guards real work such as HTTP calls).
   */
  waitScale?: number;
  /** Mocked outputs that win over the repos' *.sandbox.json files. */
  mockedActivityOutputs?: MockedActivityOutputs;
  /** Extra CA (PEM) trusted when a WebActivity calls an https loopback URL (e.g. the sandbox's own CA). */
  trustedCaPem?: string;
  /** Page size of queryByFactory / queryByPipelineRun (ADF uses 100). */
  pageSize?: number;
  /**
   * Fault injection (src/sandbox/faults.ts): `decide('adf')` is called once per ARM request; the
   * answer is delayed by latencyMs, then throttle → 429 TooManyRequests + Retry-After, error → 500.
   */
  faults?: Pick<FaultInjector, 'decide'> & Partial<Pick<FaultInjector, 'denies'>>;
  /** Retry-After seconds sent with injected 429s (default 1). */
  throttleRetryAfterSeconds?: number;
}

