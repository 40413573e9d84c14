/**
 * How an edge (the CLI, the editor) asks the run engine for a test run, and what it gets back.
 * Types only: the engine itself lives in src/cloud/run/ (it drives the SDK clients) and is loaded
 * on first use; the edges import these types without loading any SDK.
 */
import type { BridgeConfigModel, LinkModel } from '../config/model';
import type { RunObserver, RunSummaryLine, RunTarget } from './events';

/** A running sandbox, as the first line of `bridge sandbox` describes it. */
export interface SandboxEndpoints {
  stepFunctions: string;
  dataFactory: string;
  /** PEM of the sandbox's CA: the only certificate the ADF client trusts for it. */
  caPem: string;
}

/** The payload of a run: a file, the value itself, or undefined (the link's first payload, else a generated dummy). */
export type PayloadChoice = { file: string } | { value: unknown } | undefined;

export interface RunRequest {
  config: BridgeConfigModel;
  link: LinkModel;
  payload?: PayloadChoice;
  target: RunTarget;
  /** Required when target is 'sandbox'. */
  sandbox?: SandboxEndpoints;
  /** A protected environment against the cloud is Refused without it (decided before any credential is read). */
  confirm?: boolean;
  /** Stop following after this long (the summary is TimedOut; the run itself goes on). Default 900 s. */
  timeoutMs?: number;
  /** MockConfigFile test case (sandbox only). */
  testCase?: string;
  /** Put inputs and outputs in events' `detail`. */
  includePayloads?: boolean;
  /** A fixed correlation id (tests, rerun of a given id is NOT a use: reruns get a fresh id). */
  correlationId?: string;
  /** Aborting stops following: the summary is Cancelled and says which runs keep going. */
  signal?: AbortSignal;
  observer?: RunObserver;
}

export interface RunHandle {
  correlationId: string;
  /** Resolves when the run has ended (or following stopped); never rejects for a run's own failure. */
  result: Promise<RunSummaryLine>;
  /** Cancels the pipeline run / stops the execution in its cloud, then ends with Cancelled. */
  stop(): Promise<void>;
}
