/** What an ADF expression can see when it is evaluated: the pipeline run, its activities, clocks. */

export interface AdfPipelineContext {
  /** Parameter values of this run (defaults already applied). */
  parameters?: Record<string, unknown>;
  /** The factory's global parameters. */
  globalParameters?: Record<string, unknown>;
  RunId?: string;
  Pipeline?: string;
  DataFactory?: string;
  TriggerTime?: string;
  TriggerType?: string;
  TriggerName?: string;
  TriggerId?: string;
  GroupId?: string;
  TriggeredByPipelineName?: string;
  TriggeredByPipelineRunId?: string;
}

export interface AdfEvalContext {
  pipeline?: AdfPipelineContext;
  /** Current values of the pipeline variables. */
  variables?: Record<string, unknown>;
  /** The `output` object of a completed activity, undefined when it has not run (or does not exist). */
  activityOutputs?: (name: string) => unknown;
  /** The `error` object of a failed activity (for `activity('X').error.message`). */
  activityErrors?: (name: string) => unknown;
  /** The current element inside ForEach (and Filter). Leave the key out elsewhere: item() then fails. */
  item?: unknown;
  /** Parameters of the dataset / linked service whose properties are being evaluated. */
  dataset?: Record<string, unknown>;
  linkedService?: Record<string, unknown>;
  /** What `trigger()`, `triggerBody()` and `triggerOutputs()` return. */
  trigger?: unknown;
  triggerBody?: unknown;
  triggerOutputs?: unknown;
  /** The clock for utcNow(), getFutureTime(), getPastTime(). Default: the system clock. */
  now?: () => Date;
  /** A random number in [0, 1) for rand() and guid(). Default: crypto-grade randomness. */
  random?: () => number;
}
