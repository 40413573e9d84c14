/**
 * What the pipeline runner and the activity handlers (activities/*.ts) share: a run's state, the
 * context one activity attempt runs in, the scope of activity results, the failures handlers
 * throw, and the host services a handler may call back (child runs, sleeps, nested activities).
 */
import type { EvaluationScope } from './expressions';
import { evaluateDeep } from './expressions';
import type { ActivityJson, LoadedPipeline, LoadedRepo, MockedActivityOutputs } from './repo';
import type { ActivityRunStatus, ArmActivityError, ArmActivityRun, ArmInvokedBy, DataFactoryHooks, FactoryDefinition, PipelineRunStatus, SandboxClock } from './types';

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}


/** An activity failure, in ADF's error shape. */
export class ActivityFailure extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
    readonly failureType: string = 'UserError',
    readonly output?: unknown,
  ) {
    super(message);
  }
}

export class CancelledError extends Error {
  constructor() {
    super('The run was cancelled.');
  }
}

export interface ActivityResult {
  status: ActivityRunStatus;
  output: unknown;
  error?: ArmActivityError;
  activityRunId?: string;
  name: string;
}

export interface ActivityRecord {
  arm: ArmActivityRun;
  lastUpdatedMs: number;
  startMs: number;
}

export interface PipelineRunState {
  factory: FactoryDefinition;
  pipeline: LoadedPipeline;
  runId: string;
  runGroupId: string;
  isLatest: boolean;
  parameters: Record<string, unknown>;
  invokedBy: ArmInvokedBy;
  startMs: number;
  endMs?: number;
  lastUpdatedMs: number;
  status: PipelineRunStatus;
  message: string;
  activityRuns: ActivityRecord[];
  variables: Map<string, unknown>;
  variableTypes: Map<string, string>;
  returnValue?: Record<string, unknown>;
  controller: AbortController;
  children: string[];
  parentRunId?: string;
  triggerType: string;
  /** Top-level results, kept for recovery reruns. */
  topLevelResults: Map<string, ActivityResult>;
  done: Promise<void>;
  annotations: unknown[];
}

export interface CreateRunRequest {
  pipelineName: string;
  parameters: Record<string, unknown>;
  referencePipelineRunId?: string;
  isRecovery?: boolean;
  startActivityName?: string;
  startFromFailure?: boolean;
}

export interface ChildRunContext {
  parent: PipelineRunState;
  activityName: string;
  activityRunId: string;
}

export interface EngineSettings {
  factory: FactoryDefinition;
  hooks: DataFactoryHooks;
  clock: SandboxClock;
  waitScale: number;
  mockedActivityOutputs?: MockedActivityOutputs;
  trustedCaPem?: string;
  callbackBaseUrl(): string | undefined;
}

/** A scope of activity results: a pipeline, an IfCondition branch, one ForEach iteration… */
export class ResultScope {
  readonly results = new Map<string, ActivityResult>();
  constructor(
    readonly parent?: ResultScope,
    readonly item?: { value: unknown },
  ) {}
  lookup(name: string): ActivityResult | undefined {
    const hit = this.results.get(name);
    if (hit) return hit;
    for (const [k, v] of this.results) if (k.toLowerCase() === name.toLowerCase()) return v;
    return this.parent?.lookup(name);
  }
  currentItem(): { value: unknown } | undefined {
    return this.item ?? this.parent?.currentItem();
  }
}

export interface PendingCallback {
  resolve(body: unknown): void;
  runId: string;
  activityName: string;
}

export interface RunContext {
  run: PipelineRunState;
  repo: LoadedRepo;
  mocks: MockedActivityOutputs;
}

/** Where one activity attempt runs: its run, result scope, ARM record, signal and expression scope. */
export interface ExecContext extends RunContext {
  scope: ResultScope;
  record: ActivityRecord;
  signal: AbortSignal;
  evalScope: EvaluationScope;
  host: ActivityHost;
}

export interface ScopeOutcome {
  failed: ActivityResult[];
}

/** The pipeline runner's services a handler may use. */
export interface ActivityHost {
  readonly factory: FactoryDefinition;
  readonly settings: EngineSettings;
  /** WebHook callbacks waiting for a POST, by callback id. */
  readonly callbacks: Map<string, PendingCallback>;
  nowMs(): number;
  /** Sleeps `ms` of pipeline time (scaled by waitScale); rejects with CancelledError on abort. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /** Runs nested activities (a branch, an iteration) with ADF's dependency rules. */
  runActivities(activities: ActivityJson[], scope: ResultScope, ctx: RunContext): Promise<ScopeOutcome>;
  evaluationScope(run: PipelineRunState, scope: ResultScope, globalParameters: Record<string, unknown>): EvaluationScope;
  createRun(request: CreateRunRequest, child?: ChildRunContext): Promise<PipelineRunState>;
}

/**
 * One activity type: `run` returns the activity's output (or throws ActivityFailure). `control`
 * types (IfCondition, ForEach …) are never mocked from *.sandbox.json and never retried by policy.
 */
export interface ActivityHandler {
  control: boolean;
  run(activity: ActivityJson, typeProperties: Record<string, unknown>, exec: ExecContext): unknown;
}

/** A Boolean expression of a control activity; anything else fails it as ADF does. */
export function evaluateCondition(activity: ActivityJson, raw: unknown, exec: ExecContext, what: string): boolean {
  const v = evaluateDeep(raw, exec.evalScope);
  if (typeof v !== 'boolean') throw new ActivityFailure('InvalidTemplate', `The ${what} of '${activity.name}' evaluated to ${JSON.stringify(v)} (${describeType(v)}); it must be a Boolean.`);
  return v;
}

/** Runs a container's inner activities in `scope`; an inner failure fails the container. */
export async function runInner(_container: ActivityJson, activities: unknown, exec: ExecContext, scope: ResultScope): Promise<void> {
  const list = Array.isArray(activities) ? (activities as ActivityJson[]) : [];
  const outcome = await exec.host.runActivities(list, scope, exec);
  if (exec.signal.aborted) throw new CancelledError();
  if (outcome.failed.length) throw innerFailure(outcome.failed);
}

export function innerFailure(failed: ActivityResult[]): ActivityFailure {
  const first = failed[0];
  return new ActivityFailure(
    first.error?.errorCode ?? '',
    `Activity failed because an inner activity failed; Inner activity name: ${first.name}, Error: ${first.error?.message ?? ''}`,
    first.error?.failureType || 'UserError',
  );
}

/** ADF's name for a value's type, as its messages give it. */
export function describeType(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'Array';
  if (typeof v === 'boolean') return 'Boolean';
  if (typeof v === 'number') return Number.isInteger(v) ? 'Integer' : 'Float';
  if (typeof v === 'string') return 'String';
  return 'Object';
}
