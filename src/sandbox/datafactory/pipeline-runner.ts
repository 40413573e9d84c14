/**
 * Runs ADF pipeline JSON for real: activity dependencies with ADF's conditions, control-flow
 * activities, Web calls, child pipelines, cancellation. One FactoryEngine per emulated factory.
 */
import { randomUUID, randomBytes } from 'node:crypto';
import { evaluateDeep, evaluateString, ExpressionFailure, type EvaluationScope } from './expressions';
import { loadRepo, mergeMocks, type ActivityJson, type LoadedPipeline, type LoadedRepo, type MockedActivityOutputs, type MockedActivityResult } from './repo';
import { adfTimestamp, parseTimeSpan } from './timespan';
import type {
  ActivityRunStatus,
  ArmActivityError,
  ArmActivityRun,
  ArmInvokedBy,
  ArmPipelineRun,
  DataFactoryHooks,
  FactoryDefinition,
  PipelineRunStatus,
  SandboxClock,
  WebCallRequest,
  WebCallResponse,
} from './types';
import { loopbackRequest, isLoopbackUrl } from './web';
import { MAX_JSON_DEPTH, tooDeepMessage, valueDepth } from '../http-input';

/** A request the caller got wrong; the service answers it with an ARM 4xx error. */
export class ArmRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** An activity failure, in ADF's error shape. */
class ActivityFailure extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
    readonly failureType: string = 'UserError',
    readonly output?: unknown,
  ) {
    super(message);
  }
}

class CancelledError extends Error {
  constructor() {
    super('The run was cancelled.');
  }
}

interface ActivityResult {
  status: ActivityRunStatus;
  output: unknown;
  error?: ArmActivityError;
  activityRunId?: string;
  name: string;
}

interface ActivityRecord {
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

interface ChildRunContext {
  parent: PipelineRunState;
  activityName: string;
  activityRunId: string;
}

interface EngineSettings {
  factory: FactoryDefinition;
  hooks: DataFactoryHooks;
  clock: SandboxClock;
  waitScale: number;
  mockedActivityOutputs?: MockedActivityOutputs;
  trustedCaPem?: string;
  callbackBaseUrl(): string | undefined;
}

/** A scope of activity results: a pipeline, an IfCondition branch, one ForEach iteration… */
class ResultScope {
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

interface PendingCallback {
  resolve(body: unknown): void;
  runId: string;
  activityName: string;
}

const CONTROL_TYPES = new Set(['IfCondition', 'Switch', 'ForEach', 'Until', 'ExecutePipeline', 'SetVariable', 'AppendVariable', 'Filter', 'Wait', 'Fail', 'Validation']);
const MSI_TYPES = new Set(['msi', 'systemassignedmanagedidentity', 'userassignedmanagedidentity']);
const VALID_CONDITIONS = new Set(['Succeeded', 'Failed', 'Skipped', 'Completed']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describeType(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'Array';
  if (typeof v === 'boolean') return 'Boolean';
  if (typeof v === 'number') return Number.isInteger(v) ? 'Integer' : 'Float';
  if (typeof v === 'string') return 'String';
  return 'Object';
}

function emptyError(target: string): ArmActivityError {
  return { errorCode: '', message: '', failureType: '', target, details: '' };
}

export class FactoryEngine {
  readonly runs = new Map<string, PipelineRunState>();
  private readonly callbacks = new Map<string, PendingCallback>();
  /** Repo problems already reported, so a broken file is announced once, not on every request. */
  private readonly reportedProblems = new Set<string>();

  constructor(private readonly settings: EngineSettings) {}

  get factory(): FactoryDefinition {
    return this.settings.factory;
  }

  async repo(): Promise<LoadedRepo> {
    const repo = await loadRepo(this.settings.factory.repoRoot);
    const current = new Set<string>();
    for (const p of repo.problems) {
      const key = `${p.file}\n${p.message}`;
      current.add(key);
      if (!this.reportedProblems.has(key)) this.settings.hooks.onEvent?.({ type: 'repoProblem', factory: this.factory, file: p.file, message: p.message });
    }
    this.reportedProblems.clear();
    for (const k of current) this.reportedProblems.add(k);
    return repo;
  }

  private nowMs(): number {
    return this.settings.clock.now().getTime();
  }

  /** Sleeps `ms` of pipeline time (scaled by waitScale), stopping early when `signal` aborts. */
  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    const real = Math.max(1, Math.round(ms * this.settings.waitScale));
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(new CancelledError());
      const t = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, real);
      const onAbort = () => {
        clearTimeout(t);
        reject(new CancelledError());
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  // -------------------------------------------------------------------------------------------
  // Runs

  async createRun(request: CreateRunRequest, child?: ChildRunContext): Promise<PipelineRunState> {
    // Checked before anything is stored: a run whose parameters cannot be serialized would break
    // every later queryPipelineRuns.
    if (valueDepth(request.parameters) > MAX_JSON_DEPTH) throw new ArmRequestError(400, 'BadRequest', tooDeepMessage(`The parameters of pipeline '${request.pipelineName}'`));
    const repo = await this.repo();
    const pipeline = repo.pipelines.get(request.pipelineName);
    if (!pipeline) {
      const problem = repo.problems.find((p) => p.file.toLowerCase().endsWith(`/${request.pipelineName.toLowerCase()}.json`));
      if (problem) throw new ArmRequestError(400, 'BadRequest', `Pipeline '${request.pipelineName}' cannot be run: ${problem.file}: ${problem.message}`);
      throw new ArmRequestError(
        404,
        'PipelineNotFound',
        `Pipeline '${request.pipelineName}' was not found in factory '${this.factory.factoryName}'. The sandbox serves the pipelines in ${this.factory.repoRoot}/pipeline/*.json (${[...repo.pipelines.keys()].join(', ') || 'none found'}).`,
      );
    }
    let reference: PipelineRunState | undefined;
    if (request.referencePipelineRunId) {
      reference = this.runs.get(request.referencePipelineRunId);
      if (!reference || reference.pipeline.name !== pipeline.name) {
        throw new ArmRequestError(400, 'ReferencedPipelineRunNotValid', `Referenced pipeline run id ${request.referencePipelineRunId} is not a valid run id of pipeline '${pipeline.name}'.`);
      }
    }
    if ((request.isRecovery || request.startActivityName || request.startFromFailure) && !reference) {
      throw new ArmRequestError(400, 'BadRequest', 'isRecovery, startActivityName and startFromFailure rerun an earlier run: pass its id as referencePipelineRunId.');
    }
    const activities = pipeline.json.properties.activities ?? [];
    const invalid = validateActivities(activities, pipeline.name);
    if (invalid) throw new ArmRequestError(400, 'BadRequest', invalid);
    if (request.startActivityName && !activities.some((a) => a.name === request.startActivityName)) {
      throw new ArmRequestError(400, 'BadRequest', `startActivityName '${request.startActivityName}' is not a top-level activity of pipeline '${pipeline.name}' (${activities.map((a) => a.name).join(', ')}).`);
    }
    const parameters = this.bindParameters(pipeline, { ...(reference?.parameters ?? {}), ...request.parameters });
    const now = this.nowMs();
    const runId = randomUUID();
    const recovery = Boolean(reference && (request.isRecovery || request.startActivityName || request.startFromFailure));
    const runGroupId = recovery && reference ? reference.runGroupId : runId;
    if (recovery) for (const r of this.runs.values()) if (r.runGroupId === runGroupId) r.isLatest = false;
    const invokedBy: ArmInvokedBy = child
      ? { name: child.activityName, id: child.activityRunId, invokedByType: 'PipelineActivity', pipelineName: child.parent.pipeline.name, pipelineRunId: child.parent.runId }
      : { name: 'Manual', id: randomBytes(16).toString('hex'), invokedByType: 'Manual' };
    const variables = new Map<string, unknown>();
    const variableTypes = new Map<string, string>();
    for (const [name, spec] of Object.entries(pipeline.json.properties.variables ?? {})) {
      variableTypes.set(name, String(spec?.type ?? 'String'));
      variables.set(name, spec && 'defaultValue' in spec ? spec.defaultValue : null);
    }
    const run: PipelineRunState = {
      factory: this.factory,
      pipeline,
      runId,
      runGroupId,
      isLatest: true,
      parameters,
      invokedBy,
      startMs: now,
      lastUpdatedMs: now,
      status: 'Queued',
      message: '',
      activityRuns: [],
      variables,
      variableTypes,
      controller: new AbortController(),
      children: [],
      parentRunId: child?.parent.runId,
      triggerType: child ? 'PipelineActivity' : 'Manual',
      topLevelResults: new Map(),
      done: Promise.resolve(),
      annotations: Array.isArray(pipeline.json.properties.annotations) ? pipeline.json.properties.annotations : [],
    };
    if (child) child.parent.children.push(runId);
    this.runs.set(runId, run);
    this.emitRun(run);
    const seeds = reference && recovery ? this.recoverySeeds(reference, activities, request) : undefined;
    run.done = this.execute(run, repo, seeds);
    return run;
  }

  private recoverySeeds(reference: PipelineRunState, activities: ActivityJson[], request: CreateRunRequest): Map<string, ActivityResult> {
    const rerun = new Set<string>();
    if (request.startActivityName) rerun.add(request.startActivityName);
    else if (request.startFromFailure || request.isRecovery) {
      for (const a of activities) if (reference.topLevelResults.get(a.name)?.status !== 'Succeeded') rerun.add(a.name);
    }
    // Everything downstream of a rerun activity runs again too.
    let grew = true;
    while (grew) {
      grew = false;
      for (const a of activities) {
        if (!rerun.has(a.name) && (a.dependsOn ?? []).some((d) => rerun.has(d.activity))) {
          rerun.add(a.name);
          grew = true;
        }
      }
    }
    const seeds = new Map<string, ActivityResult>();
    for (const a of activities) {
      if (rerun.has(a.name)) continue;
      const prior = reference.topLevelResults.get(a.name);
      seeds.set(a.name, prior ?? { name: a.name, status: 'Skipped', output: {} });
    }
    return seeds;
  }

  /** Applies defaults and checks createRun's parameters against the pipeline's declared types. */
  private bindParameters(pipeline: LoadedPipeline, given: Record<string, unknown>): Record<string, unknown> {
    const declared = pipeline.json.properties.parameters ?? {};
    const out: Record<string, unknown> = {};
    for (const [name, spec] of Object.entries(declared)) {
      const type = String(spec?.type ?? 'String');
      if (Object.prototype.hasOwnProperty.call(given, name) && given[name] !== undefined) {
        out[name] = coerceParameter(pipeline.name, name, type, given[name]);
      } else if (spec && 'defaultValue' in spec) {
        out[name] = spec.defaultValue;
      } else {
        throw new ArmRequestError(
          400,
          'BadRequest',
          `Missing value for parameter '${name}' (type ${type}) of pipeline '${pipeline.name}': it has no default value, so createRun must pass it in the request body, e.g. {"${name}": …}.`,
        );
      }
    }
    // Parameters the pipeline does not declare are kept (shown on the run, visible to expressions) rather than dropped.
    // Own properties only, defined rather than assigned: "constructor" or "__proto__" is a name like any other.
    for (const [name, value] of Object.entries(given)) {
      if (!Object.hasOwn(out, name) && value !== undefined) Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }

  cancel(runId: string, recursive: boolean): void {
    const run = this.runs.get(runId);
    if (!run) throw new ArmRequestError(404, 'PipelineRunNotFound', `Pipeline run '${runId}' was not found in factory '${this.factory.factoryName}'.`);
    if (run.status === 'Succeeded' || run.status === 'Failed' || run.status === 'Cancelled') return;
    run.status = 'Canceling';
    run.lastUpdatedMs = this.nowMs();
    this.emitRun(run);
    run.controller.abort();
    if (recursive) for (const childId of run.children) this.cancel(childId, true);
  }

  /** Completes a WebHook activity waiting on `callbackId`. False when nothing waits on it. */
  completeCallback(callbackId: string, body: unknown): boolean {
    const pending = this.callbacks.get(callbackId);
    if (!pending) return false;
    this.callbacks.delete(callbackId);
    pending.resolve(body);
    return true;
  }

  private async execute(run: PipelineRunState, repo: LoadedRepo, seeds?: Map<string, ActivityResult>): Promise<void> {
    await Promise.resolve();
    run.status = 'InProgress';
    run.lastUpdatedMs = this.nowMs();
    this.emitRun(run);
    const scope = new ResultScope();
    const ctx: RunContext = { run, repo, mocks: mergeMocks(repo.mocks, this.settings.mockedActivityOutputs) };
    let outcome: ScopeOutcome;
    try {
      outcome = await this.runActivities(run.pipeline.json.properties.activities ?? [], scope, ctx, seeds);
    } catch (e) {
      outcome = { failed: e instanceof CancelledError ? [] : [{ name: run.pipeline.name, status: 'Failed', output: {}, error: { errorCode: 'InternalServerError', message: (e as Error).message, failureType: 'SystemError', target: run.pipeline.name } }] };
    }
    for (const [name, r] of scope.results) run.topLevelResults.set(name, r);
    run.endMs = this.nowMs();
    run.lastUpdatedMs = run.endMs;
    if (run.controller.signal.aborted) {
      run.status = 'Cancelled';
      run.message = 'The pipeline run was cancelled.';
    } else if (outcome.failed.length) {
      run.status = 'Failed';
      run.message = outcome.failed
        .map((f) => `Operation on target ${f.name} failed: ${f.error?.message ?? 'the activity failed'}`)
        .join('; ');
    } else {
      run.status = 'Succeeded';
      run.message = '';
    }
    this.emitRun(run);
  }

  // -------------------------------------------------------------------------------------------
  // Dependency graph

  /**
   * Runs a list of activities (a pipeline body or a container's branch) with ADF's dependency
   * rules, and applies the leaf rule: the scope fails when any leaf failed, where a skipped leaf
   * is replaced by the activities it depends on.
   */
  private async runActivities(activities: ActivityJson[], scope: ResultScope, ctx: RunContext, seeds?: Map<string, ActivityResult>): Promise<ScopeOutcome> {
    const byName = new Map(activities.map((a) => [a.name, a]));
    for (const a of activities) {
      for (const d of a.dependsOn ?? []) {
        if (!byName.has(d.activity)) throw new ActivityFailure('BadRequest', `Activity '${a.name}' depends on '${d.activity}', which is not an activity at the same level of pipeline '${ctx.run.pipeline.name}'.`);
        for (const c of d.dependencyConditions ?? []) if (!VALID_CONDITIONS.has(c)) throw new ActivityFailure('BadRequest', `Activity '${a.name}' has dependency condition '${c}'; ADF knows Succeeded, Failed, Skipped and Completed.`);
      }
    }
    const status = new Map<string, ActivityRunStatus>();
    const started = new Set<string>();
    if (seeds) for (const [name, r] of seeds) if (byName.has(name)) {
      scope.results.set(name, r);
      status.set(name, r.status);
      started.add(name);
    }
    const running = new Map<string, Promise<void>>();
    const signal = ctx.run.controller.signal;
    for (;;) {
      let progressed = false;
      for (const a of activities) {
        if (started.has(a.name)) continue;
        const deps = a.dependsOn ?? [];
        if (!deps.every((d) => status.has(d.activity))) continue;
        started.add(a.name);
        progressed = true;
        if (signal.aborted) {
          status.set(a.name, 'Cancelled');
          continue;
        }
        const runnable = deps.every((d) => {
          const s = status.get(d.activity)!;
          return (d.dependencyConditions ?? []).some((c) => c === s || (c === 'Completed' && (s === 'Succeeded' || s === 'Failed')));
        });
        if (!runnable) {
          status.set(a.name, 'Skipped');
          scope.results.set(a.name, { name: a.name, status: 'Skipped', output: {} });
          continue;
        }
        const p = this.runActivity(a, scope, ctx).then((r) => {
          scope.results.set(a.name, r);
          status.set(a.name, r.status);
          running.delete(a.name);
        });
        running.set(a.name, p);
      }
      if (started.size === activities.length && running.size === 0) break;
      if (!progressed) {
        if (running.size === 0) {
          const stuck = activities.filter((a) => !started.has(a.name)).map((a) => a.name);
          throw new ActivityFailure('BadRequest', `Activities ${stuck.join(', ')} of pipeline '${ctx.run.pipeline.name}' depend on each other in a cycle; ADF rejects such pipelines.`);
        }
        await Promise.race(running.values());
      }
    }
    // Leaf rule.
    const hasDependents = new Set<string>();
    for (const a of activities) for (const d of a.dependsOn ?? []) hasDependents.add(d.activity);
    const evaluated = new Map<string, ActivityResult>();
    const visit = (name: string) => {
      const r = scope.results.get(name);
      const s = status.get(name);
      if (s === 'Skipped') {
        for (const d of byName.get(name)?.dependsOn ?? []) visit(d.activity);
        return;
      }
      evaluated.set(name, r ?? { name, status: s ?? 'Cancelled', output: {} });
    };
    for (const a of activities) if (!hasDependents.has(a.name)) visit(a.name);
    const failed = [...evaluated.values()].filter((r) => r.status === 'Failed');
    return { failed };
  }

  // -------------------------------------------------------------------------------------------
  // One activity

  private async runActivity(activity: ActivityJson, scope: ResultScope, ctx: RunContext): Promise<ActivityResult> {
    const { run } = ctx;
    if (String(activity.state ?? '').toLowerCase() === 'inactive') {
      const mark = (activity.onInactiveMarkAs as ActivityRunStatus | undefined) ?? 'Succeeded';
      const status: ActivityRunStatus = mark === 'Failed' || mark === 'Skipped' ? mark : 'Succeeded';
      return {
        name: activity.name,
        status,
        output: {},
        error: status === 'Failed' ? { errorCode: 'ActivityInactive', message: `Activity '${activity.name}' is inactive and marked as Failed.`, failureType: 'UserError', target: activity.name } : undefined,
      };
    }
    const maxRetries = CONTROL_TYPES.has(activity.type) ? 0 : Math.max(0, Number(activity.policy?.retry ?? 0) || 0);
    const retryIntervalMs = (Number(activity.policy?.retryIntervalInSeconds ?? 30) || 30) * 1000;
    for (let attempt = 0; ; attempt++) {
      const result = await this.runAttempt(activity, scope, ctx, attempt > 0 ? attempt : null);
      if (result.status !== 'Failed' || attempt >= maxRetries || run.controller.signal.aborted) return result;
      try {
        await this.sleep(retryIntervalMs, run.controller.signal);
      } catch {
        return result;
      }
    }
  }

  private async runAttempt(activity: ActivityJson, scope: ResultScope, ctx: RunContext, retryAttempt: number | null): Promise<ActivityResult> {
    const { run } = ctx;
    const start = this.nowMs();
    const record: ActivityRecord = {
      startMs: start,
      lastUpdatedMs: start,
      arm: {
        pipelineName: run.pipeline.name,
        pipelineRunId: run.runId,
        activityName: activity.name,
        activityType: activity.type,
        activityRunId: randomUUID(),
        linkedServiceName: activity.linkedServiceName?.referenceName ?? '',
        status: 'InProgress',
        activityRunStart: adfTimestamp(start),
        activityRunEnd: null,
        durationInMs: null,
        input: {},
        output: {},
        error: emptyError(activity.name),
        retryAttempt,
        userProperties: Object.fromEntries((activity.userProperties ?? []).map((p) => [p.name, p.value])),
        iterationHash: scope.currentItem() ? randomBytes(8).toString('hex') : '',
      },
    };
    run.activityRuns.push(record);
    this.emitActivity(run, record);
    const signal = run.controller.signal;
    const timeoutMs = parseTimeSpan(activity.policy?.timeout) ?? 12 * 3_600_000;
    const activityController = new AbortController();
    const onRunAbort = () => activityController.abort();
    signal.addEventListener('abort', onRunAbort, { once: true });
    // policy.timeout guards real work (HTTP calls, child runs), so it is not scaled by waitScale.
    const realTimeout = Math.min(timeoutMs, 2_147_483_647);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      activityController.abort();
    }, realTimeout);
    let status: ActivityRunStatus;
    let output: unknown = {};
    let error: ArmActivityError = emptyError(activity.name);
    try {
      const exec: ExecContext = {
        ...ctx,
        scope,
        record,
        signal: activityController.signal,
        evalScope: this.evaluationScope(run, scope, ctx.repo.globalParameters),
      };
      if (activity.userProperties?.length) {
        // ADF evaluates user properties for monitoring; one that cannot be evaluated is shown as written.
        for (const p of activity.userProperties) {
          try {
            record.arm.userProperties[p.name] = evaluateDeep(p.value, exec.evalScope);
          } catch {
            record.arm.userProperties[p.name] = p.value;
          }
        }
      }
      output = await this.dispatch(activity, exec);
      status = 'Succeeded';
    } catch (e) {
      if (timedOut && !signal.aborted) {
        status = 'Failed';
        error = { errorCode: '2103', message: `Activity '${activity.name}' timed out after ${activity.policy?.timeout ?? '0.12:00:00'} (its policy.timeout).`, failureType: 'UserError', target: activity.name, details: '' };
      } else if (e instanceof CancelledError || signal.aborted) {
        status = 'Cancelled';
        error = { errorCode: '', message: 'The activity was cancelled with its pipeline run.', failureType: '', target: activity.name, details: '' };
      } else if (e instanceof ActivityFailure) {
        status = 'Failed';
        if (e.output !== undefined) output = e.output;
        error = { errorCode: e.errorCode, message: e.message, failureType: e.failureType, target: activity.name, details: '' };
      } else if (e instanceof ExpressionFailure) {
        status = 'Failed';
        error = { errorCode: 'InvalidTemplate', message: e.message, failureType: 'UserError', target: activity.name, details: '' };
      } else {
        status = 'Failed';
        error = { errorCode: 'InternalServerError', message: (e as Error).message ?? String(e), failureType: 'SystemError', target: activity.name, details: '' };
      }
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onRunAbort);
    }
    const end = this.nowMs();
    Object.assign(record.arm, { status, output, error, activityRunEnd: adfTimestamp(end), durationInMs: end - start });
    record.lastUpdatedMs = end;
    this.emitActivity(run, record);
    return { name: activity.name, status, output, error: status === 'Failed' ? error : undefined, activityRunId: record.arm.activityRunId };
  }

  private evaluationScope(run: PipelineRunState, scope: ResultScope, globalParameters: Record<string, unknown>): EvaluationScope {
    const pipeline: Record<string, unknown> = {
      DataFactory: this.factory.factoryName,
      Pipeline: run.pipeline.name,
      RunId: run.runId,
      GroupId: run.runGroupId,
      TriggerType: run.triggerType,
      TriggerId: run.invokedBy.id,
      TriggerName: run.invokedBy.name,
      TriggerTime: adfTimestamp(run.startMs),
      parameters: run.parameters,
      globalParameters,
    };
    if (run.invokedBy.invokedByType === 'PipelineActivity') {
      pipeline.TriggeredByPipelineName = run.invokedBy.pipelineName;
      pipeline.TriggeredByPipelineRunId = run.invokedBy.pipelineRunId;
    }
    return {
      pipeline,
      variables: run.variables,
      activity: (name: string) => {
        const r = scope.lookup(name);
        if (!r || r.status === 'Skipped' || r.status === 'Cancelled') return undefined;
        return { output: r.output, error: r.error ?? null };
      },
      item: scope.currentItem(),
      now: () => this.settings.clock.now(),
    };
  }

  private async dispatch(activity: ActivityJson, exec: ExecContext): Promise<unknown> {
    const tp = activity.typeProperties ?? {};
    const mock = this.mockFor(activity, exec);
    if (mock && !CONTROL_TYPES.has(activity.type)) {
      exec.record.arm.input = this.safeInput(tp, exec);
      return this.applyMock(mock, activity);
    }
    switch (activity.type) {
      case 'SetVariable':
        return this.setVariable(activity, tp, exec);
      case 'AppendVariable':
        return this.appendVariable(activity, tp, exec);
      case 'IfCondition':
        return this.ifCondition(activity, tp, exec);
      case 'Switch':
        return this.switchActivity(activity, tp, exec);
      case 'ForEach':
        return this.forEach(activity, tp, exec);
      case 'Until':
        return this.until(activity, tp, exec);
      case 'Wait':
        return this.wait(tp, exec);
      case 'Fail':
        return this.fail(tp, exec);
      case 'Filter':
        return this.filter(tp, exec);
      case 'ExecutePipeline':
        return this.executePipeline(activity, tp, exec);
      case 'WebActivity':
        return this.webActivity(activity, tp, exec);
      case 'WebHook':
        return this.webHook(activity, tp, exec);
      default:
        exec.record.arm.input = this.safeInput(tp, exec);
        return defaultMockedOutput(activity.type);
    }
  }

  /** The activity's evaluated typeProperties as its input; expression errors fail it like ADF does. */
  private safeInput(tp: Record<string, unknown>, exec: ExecContext): unknown {
    return evaluateDeep(tp, exec.evalScope);
  }

  private mockFor(activity: ActivityJson, exec: ExecContext): MockedActivityResult | undefined {
    return exec.mocks.pipelines?.[exec.run.pipeline.name]?.activities?.[activity.name] ?? exec.mocks.activityTypes?.[activity.type];
  }

  private applyMock(mock: MockedActivityResult, activity: ActivityJson): unknown {
    if (mock.status === 'Failed') {
      throw new ActivityFailure(mock.error?.errorCode ?? 'MockedFailure', mock.error?.message ?? `Activity '${activity.name}' failed (mocked in *.sandbox.json).`, mock.error?.failureType ?? 'UserError', mock.output);
    }
    return mock.output ?? {};
  }

  // -------------------------------------------------------------------------------------------
  // Control activities

  private setVariable(activity: ActivityJson, tp: Record<string, unknown>, exec: ExecContext): unknown {
    const name = String(tp.variableName ?? '');
    if (name === 'pipelineReturnValue' || tp.setSystemVariable === true) {
      const entries = Array.isArray(tp.value) ? tp.value : [];
      const value: Record<string, unknown> = {};
      for (const e of entries) {
        if (!isObject(e) || typeof e.key !== 'string') continue;
        const spec = isObject(e.value) ? e.value : { type: 'String', content: e.value };
        value[e.key] = evaluateReturnValue(spec, exec.evalScope);
      }
      exec.record.arm.input = { variableName: 'pipelineReturnValue', value: tp.value };
      exec.run.returnValue = { ...(exec.run.returnValue ?? {}), ...value };
      return { name: 'pipelineReturnValue', value };
    }
    if (!exec.run.variableTypes.has(name)) {
      throw new ActivityFailure('BadRequest', `SetVariable '${activity.name}' sets variable '${name}', which pipeline '${exec.run.pipeline.name}' does not declare. Declare it under properties.variables.`);
    }
    const value = evaluateDeep(tp.value, exec.evalScope);
    exec.record.arm.input = { variableName: name, value };
    checkVariableType(name, exec.run.variableTypes.get(name)!, value);
    exec.run.variables.set(name, value);
    return { name, value };
  }

  private appendVariable(activity: ActivityJson, tp: Record<string, unknown>, exec: ExecContext): unknown {
    const name = String(tp.variableName ?? '');
    const type = exec.run.variableTypes.get(name);
    if (!type) throw new ActivityFailure('BadRequest', `AppendVariable '${activity.name}' appends to variable '${name}', which pipeline '${exec.run.pipeline.name}' does not declare.`);
    if (type.toLowerCase() !== 'array') throw new ActivityFailure('BadRequest', `AppendVariable '${activity.name}' appends to variable '${name}' of type ${type}; only Array variables can be appended to.`);
    const value = evaluateDeep(tp.value, exec.evalScope);
    exec.record.arm.input = { variableName: name, value };
    const current = exec.run.variables.get(name);
    exec.run.variables.set(name, [...(Array.isArray(current) ? current : []), value]);
    return { name, value };
  }

  private evaluateCondition(activity: ActivityJson, raw: unknown, exec: ExecContext, what: string): boolean {
    const v = evaluateDeep(raw, exec.evalScope);
    if (typeof v !== 'boolean') throw new ActivityFailure('InvalidTemplate', `The ${what} of '${activity.name}' evaluated to ${JSON.stringify(v)} (${describeType(v)}); it must be a Boolean.`);
    return v;
  }

  private async runInner(activity: ActivityJson, activities: unknown, exec: ExecContext, scope: ResultScope): Promise<void> {
    const list = Array.isArray(activities) ? (activities as ActivityJson[]) : [];
    const outcome = await this.runActivities(list, scope, exec);
    if (exec.signal.aborted) throw new CancelledError();
    if (outcome.failed.length) throw innerFailure(outcome.failed);
  }

  private async ifCondition(activity: ActivityJson, tp: Record<string, unknown>, exec: ExecContext): Promise<unknown> {
    const result = this.evaluateCondition(activity, tp.expression, exec, 'expression');
    exec.record.arm.input = {};
    await this.runInner(activity, result ? tp.ifTrueActivities : tp.ifFalseActivities, exec, new ResultScope(exec.scope));
    return {};
  }

  private async switchActivity(activity: ActivityJson, tp: Record<string, unknown>, exec: ExecContext): Promise<unknown> {
    const on = evaluateDeep(tp.on, exec.evalScope);
    const key = typeof on === 'string' ? on : JSON.stringify(on);
    const cases = Array.isArray(tp.cases) ? (tp.cases as { value?: unknown; activities?: unknown }[]) : [];
    const hit = cases.find((c) => String(c.value) === key);
    exec.record.arm.input = {};
    await this.runInner(activity, hit ? hit.activities : tp.defaultActivities, exec, new ResultScope(exec.scope));
    return {};
  }

  private async forEach(activity: ActivityJson, tp: Record<string, unknown>, exec: ExecContext): Promise<unknown> {
    const items = evaluateDeep(tp.items, exec.evalScope);
    if (!Array.isArray(items)) throw new ActivityFailure('InvalidTemplate', `The items of ForEach '${activity.name}' evaluated to ${describeType(items)}; ForEach needs an Array.`);
    const sequential = tp.isSequential === true;
    const batchCount = sequential ? 1 : Math.min(50, Math.max(1, Number(tp.batchCount ?? 20) || 20));
    exec.record.arm.input = {};
    const failures: ActivityResult[] = [];
    let next = 0;
    const worker = async () => {
      while (next < items.length && !exec.signal.aborted) {
        const i = next++;
        const scope = new ResultScope(exec.scope, { value: items[i] });
        const outcome = await this.runActivities(Array.isArray(tp.activities) ? (tp.activities as ActivityJson[]) : [], scope, exec);
        failures.push(...outcome.failed);
      }
    };
    await Promise.all(Array.from({ length: Math.min(batchCount, Math.max(1, items.length)) }, worker));
    if (exec.signal.aborted) throw new CancelledError();
    if (failures.length) throw innerFailure(failures);
    return {};
  }

  private async until(activity: ActivityJson, tp: Record<string, unknown>, exec: ExecContext): Promise<unknown> {
    const timeoutText = tp.timeout === undefined ? '7.00:00:00' : evaluateDeep(tp.timeout, exec.evalScope);
    const timeoutMs = parseTimeSpan(timeoutText);
    if (timeoutMs === undefined) throw new ActivityFailure('BadRequest', `The timeout of Until '${activity.name}' is ${JSON.stringify(timeoutText)}; write it as d.hh:mm:ss (e.g. "0.01:00:00").`);
    const deadline = Date.now() + Math.max(1, Math.round(timeoutMs * this.settings.waitScale));
    exec.record.arm.input = {};
    for (let iteration = 1; ; iteration++) {
      const scope = new ResultScope(exec.scope);
      await this.runInner(activity, tp.activities, exec, scope);
      const done = this.evaluateCondition(activity, tp.expression, { ...exec, evalScope: this.evaluationScope(exec.run, scope, exec.repo.globalParameters) }, 'expression');
      if (done) return {};
      if (Date.now() >= deadline) {
        throw new ActivityFailure('ActivityTimedOut', `Until '${activity.name}' timed out after ${timeoutText} (${iteration} iterations) before its expression became true.`);
      }
      // Let other work (callbacks, cancellation) in between iterations.
      await new Promise((r) => setImmediate(r));
    }
  }

  private async wait(tp: Record<string, unknown>, exec: ExecContext): Promise<unknown> {
    const seconds = evaluateDeep(tp.waitTimeInSeconds, exec.evalScope);
    const n = typeof seconds === 'string' ? Number(seconds) : seconds;
    if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) throw new ActivityFailure('InvalidTemplate', `waitTimeInSeconds evaluated to ${JSON.stringify(seconds)}; it must be a non-negative number of seconds.`);
    exec.record.arm.input = { waitTimeInSeconds: n };
    await this.sleep(n * 1000, exec.signal);
    return {};
  }

  private fail(tp: Record<string, unknown>, exec: ExecContext): never {
    const message = evaluateDeep(tp.message, exec.evalScope);
    const errorCode = evaluateDeep(tp.errorCode, exec.evalScope);
    exec.record.arm.input = { message, errorCode };
    throw new ActivityFailure(String(errorCode ?? ''), String(message ?? ''), 'UserError');
  }

  private filter(tp: Record<string, unknown>, exec: ExecContext): unknown {
    const items = evaluateDeep(tp.items, exec.evalScope);
    if (!Array.isArray(items)) throw new ActivityFailure('InvalidTemplate', `The items of a Filter evaluated to ${describeType(items)}; Filter needs an Array.`);
    const kept: unknown[] = [];
    for (const item of items) {
      const scope = new ResultScope(exec.scope, { value: item });
      const v = evaluateDeep(tp.condition, this.evaluationScope(exec.run, scope, exec.repo.globalParameters));
      if (typeof v !== 'boolean') throw new ActivityFailure('InvalidTemplate', `The condition of a Filter evaluated to ${JSON.stringify(v)} for item ${JSON.stringify(item)}; it must be a Boolean.`);
      if (v) kept.push(item);
    }
    exec.record.arm.input = {};
    return { ItemsCount: items.length, FilteredItemsCount: kept.length, Value: kept, value: kept };
  }

  private async executePipeline(activity: ActivityJson, tp: Record<string, unknown>, exec: ExecContext): Promise<unknown> {
    const ref = isObject(tp.pipeline) ? tp.pipeline : {};
    const name = String(ref.referenceName ?? '');
    const parameters = isObject(tp.parameters) ? (evaluateDeep(tp.parameters, exec.evalScope) as Record<string, unknown>) : {};
    exec.record.arm.input = { pipeline: { referenceName: name, type: 'PipelineReference' }, parameters, waitOnCompletion: tp.waitOnCompletion === true };
    let child: PipelineRunState;
    try {
      child = await this.createRun({ pipelineName: name, parameters }, { parent: exec.run, activityName: activity.name, activityRunId: exec.record.arm.activityRunId });
    } catch (e) {
      if (e instanceof ArmRequestError) throw new ActivityFailure(e.code, e.message);
      throw e;
    }
    const output: Record<string, unknown> = { pipelineName: name, pipelineRunId: child.runId };
    if (tp.waitOnCompletion !== true) return output;
    // Cancelling the parent stops the wait; the child is cancelled only by a recursive cancel (as in ADF).
    await new Promise<void>((resolve) => {
      if (exec.signal.aborted) return resolve();
      const onAbort = () => resolve();
      exec.signal.addEventListener('abort', onAbort, { once: true });
      void child.done.then(() => {
        exec.signal.removeEventListener('abort', onAbort);
        resolve();
      });
    });
    if (exec.signal.aborted) throw new CancelledError();
    if (child.returnValue) output.pipelineReturnValue = child.returnValue;
    if (child.status !== 'Succeeded') {
      throw new ActivityFailure('2011', `Operation on target pipeline '${name}' (run ${child.runId}) ended ${child.status}: ${child.message}`, 'UserError', output);
    }
    return output;
  }

  // -------------------------------------------------------------------------------------------
  // Web activities

  private async buildWebRequest(activity: ActivityJson, tp: Record<string, unknown>, exec: ExecContext, type: 'WebActivity' | 'WebHook') {
    const url = evaluateDeep(tp.url, exec.evalScope);
    if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) throw new ActivityFailure('2108', `The url of ${type} '${activity.name}' evaluated to ${JSON.stringify(url)}; it must be an http(s) URL.`);
    const method = String(evaluateDeep(tp.method ?? (type === 'WebHook' ? 'POST' : 'GET'), exec.evalScope)).toUpperCase();
    const headers: Record<string, string> = {};
    const rawHeaders = evaluateDeep(tp.headers, exec.evalScope);
    if (isObject(rawHeaders)) for (const [k, v] of Object.entries(rawHeaders)) headers[k] = typeof v === 'string' ? v : JSON.stringify(v);
    else if (Array.isArray(rawHeaders)) for (const h of rawHeaders) if (isObject(h) && typeof h.name === 'string') headers[h.name] = String(h.value ?? '');
    let body = tp.body === undefined ? undefined : evaluateDeep(tp.body, exec.evalScope);
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body);
      } catch {
        /* a plain string body is sent as is */
      }
    }
    const authentication = tp.authentication === undefined ? undefined : evaluateDeep(tp.authentication, exec.evalScope);
    return { url, method, headers, body, authentication };
  }

  private async authorize(activity: ActivityJson, headers: Record<string, string>, authentication: unknown, exec: ExecContext): Promise<void> {
    if (!isObject(authentication)) return;
    const type = String(authentication.type ?? '').toLowerCase();
    if (MSI_TYPES.has(type)) {
      const resource = String(authentication.resource ?? '');
      if (!resource) throw new ActivityFailure('2108', `${activity.type} '${activity.name}' uses ${authentication.type} authentication without a resource (the token audience).`);
      if (this.settings.hooks.getToken) {
        let token: string;
        try {
          token = await this.settings.hooks.getToken(resource, { factory: this.factory, pipelineName: exec.run.pipeline.name, pipelineRunId: exec.run.runId, activityName: activity.name });
        } catch (e) {
          throw new ActivityFailure('2108', `${activity.type} '${activity.name}' could not get a managed identity token for resource '${resource}': ${(e as Error).message}`);
        }
        headers.Authorization = `Bearer ${token}`;
      }
    } else if (type === 'basic') {
      const user = String(authentication.username ?? '');
      const password = isObject(authentication.password) ? String(authentication.password.value ?? '') : String(authentication.password ?? '');
      headers.Authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    }
  }

  private async send(activity: ActivityJson, request: Omit<WebCallRequest, 'signal'>, exec: ExecContext): Promise<WebCallResponse> {
    const full: WebCallRequest = { ...request, signal: exec.signal };
    const hooked = await this.settings.hooks.callWeb?.(full);
    if (hooked) return hooked;
    if (isLoopbackUrl(request.url)) {
      try {
        return await loopbackRequest(request.url, request.method, request.headers, request.body, exec.signal, this.settings.trustedCaPem);
      } catch (e) {
        if (exec.signal.aborted) throw new CancelledError();
        throw new ActivityFailure('2108', `Error calling the endpoint '${request.url}': ${(e as Error).message}`);
      }
    }
    throw new ActivityFailure(
      '2108',
      `Error calling the endpoint '${request.url}': the sandbox has no outside network. Point ${activity.type} '${activity.name}' at a bridge link's gateway URL or a loopback URL, or set a mocked output for it under "pipelines" → "${exec.run.pipeline.name}" → "activities" → "${activity.name}" in a *.sandbox.json file in ${this.factory.repoRoot}.`,
    );
  }

  private async webActivity(activity: ActivityJson, tp: Record<string, unknown>, exec: ExecContext): Promise<unknown> {
    const { url, method, headers, body, authentication } = await this.buildWebRequest(activity, tp, exec, 'WebActivity');
    exec.record.arm.input = { method, url, headers: { ...headers }, ...(body !== undefined && method !== 'GET' ? { body } : {}), ...(authentication !== undefined ? { authentication } : {}) };
    await this.authorize(activity, headers, authentication, exec);
    const started = this.nowMs();
    const response = await this.send(activity, { factory: this.factory, pipelineName: exec.run.pipeline.name, pipelineRunId: exec.run.runId, activityName: activity.name, activityType: 'WebActivity', url, method, headers, body: method === 'GET' ? undefined : body, authentication }, exec);
    const text = typeof response.body === 'string' ? response.body : response.body === undefined ? '' : JSON.stringify(response.body);
    if (response.status >= 400) {
      throw new ActivityFailure('2108', `Invoking Web Activity failed with HttpStatusCode - '${response.status}', message - '${text}'`, 'UserError');
    }
    let parsed: unknown = response.body;
    if (typeof parsed === 'string') {
      try {
        parsed = JSON.parse(parsed);
      } catch {
        parsed = undefined;
      }
    }
    const output: Record<string, unknown> = isObject(parsed) ? { ...parsed } : { Response: parsed === undefined ? text : parsed };
    output.ADFWebActivityResponseHeaders = { ...(response.headers ?? {}) };
    output.effectiveIntegrationRuntime = 'AutoResolveIntegrationRuntime (Sandbox)';
    output.executionDuration = Math.round((this.nowMs() - started) / 1000);
    output.durationInQueue = { integrationRuntimeQueue: 0 };
    return output;
  }

  private async webHook(activity: ActivityJson, tp: Record<string, unknown>, exec: ExecContext): Promise<unknown> {
    const { url, method, headers, body, authentication } = await this.buildWebRequest(activity, tp, exec, 'WebHook');
    const base = this.settings.callbackBaseUrl();
    if (!base) throw new ActivityFailure('2108', 'The sandbox does not know its own URL yet, so it cannot give WebHook a callBackUri. Start the server before running pipelines.');
    const timeoutText = tp.timeout === undefined ? '00:10:00' : evaluateDeep(tp.timeout, exec.evalScope);
    const timeoutMs = parseTimeSpan(timeoutText);
    if (timeoutMs === undefined) throw new ActivityFailure('BadRequest', `The timeout of WebHook '${activity.name}' is ${JSON.stringify(timeoutText)}; write it as hh:mm:ss (e.g. "00:10:00").`);
    const callbackId = randomUUID();
    const callBackUri = `${base}/workflow/callback/${callbackId}?activityType=WebHook&runId=${exec.run.runId}`;
    const sentBody = isObject(body) ? { ...body, callBackUri } : body === undefined ? { callBackUri } : body;
    exec.record.arm.input = { method, url, headers: { ...headers }, body: sentBody, timeout: timeoutText, ...(authentication !== undefined ? { authentication } : {}) };
    await this.authorize(activity, headers, authentication, exec);
    let resolveCallback!: (b: unknown) => void;
    const callback = new Promise<unknown>((r) => (resolveCallback = r));
    this.callbacks.set(callbackId, { resolve: resolveCallback, runId: exec.run.runId, activityName: activity.name });
    try {
      const response = await this.send(activity, { factory: this.factory, pipelineName: exec.run.pipeline.name, pipelineRunId: exec.run.runId, activityName: activity.name, activityType: 'WebHook', url, method, headers, body: sentBody, authentication, callBackUri }, exec);
      if (response.status >= 400) {
        const text = typeof response.body === 'string' ? response.body : JSON.stringify(response.body ?? '');
        throw new ActivityFailure('2108', `Invoking WebHook failed with HttpStatusCode - '${response.status}', message - '${text}'`);
      }
      const timeout = this.sleep(timeoutMs, exec.signal).then(() => TIMEOUT);
      const got = await Promise.race([callback, timeout]);
      if (got === TIMEOUT) {
        throw new ActivityFailure('WebHookTimedOut', `WebHook '${activity.name}' timed out after ${timeoutText}: nothing POSTed to its callBackUri.`);
      }
      const cb = isObject(got) ? got : { Response: got };
      if (tp.reportStatusOnCallBack === true) {
        const err = isObject(cb.Error) ? cb.Error : isObject(cb.error) ? cb.error : undefined;
        const statusCode = Number(cb.StatusCode ?? cb.statusCode ?? 200);
        if (err || statusCode >= 400) {
          throw new ActivityFailure(String(err?.ErrorCode ?? err?.errorCode ?? statusCode), String(err?.Message ?? err?.message ?? `The callback reported status ${statusCode}.`), 'UserError', cb.Output ?? cb.output ?? cb);
        }
      }
      return cb;
    } finally {
      this.callbacks.delete(callbackId);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Events and ARM shapes

  private emitRun(run: PipelineRunState): void {
    this.settings.hooks.onEvent?.({ type: 'pipelineRun', factory: this.factory, run: this.toArmRun(run), parentRunId: run.parentRunId });
  }

  private emitActivity(run: PipelineRunState, record: ActivityRecord): void {
    run.lastUpdatedMs = Math.max(run.lastUpdatedMs, record.lastUpdatedMs);
    this.settings.hooks.onEvent?.({ type: 'activityRun', factory: this.factory, activityRun: structuredClone(record.arm) });
  }

  toArmRun(run: PipelineRunState): ArmPipelineRun {
    return {
      runId: run.runId,
      runGroupId: run.runGroupId,
      isLatest: run.isLatest,
      pipelineName: run.pipeline.name,
      parameters: Object.fromEntries(Object.entries(run.parameters).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])),
      runDimensions: {},
      invokedBy: { ...run.invokedBy },
      lastUpdated: adfTimestamp(run.lastUpdatedMs),
      runStart: adfTimestamp(run.startMs),
      runEnd: run.endMs === undefined ? null : adfTimestamp(run.endMs),
      durationInMs: run.endMs === undefined ? null : run.endMs - run.startMs,
      status: run.status,
      message: run.message,
      annotations: run.annotations,
    };
  }

  activityRunsOf(run: PipelineRunState): { arm: ArmActivityRun; lastUpdatedMs: number; startMs: number }[] {
    return run.activityRuns.map((r) => ({ arm: structuredClone(r.arm), lastUpdatedMs: r.lastUpdatedMs, startMs: r.startMs }));
  }
}

const TIMEOUT = Symbol('timeout');

interface RunContext {
  run: PipelineRunState;
  repo: LoadedRepo;
  mocks: MockedActivityOutputs;
}

interface ExecContext extends RunContext {
  scope: ResultScope;
  record: ActivityRecord;
  signal: AbortSignal;
  evalScope: EvaluationScope;
}

interface ScopeOutcome {
  failed: ActivityResult[];
}

const NESTED_LISTS = ['activities', 'ifTrueActivities', 'ifFalseActivities', 'defaultActivities'];

/** Checks what ADF checks when a pipeline is saved: names, dependencies, conditions, cycles. */
function validateActivities(activities: unknown, pipeline: string): string | undefined {
  if (activities === undefined) return undefined;
  if (!Array.isArray(activities)) return `Pipeline '${pipeline}': "activities" must be an array.`;
  const names = new Set<string>();
  for (const a of activities) {
    if (!isObject(a) || typeof a.name !== 'string' || typeof a.type !== 'string') return `Pipeline '${pipeline}': every activity needs a string "name" and "type".`;
    if (names.has(a.name)) return `Pipeline '${pipeline}': two activities are named '${a.name}'.`;
    names.add(a.name);
  }
  for (const a of activities as ActivityJson[]) {
    for (const d of a.dependsOn ?? []) {
      if (!names.has(d.activity)) return `Pipeline '${pipeline}': activity '${a.name}' depends on '${d.activity}', which is not an activity at the same level.`;
      for (const c of d.dependencyConditions ?? []) if (!VALID_CONDITIONS.has(c)) return `Pipeline '${pipeline}': activity '${a.name}' has dependency condition '${c}'; ADF knows Succeeded, Failed, Skipped and Completed.`;
    }
  }
  // Cycle check (Kahn).
  const remaining = new Map((activities as ActivityJson[]).map((a) => [a.name, new Set((a.dependsOn ?? []).map((d) => d.activity))]));
  let removed = true;
  while (removed) {
    removed = false;
    for (const [name, deps] of remaining) {
      if ([...deps].every((d) => !remaining.has(d))) {
        remaining.delete(name);
        removed = true;
      }
    }
  }
  if (remaining.size) return `Pipeline '${pipeline}': activities ${[...remaining.keys()].join(', ')} depend on each other in a cycle.`;
  for (const a of activities as ActivityJson[]) {
    const tp = a.typeProperties ?? {};
    const lists: unknown[] = NESTED_LISTS.map((k) => tp[k]);
    if (Array.isArray(tp.cases)) for (const c of tp.cases) if (isObject(c)) lists.push(c.activities);
    for (const l of lists) {
      const problem = validateActivities(l, pipeline);
      if (problem) return problem;
    }
  }
  return undefined;
}

function innerFailure(failed: ActivityResult[]): ActivityFailure {
  const first = failed[0];
  return new ActivityFailure(
    first.error?.errorCode ?? '',
    `Activity failed because an inner activity failed; Inner activity name: ${first.name}, Error: ${first.error?.message ?? ''}`,
    first.error?.failureType || 'UserError',
  );
}

function evaluateReturnValue(spec: Record<string, unknown>, scope: EvaluationScope): unknown {
  const type = String(spec.type ?? 'String');
  const content = spec.content;
  switch (type) {
    case 'Expression':
      return typeof content === 'string' ? evaluateString(content.startsWith('@') ? content : `@${content}`, scope) : content;
    case 'Null':
      return null;
    case 'Array':
      return Array.isArray(content) ? content.map((c) => (isObject(c) ? evaluateReturnValue(c, scope) : c)) : content;
    case 'Object':
      if (Array.isArray(content)) {
        const o: Record<string, unknown> = {};
        for (const e of content) if (isObject(e) && typeof e.key === 'string') o[e.key] = isObject(e.value) ? evaluateReturnValue(e.value, scope) : e.value;
        return o;
      }
      return content;
    default:
      return evaluateDeep(content, scope);
  }
}

const VARIABLE_TYPES: Record<string, (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  bool: (v) => typeof v === 'boolean',
  boolean: (v) => typeof v === 'boolean',
  array: (v) => Array.isArray(v),
  integer: (v) => typeof v === 'number' && Number.isInteger(v),
};

function checkVariableType(name: string, type: string, value: unknown): void {
  const ok = VARIABLE_TYPES[type.toLowerCase()];
  if (ok && value !== null && !ok(value)) {
    throw new ActivityFailure(
      'InvalidTemplate',
      `The variable '${name}' of type '${type}' cannot be initialized or updated with value of type '${describeType(value)}'. The variable '${name}' only supports values of types '${type}'.`,
    );
  }
}

function coerceParameter(pipeline: string, name: string, type: string, value: unknown): unknown {
  const bad = (expect: string) =>
    new ArmRequestError(400, 'BadRequest', `Parameter '${name}' of pipeline '${pipeline}' is declared ${type}, but createRun passed ${JSON.stringify(value)} (${describeType(value)}). Pass ${expect}.`);
  switch (type.toLowerCase()) {
    case 'string':
    case 'securestring':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      throw bad('a string');
    case 'int':
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value);
      throw bad('an integer');
    case 'float':
      if (typeof value === 'number') return value;
      if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
      throw bad('a number');
    case 'bool':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
      throw bad('true or false');
    case 'array':
    case 'object': {
      let v = value;
      if (typeof v === 'string') {
        try {
          v = JSON.parse(v);
        } catch {
          throw bad(type.toLowerCase() === 'array' ? 'a JSON array' : 'a JSON object');
        }
      }
      if (type.toLowerCase() === 'array' ? Array.isArray(v) : isObject(v)) return v;
      throw bad(type.toLowerCase() === 'array' ? 'a JSON array' : 'a JSON object');
    }
    default:
      return value;
  }
}

/** What a non-emulated activity returns when the user set no mocked output. */
function defaultMockedOutput(type: string): unknown {
  switch (type) {
    case 'Copy':
      return { dataRead: 0, dataWritten: 0, filesRead: 0, filesWritten: 0, rowsRead: 0, rowsCopied: 0, copyDuration: 0, throughput: 0, errors: [], effectiveIntegrationRuntime: 'AutoResolveIntegrationRuntime (Sandbox)', usedDataIntegrationUnits: 4, usedParallelCopies: 1, executionDetails: [] };
    case 'Lookup':
      return { count: 0, value: [], firstRow: {} };
    case 'GetMetadata':
      return { exists: true, childItems: [] };
    default:
      return {};
  }
}
