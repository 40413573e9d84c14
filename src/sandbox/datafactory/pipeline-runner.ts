/**
 * Runs ADF pipeline JSON for real: the run lifecycle (createRun, recovery reruns, cancel), one
 * activity attempt at a time (policy retries and timeouts, ARM activity-run records, mocks) and the
 * events the sandbox shows. The dependency scheduler is scheduler.ts; what each activity type does
 * is a handler in activities/ (the table in activities/index.ts); ARM shapes are arm-projection.ts;
 * parameter binding is parameters.ts. One FactoryEngine per emulated factory.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { activityHandler, notEmulatedActivity } from './activities/index';
import { ArmRequestError } from './arm-error';
import { activityRunsOf, emptyError, toArmRun } from './arm-projection';
import { evaluateDeep, ExpressionFailure, type EvaluationScope } from './expressions';
import { bindParameters } from './parameters';
import { isFileOfPipeline } from '../../core/adf/repo';
import { loadRepo, mergeMocks, type ActivityJson, type LoadedRepo, type MockedActivityResult } from './repo';
import {
  ActivityFailure,
  CancelledError,
  type ActivityHost,
  type ActivityRecord,
  type ActivityResult,
  type ChildRunContext,
  type CreateRunRequest,
  type EngineSettings,
  type ExecContext,
  type PendingCallback,
  type PipelineRunState,
  ResultScope,
  type RunContext,
  type ScopeOutcome,
} from './run-context';
import { runActivities, validateActivities } from './scheduler';
import { adfTimestamp, parseTimeSpan } from './timespan';
import type { ActivityRunStatus, ArmActivityError, ArmActivityRun, ArmInvokedBy, ArmPipelineRun, FactoryDefinition } from './types';
import { MAX_JSON_DEPTH, ownValue, tooDeepMessage, valueDepth } from '../http-input';

export { ArmRequestError };
export type { CreateRunRequest, PipelineRunState };

export class FactoryEngine implements ActivityHost {
  readonly runs = new Map<string, PipelineRunState>();
  readonly callbacks = new Map<string, PendingCallback>();
  /** Repo problems already reported, so a broken file is announced once, not on every request. */
  private readonly reportedProblems = new Set<string>();

  constructor(readonly settings: EngineSettings) {}

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

  nowMs(): number {
    return this.settings.clock.now().getTime();
  }

  /** Sleeps `ms` of pipeline time (scaled by waitScale), stopping early when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void> {
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

  async createRun(request: CreateRunRequest, child?: ChildRunContext): Promise<PipelineRunState> {
    // Checked before anything is stored: a run whose parameters cannot be serialized would break
    // every later queryPipelineRuns.
    if (valueDepth(request.parameters) > MAX_JSON_DEPTH) throw new ArmRequestError(400, 'BadRequest', tooDeepMessage(`The parameters of pipeline '${request.pipelineName}'`));
    const repo = await this.repo();
    const pipeline = repo.pipelines.get(request.pipelineName);
    if (!pipeline) {
      const problem = repo.problems.find((p) => isFileOfPipeline(p.file, request.pipelineName));
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
    const parameters = bindParameters(pipeline, { ...(reference?.parameters ?? {}), ...request.parameters });
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

  /** Runs nested activities with ADF's dependency rules (scheduler.ts), each through runActivity. */
  runActivities(activities: ActivityJson[], scope: ResultScope, ctx: RunContext, seeds?: Map<string, ActivityResult>): Promise<ScopeOutcome> {
    return runActivities(activities, scope, ctx, (a, s, c) => this.runActivity(a, s, c), seeds);
  }

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
    const maxRetries = activityHandler(activity.type)?.control ? 0 : Math.max(0, Number(activity.policy?.retry ?? 0) || 0);
    const retryIntervalMs = (Number(activity.policy?.retryIntervalInSeconds ?? 30) || 30) * 1000;
    // One signal per activity, following the run's: the waits of this activity (retry intervals,
    // Wait, WebHook, child runs) listen on it, not on the run's own signal. AbortSignal.any links
    // them without an 'abort' listener on the run signal, so a ForEach of 160 iterations (40 at a
    // time) does not pile 40 listeners on one signal (Node's MaxListenersExceededWarning).
    const activitySignal = AbortSignal.any([run.controller.signal]);
    for (let attempt = 0; ; attempt++) {
      const result = await this.runAttempt(activity, scope, ctx, attempt > 0 ? attempt : null, activitySignal);
      if (result.status !== 'Failed' || attempt >= maxRetries || activitySignal.aborted) return result;
      try {
        await this.sleep(retryIntervalMs, activitySignal);
      } catch {
        return result;
      }
    }
  }

  private async runAttempt(activity: ActivityJson, scope: ResultScope, ctx: RunContext, retryAttempt: number | null, signal: AbortSignal): Promise<ActivityResult> {
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
    const timeoutMs = parseTimeSpan(activity.policy?.timeout) ?? 12 * 3_600_000;
    // policy.timeout guards real work (HTTP calls, child runs), so it is not scaled by waitScale.
    const realTimeout = Math.min(timeoutMs, 2_147_483_647);
    const timeout = new AbortController();
    const attemptSignal = AbortSignal.any([signal, timeout.signal]);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      timeout.abort();
    }, realTimeout);
    let status: ActivityRunStatus;
    let output: unknown = {};
    let error: ArmActivityError = emptyError(activity.name);
    try {
      const exec: ExecContext = {
        ...ctx,
        scope,
        record,
        signal: attemptSignal,
        evalScope: this.evaluationScope(run, scope, ctx.repo.globalParameters),
        host: this,
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
    }
    const end = this.nowMs();
    Object.assign(record.arm, { status, output, error, activityRunEnd: adfTimestamp(end), durationInMs: end - start });
    record.lastUpdatedMs = end;
    this.emitActivity(run, record);
    return { name: activity.name, status, output, error: status === 'Failed' ? error : undefined, activityRunId: record.arm.activityRunId };
  }

  evaluationScope(run: PipelineRunState, scope: ResultScope, globalParameters: Record<string, unknown>): EvaluationScope {
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

  /** The activity's handler (activities/index.ts), unless a *.sandbox.json mock answers a non-control type. */
  private async dispatch(activity: ActivityJson, exec: ExecContext): Promise<unknown> {
    const tp = activity.typeProperties ?? {};
    const handler = activityHandler(activity.type);
    const mock = this.mockFor(activity, exec);
    if (mock && !handler?.control) {
      exec.record.arm.input = evaluateDeep(tp, exec.evalScope);
      return this.applyMock(mock, activity);
    }
    return handler ? handler.run(activity, tp, exec) : notEmulatedActivity(activity, tp, exec);
  }

  private mockFor(activity: ActivityJson, exec: ExecContext): MockedActivityResult | undefined {
    // Names come from the pipeline JSON: own entries only, so an activity called "constructor" is not mocked by Object.
    const ofPipeline = ownValue(exec.mocks.pipelines, exec.run.pipeline.name);
    return ownValue(ofPipeline?.activities, activity.name) ?? ownValue(exec.mocks.activityTypes, activity.type);
  }

  private applyMock(mock: MockedActivityResult, activity: ActivityJson): unknown {
    if (mock.status === 'Failed') {
      throw new ActivityFailure(mock.error?.errorCode ?? 'MockedFailure', mock.error?.message ?? `Activity '${activity.name}' failed (mocked in *.sandbox.json).`, mock.error?.failureType ?? 'UserError', mock.output);
    }
    return mock.output ?? {};
  }

  private emitRun(run: PipelineRunState): void {
    this.settings.hooks.onEvent?.({ type: 'pipelineRun', factory: this.factory, run: this.toArmRun(run), parentRunId: run.parentRunId });
  }

  private emitActivity(run: PipelineRunState, record: ActivityRecord): void {
    run.lastUpdatedMs = Math.max(run.lastUpdatedMs, record.lastUpdatedMs);
    this.settings.hooks.onEvent?.({ type: 'activityRun', factory: this.factory, activityRun: structuredClone(record.arm) });
  }

  toArmRun(run: PipelineRunState): ArmPipelineRun {
    return toArmRun(run);
  }

  activityRunsOf(run: PipelineRunState): { arm: ArmActivityRun; lastUpdatedMs: number; startMs: number }[] {
    return activityRunsOf(run);
  }
}
