/**
 * The run stream: what a test run of a link produces, as plain data (shared/spec/run-stream.md).
 * The CLI renders it as text or JSON Lines, the editor as the "Bridge Runs" log and the Runs tree,
 * the timeline as bars. Nobody parses text to learn what happened.
 *
 * The field names of the three line types are the contract's; the extra fields (marked "ours") are
 * allowed by it ("everything not written here is yours") and are what the tree and the timeline
 * draw from.
 */

export type RunTarget = 'sandbox' | 'cloud';
export type RunStatus = 'Succeeded' | 'Failed' | 'Cancelled' | 'TimedOut' | 'Refused';
export type RunEventSource = 'adf' | 'sfn' | 'gateway';

/** The first line of a run. */
export interface RunStartLine {
  type: 'run';
  correlationId: string;
  link: string;
  /** The config's path, as given (relative to the working folder in the CLI). */
  config: string;
  trigger?: string;
  environment?: string;
  target: RunTarget;
  /** ISO 8601 UTC with milliseconds. */
  startedAt: string;
  /** Ours: where the payload came from (a file, an object given by the caller, a generated dummy, and why). */
  payloadSource?: string;
}

/** One event of either cloud, or of the gateway between them. */
export interface RunEvent {
  type: 'event';
  correlationId: string;
  source: RunEventSource;
  /** Stable: the same event of the same run always has the same id; (source, id) is unique. */
  id: string;
  /** ISO 8601 UTC with milliseconds, the time the event happened in its cloud. */
  time: string;
  /**
   * adf: `pipeline` | `activity`; sfn: the history event's type (`TaskStateEntered` …);
   * gateway: `request`.
   */
  kind: string;
  /** The activity's, state's or pipeline's name, where there is one. */
  name?: string;
  /** adf: the run's status (InProgress, Succeeded, Failed, Cancelled, Skipped …); gateway: the HTTP status. */
  status?: string | number;
  /** Printed after later events were: it arrived late, and is printed once all the same. */
  late?: true;

  // adf
  pipelineRunId?: string;
  activityRunId?: string;
  activityType?: string;
  /** Ours: the pipeline's name (for `kind: 'pipeline'` also in `name`). */
  pipelineName?: string;
  /** Ours: the pipeline run that started this child run (ExecutePipeline). */
  parentPipelineRunId?: string;

  // sfn
  executionArn?: string;
  eventId?: number;
  /** Ours: the history event's previousEventId (threads Map iterations and Parallel branches). */
  previousEventId?: number;

  // gateway
  requestId?: string;
  /** Ours: gateway latency in ms. */
  latencyMs?: number;
  /** Ours: the caller principal the gateway saw (a token's subject or a role ARN). */
  caller?: string;
  /** Ours: the gateway's throttle answered this request (429). */
  throttled?: boolean;
  /** Ours: the route, `METHOD /path`. */
  route?: string;

  /** Ours: the error of a failed activity, state or execution. */
  error?: { code?: string; message?: string };
  /** Ours: the span this event opens or closes, so a timeline can draw bars without parsing. */
  span?: RunSpanMark;
  /** Ours: payloads (input/output), only when the caller asked for them. */
  detail?: unknown;
}

/**
 * A span is one activity run, one state visit, one pipeline run or one execution. `key` is the
 * same on the event that opens it and the one that closes it; `phase` says which.
 * An ADF activity run reported once already over carries `phase: 'instant'` with `start`.
 */
export interface RunSpanMark {
  key: string;
  phase: 'start' | 'end' | 'instant';
  /** What the span is of. */
  of: 'pipeline' | 'activity' | 'execution' | 'state' | 'request';
  /** The span's parent (a child pipeline's ExecutePipeline activity, a Map iteration's Map state …). */
  parent?: string;
  /** ISO time the span started, on `end`/`instant` marks. */
  start?: string;
  /** Final status on `end`/`instant` marks: Succeeded, Failed, Cancelled, Skipped, TimedOut, Aborted. */
  outcome?: string;
  /** Ours: the retry attempt of a state (0 the first). */
  attempt?: number;
}

/** The last line of a run. */
export interface RunSummaryLine {
  type: 'summary';
  correlationId: string;
  status: RunStatus;
  pipelineRunId?: string;
  executionArn?: string;
  /** The number of `event` lines of this run. */
  events: number;
  /** When status is not Succeeded: why, in one sentence (the failing state or activity and its error, the side that never started, the refusal). */
  reason?: string;
  /** Ours: other runs this run started that keep going (child pipeline runs, the far side). */
  stillRunning?: string[];
}

export type RunLine = RunStartLine | RunEvent | RunSummaryLine;

/** What `bridge.runLink` resolves to: the summary's fields (shared/spec/editor.md). */
export type RunResult = Omit<RunSummaryLine, 'type'>;

/** Receives a run's lines as they are made; the engine calls it in stream order. */
export interface RunObserver {
  onStart?(line: RunStartLine): void;
  onEvent?(event: RunEvent): void;
  onSummary?(summary: RunSummaryLine): void;
  /** Progress and warnings meant for a person (stderr in the CLI, the log in the editor). */
  onNotice?(message: string): void;
}
