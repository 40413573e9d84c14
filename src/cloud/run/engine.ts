/**
 * The run engine: one test run of a link, from the payload to the summary, for the CLI and the
 * editor alike (shared/spec/run-stream.md). It plans the run, starts the origin (the pipeline or
 * the state machine), finds the far side by the correlation id, follows both (and the gateway hop
 * between them) incrementally, merges their events into one stream in time order, each once, and
 * ends with a summary that says why when the run did not succeed.
 */
import { setMaxListeners } from 'node:events';
import * as path from 'node:path';
import type { RunEvent, RunStartLine, RunSummaryLine, RunStatus } from '../../core/run/events';
import type { RunHandle, RunRequest } from '../../core/run/request';
import { RunEventMerger } from '../../core/run/merge';
import { planTestRun, TestRunError, type TestRunPlan } from '../../core/run/plan';
import { PayloadError, resolvePayload } from '../../core/run/payload';
import { newCorrelationId, correlationOf } from '../../core/correlation';
import { isProtected } from '../../core/config/model';
import { stateMachineArnParts } from '../../core/config/arn';
import type { TimedEvent } from '../../core/run/adf-events';
import { nodeFileHost } from '../../core/node-host';
import { sleep } from '../../core/sleep';
import { createCloudWatchLogsClient, createDataFactoryClient, createStepFunctionsClient, type AwsTarget } from '../clients';
import { CallAborted } from './budget';
import { ApiCaller, type CallCounts, type RunClients } from './clients';
import { apiErrorFacts, errorReason } from './errors';
import { cloudErrorShape } from '../identity/errors';
import { PipelineRunFollower } from './adf';
import { ExecutionFollower } from './sfn';
import { ExecutionFinder, findPipelineRun } from './discover';
import { AccessLogReader } from './gateway';

export interface PollTiming {
  /** Poll interval while events flow. */
  minMs: number;
  /** Poll interval when idle (grows toward it). */
  maxMs: number;
  /** How long, once the origin is over, the far side may take to appear. */
  farSideGraceMs: number;
  /** First backoff between attempts to start the run (doubles, up to START_ATTEMPTS attempts). */
  startRetryMs: number;
  /** Longest an event waits for a source that is behind before it is printed anyway. */
  maxHoldMs: number;
}

export const SANDBOX_TIMING: PollTiming = { minMs: 100, maxMs: 500, farSideGraceMs: 5_000, maxHoldMs: 5_000, startRetryMs: 200 };
export const CLOUD_TIMING: PollTiming = { minMs: 2_000, maxMs: 10_000, farSideGraceMs: 60_000, maxHoldMs: 30_000, startRetryMs: 200 };
/** Attempts to start a run through transient faults (as many as any other call: ~25 s of backoff). */
const START_ATTEMPTS = 8;

export interface RunDeps {
  /** Clients to use instead of building them from the config (tests, a caller that has them). */
  clients?: RunClients;
  timing?: Partial<PollTiming>;
  /** Receives every API call's count by `api.operation` (tests and the bench). */
  callCounts?: CallCounts;
  /** Called after each poll (bench: calls per poll). */
  onPoll?: (info: { newEvents: number }) => void;
  /** How the clients built from the config sign in (the CLI's environment and MFA prompt). */
  identity?: AwsTarget['identity'];
}

/** Starts a test run of `request.link`; the handle's result resolves with the summary. */
export function startRun(request: RunRequest, deps: RunDeps = {}): RunHandle {
  const correlationId = request.correlationId ?? newCorrelationId();
  const controller = new AbortController();
  // Every SDK call of a long run listens on this signal; Node's default of 10 would warn.
  setMaxListeners(0, controller.signal);
  const stopRequested = { value: false };
  const onAbort = () => controller.abort();
  if (request.signal?.aborted) controller.abort();
  else request.signal?.addEventListener('abort', onAbort, { once: true });
  const run = new Run(request, deps, correlationId, controller, stopRequested);
  const result = run.execute().finally(() => request.signal?.removeEventListener('abort', onAbort));
  return {
    correlationId,
    result,
    stop: async () => {
      stopRequested.value = true;
      await run.cancelInCloud();
    },
  };
}

class Run {
  private readonly timing: PollTiming;
  private readonly merger: RunEventMerger;
  private readonly counts: CallCounts;
  private events = 0;
  private clients: RunClients | undefined;
  private caller: ApiCaller | undefined;
  private plan: TestRunPlan | undefined;
  private startedAt = 0;
  private adf: PipelineRunFollower | undefined;
  private sfn: ExecutionFollower | undefined;
  private finder: ExecutionFinder | undefined;
  private logs: AccessLogReader | undefined;
  /** The origin ended at this time (local clock), for the far side's grace. */
  private originEndedAt: number | undefined;
  private started = false;

  constructor(
    private readonly request: RunRequest,
    private readonly deps: RunDeps,
    private readonly correlationId: string,
    private readonly controller: AbortController,
    private readonly stopRequested: { value: boolean },
  ) {
    this.timing = { ...(request.target === 'sandbox' ? SANDBOX_TIMING : CLOUD_TIMING), ...deps.timing };
    this.merger = new RunEventMerger({ maxHoldMs: this.timing.maxHoldMs });
    this.counts = deps.callCounts ?? new Map();
  }

  private get signal(): AbortSignal {
    return this.controller.signal;
  }

  private notice(message: string): void {
    this.request.observer?.onNotice?.(message);
  }

  private emit(events: RunEvent[]): void {
    for (const e of events) {
      this.events++;
      this.request.observer?.onEvent?.(e);
    }
  }

  private summary(status: RunStatus, reason?: string, stillRunning?: string[]): RunSummaryLine {
    this.emit(this.merger.flush());
    const line: RunSummaryLine = {
      type: 'summary',
      correlationId: this.correlationId,
      status,
      ...(this.adf ? { pipelineRunId: this.adf.rootRunId } : {}),
      ...(this.sfn ? { executionArn: this.sfn.executionArn } : {}),
      events: this.events,
      ...(status !== 'Succeeded' && reason ? { reason } : {}),
      ...(stillRunning?.length ? { stillRunning } : {}),
    };
    this.request.observer?.onSummary?.(line);
    return line;
  }

  async execute(): Promise<RunSummaryLine> {
    const { request } = this;
    const { config, link } = request;
    const startLine: RunStartLine = {
      type: 'run',
      correlationId: this.correlationId,
      link: link.name,
      config: path.relative(process.cwd(), config.path) || config.path,
      ...(link.trigger ? { trigger: link.trigger } : {}),
      ...(link.environment ? { environment: link.environment } : {}),
      target: request.target,
      startedAt: new Date().toISOString(),
    };
    // Decided before any credential is read: a protected environment is not touched unasked.
    if (request.target === 'cloud' && isProtected(config, link) && !request.confirm) {
      request.observer?.onStart?.(startLine);
      return this.summary('Refused', `Link "${link.name}" runs in the protected environment "${link.environment}": confirm the test run (--yes in the CLI) to start it.`);
    }
    let payloadWarning: string | undefined;
    try {
      const payload = await resolvePayload(config, link, request.payload, nodeFileHost);
      startLine.payloadSource = payload.source;
      payloadWarning = payload.warning;
      this.plan = planTestRun(config, link, payload.value, { correlationId: this.correlationId, pipelineParameters: payload.pipelineParameters, testCase: request.target === 'sandbox' ? request.testCase : undefined });
      if (request.testCase && request.target !== 'sandbox') this.notice(`--test-case ${request.testCase} applies to the sandbox only; ignored for the cloud.`);
    } catch (e) {
      request.observer?.onStart?.(startLine);
      if (e instanceof TestRunError || e instanceof PayloadError) return this.summary('Failed', e.message);
      throw e;
    }
    request.observer?.onStart?.(startLine);
    if (payloadWarning) this.notice(payloadWarning);

    try {
      this.clients = this.deps.clients ?? this.createClients();
    } catch (e) {
      return this.summary('Failed', errorReason(e, { cloud: 'aws', operation: 'Creating the SDK clients', config }));
    }
    const endpoint = request.target === 'sandbox' ? (request.sandbox?.stepFunctions ?? 'sandbox') : 'cloud';
    this.caller = new ApiCaller(endpoint, this.signal, this.counts);
    this.startedAt = Date.now();
    try {
      await this.startOrigin();
    } catch (e) {
      if (e instanceof CallAborted || this.signal.aborted) return this.summary('Cancelled', 'Stopped before the run started.');
      const plan = this.plan!;
      const facts = apiErrorFacts(e);
      // Retried to the end: say what kept failing in one sentence (the service's own message may be several).
      if (facts.transient) {
        const what = plan.kind === 'pipeline' ? `pipeline ${plan.pipelineName} (createRun)` : `state machine ${plan.stateMachineArn.replace(/#.*$/, '')} (StartExecution)`;
        return this.summary('Failed', `Could not start ${what}: it kept failing with ${facts.code}${facts.status ? ` (HTTP ${facts.status})` : ''} after ${START_ATTEMPTS} attempts, so try again later.`);
      }
      return this.summary(
        'Failed',
        plan.kind === 'pipeline'
          ? errorReason(e, { cloud: 'azure', operation: 'createRun', resource: `pipeline ${plan.pipelineName}` })
          : errorReason(e, { cloud: 'aws', operation: 'StartExecution', resource: plan.stateMachineArn.replace(/#.*$/, ''), config }),
      );
    }
    this.started = true;
    try {
      return await this.follow();
    } catch (e) {
      if (e instanceof CallAborted || this.signal.aborted) return this.stoppedSummary();
      const azure = /RestError|ARM|DataFactory/i.test(String(cloudErrorShape(e).name)) || cloudErrorShape(e).statusCode !== undefined;
      return this.summary('Failed', `Following the run failed: ${errorReason(e, { cloud: azure ? 'azure' : 'aws', operation: azure ? 'Reading the pipeline run' : 'Reading the execution', config })}`, this.stillRunning());
    }
  }

  private createClients(): RunClients {
    const { config, target, sandbox } = this.request;
    if (target === 'sandbox' && !sandbox) throw new TestRunError('A sandbox run needs the sandbox endpoints.');
    const aws = { region: config.aws?.region ?? stateMachineArnParts(this.request.link.stateMachine?.arn ?? '')?.region ?? 'us-east-1', profile: config.aws?.profile, sandbox, maxAttempts: 1, identity: this.deps.identity };
    const a = config.azure;
    return {
      sfn: createStepFunctionsClient(aws),
      adf: createDataFactoryClient({ subscriptionId: a?.subscriptionId ?? '00000000-0000-0000-0000-000000000000', tenantId: a?.tenantId, cloud: a?.cloud ?? 'AzureCloud', sandbox, maxRetries: 0 }),
      logs: this.request.link.gateway?.accessLogGroup ? createCloudWatchLogsClient(aws) : undefined,
      resourceGroup: a?.resourceGroup ?? '',
      factoryName: a?.factory ?? '',
    };
  }

  private async startOrigin(): Promise<void> {
    const plan = this.plan!;
    const clients = this.clients!;
    const caller = this.caller!;
    if (plan.kind === 'pipeline') {
      let runId: string | undefined;
      // createRun is not idempotent: after a failure that may have reached ADF, look for the run
      // by its correlation id before starting another.
      for (let attempt = 1; !runId; attempt++) {
        try {
          runId = (await caller.call('adf', 'pipelines.createRun', (abortSignal) => clients.adf.pipelines.createRun(plan.factory.resourceGroup, plan.factory.factoryName, plan.pipelineName, { parameters: plan.parameters, abortSignal }), 1)).runId;
        } catch (e) {
          if (!apiErrorFacts(e).transient || attempt >= START_ATTEMPTS || this.signal.aborted) throw e;
          await sleep(Math.min(10_000, this.timing.startRetryMs * 2 ** (attempt - 1)), this.signal);
          runId = await findPipelineRun(this.request.link, this.correlationId, this.startedAt, clients, caller, Date.now());
        }
      }
      this.adf = new PipelineRunFollower(runId, this.correlationId, clients, caller, { includePayloads: this.request.includePayloads });
      return;
    }
    const { StartExecutionCommand } = require('@aws-sdk/client-sfn') as typeof import('@aws-sdk/client-sfn');
    // Idempotent for a named execution with the same input (a retry returns the same execution).
    const out = await caller.call('sfn', 'StartExecution', (abortSignal) =>
      clients.sfn.send(new StartExecutionCommand({ stateMachineArn: plan.stateMachineArn, name: plan.name, input: JSON.stringify(plan.input) }), { abortSignal }),
    );
    this.sfn = new ExecutionFollower(out.executionArn!, this.correlationId, clients, caller, { includePayloads: this.request.includePayloads });
  }

  private get farSide(): 'sfn' | 'adf' | undefined {
    const trigger = this.request.link.trigger;
    if (trigger === 'adf-to-sfn') return 'sfn';
    if (trigger === 'sfn-to-adf') return 'adf';
    return undefined;
  }

  private async follow(): Promise<RunSummaryLine> {
    const deadline = this.startedAt + (this.request.timeoutMs ?? 900_000);
    const clients = this.clients!;
    const caller = this.caller!;
    const link = this.request.link;
    if (this.farSide === 'sfn') this.finder = new ExecutionFinder(link, this.correlationId, this.startedAt, clients, caller);
    const logGroup = link.gateway?.accessLogGroup;
    if (logGroup && clients.logs && link.trigger === 'adf-to-sfn') this.logs = new AccessLogReader(logGroup, this.correlationId, this.startedAt, clients, caller);
    let interval = this.timing.minMs;
    let gatewayGiveUpAt: number | undefined;

    for (;;) {
      if (this.signal.aborted) return this.stoppedSummary();
      const pollStart = Date.now();
      const batch: TimedEvent[] = [];
      // The far side first: anything it did before this poll began is then read in this poll.
      await this.discover(pollStart);
      if (this.adf) batch.push(...(await this.adf.poll(pollStart)));
      if (this.sfn) batch.push(...(await this.sfn.poll()));
      const pendingCalls = this.logs ? [...(this.adf?.webCalls.values() ?? [])].filter((w) => w.requestId && !this.logs!.has(w.requestId)) : [];
      if (this.logs && pendingCalls.length) batch.push(...(await this.readAccessLog(pendingCalls.map((w) => w.requestId!), pollStart)));

      let fresh = 0;
      for (const { event, t } of batch) if (this.merger.add(event, t)) fresh++;
      this.advanceWatermarks(pollStart);
      this.emit(this.merger.release(Date.now()));
      this.deps.onPoll?.({ newEvents: fresh });

      const originOver = this.originOver();
      if (originOver && this.originEndedAt === undefined) this.originEndedAt = Date.now();
      const ended = this.checkEnd();
      if (ended) {
        // The gateway's access log may lag the calls: a short wait for the last entries.
        const waiting = this.logs ? [...(this.adf?.webCalls.values() ?? [])].filter((w) => w.requestId && !this.logs!.has(w.requestId)) : [];
        gatewayGiveUpAt ??= Date.now() + this.timing.farSideGraceMs;
        if (!waiting.length || Date.now() >= gatewayGiveUpAt) {
          if (waiting.length) this.notice(`The gateway access log ${this.logs!.logGroupName} has no entry for request ${waiting.map((w) => w.requestId).join(', ')}: check that access logging of the route's stage writes to it.`);
          return this.summary(ended.status, ended.reason);
        }
      }
      if (Date.now() >= deadline) {
        const seconds = Math.round((this.request.timeoutMs ?? 900_000) / 1000);
        return this.summary('TimedOut', `Stopped following after ${seconds} s (--timeout); the run itself goes on.`, this.stillRunning());
      }
      interval = fresh ? this.timing.minMs : Math.min(this.timing.maxMs, Math.round(interval * 1.5));
      if (ended) interval = this.timing.minMs;
      await sleep(Math.min(interval, Math.max(0, deadline - Date.now())), this.signal);
    }
  }

  /**
   * The gateway hop is extra: an access log that cannot be read (no such group, no permission)
   * is said once and left out; it never ends the run.
   */
  private async readAccessLog(requestIds: string[], pollStart: number): Promise<TimedEvent[]> {
    try {
      return await this.logs!.read(requestIds, pollStart);
    } catch (e) {
      if (e instanceof CallAborted || this.signal.aborted) throw e;
      this.notice(`The gateway access log ${this.logs!.logGroupName} cannot be read, so the gateway hop is left out of this run: ${errorReason(e, { cloud: 'aws', operation: 'FilterLogEvents', resource: this.logs!.logGroupName, config: this.request.config })}`);
      this.logs = undefined;
      this.merger.close('gateway');
      return [];
    }
  }

  private async discover(pollStart: number): Promise<void> {
    const link = this.request.link;
    if (this.farSide === 'sfn' && !this.sfn && this.finder) {
      const web = [...(this.adf?.webCalls.values() ?? [])];
      const hints = web.map((w) => w.executionArn).filter((a): a is string => !!a);
      // Scanning executions' inputs costs more calls: only once a call to the gateway may have happened.
      const scan = web.some((w) => w.over) || this.originOver();
      const arn = await this.finder.find(hints, scan);
      if (arn) {
        this.sfn = new ExecutionFollower(arn, this.correlationId, this.clients!, this.caller!, { includePayloads: this.request.includePayloads });
        this.merger.open('sfn', -Infinity);
      }
    }
    if (this.farSide === 'adf' && !this.adf) {
      const runId = await findPipelineRun(link, this.correlationId, this.startedAt, this.clients!, this.caller!, pollStart);
      if (runId) {
        this.adf = new PipelineRunFollower(runId, this.correlationId, this.clients!, this.caller!, { includePayloads: this.request.includePayloads });
        this.merger.open('adf', -Infinity);
      }
    }
  }

  /** Each side has been read up to the poll's start; a Web activity whose gateway entry is still to come holds the stream at its start. */
  private advanceWatermarks(pollStart: number): void {
    if (this.adf) this.adf.ended ? this.merger.close('adf') : this.merger.advance('adf', pollStart);
    if (this.sfn) this.sfn.ended ? this.merger.close('sfn') : this.merger.advance('sfn', pollStart);
    if (this.logs) {
      let hold = pollStart;
      for (const w of this.adf?.webCalls.values() ?? []) {
        const awaited = !w.over || (!!w.requestId && !this.logs.has(w.requestId));
        if (awaited && Number.isFinite(w.start)) hold = Math.min(hold, w.start - 1);
      }
      this.merger.hold('gateway', hold);
    }
  }

  private originOver(): boolean {
    const plan = this.plan!;
    if (plan.kind === 'pipeline') return !!this.adf?.ended;
    return !!this.sfn?.ended;
  }

  /** The run's end, when it has ended: both sides over, or the origin over and the far side overdue. */
  private checkEnd(): { status: RunStatus; reason?: string } | undefined {
    if (!this.originOver()) return undefined;
    const far = this.farSide;
    const farFollower = far === 'sfn' ? this.sfn : far === 'adf' ? this.adf : undefined;
    if (far && farFollower && !farFollower.ended) return undefined;
    const failure = this.failure();
    if (failure) return failure;
    if (far && !farFollower) {
      if (Date.now() - this.originEndedAt! < this.timing.farSideGraceMs) return undefined;
      return { status: 'Failed', reason: this.neverStartedReason() };
    }
    return { status: 'Succeeded' };
  }

  private failure(): { status: RunStatus; reason: string } | undefined {
    const adf = this.adf;
    const sfn = this.sfn;
    const adfStatus = adf?.root.status;
    const cancelled = adfStatus === 'Cancelled' || sfn?.status === 'ABORTED' || adf?.allRuns().some((r) => r.status === 'Cancelled');
    const adfFailed = adf?.allRuns().some((r) => r.status === 'Failed');
    const sfnFailed = sfn && (sfn.status === 'FAILED' || sfn.status === 'TIMED_OUT');
    if (sfnFailed) {
      const f = sfn.failure;
      const what = f?.state ? `State ${f.state}` : 'The execution';
      const timedOut = sfn.status === 'TIMED_OUT' ? ' timed out' : ' failed';
      return { status: 'Failed', reason: oneSentence(`${what}${timedOut}${f?.error ? `: ${f.error}` : ''}${f?.cause ? ` (${f.cause})` : ''} in execution ${sfn.executionArn}.`) };
    }
    if (adfFailed) {
      const f = adf!.failures[adf!.failures.length - 1];
      const run = adf!.allRuns().find((r) => r.status === 'Failed');
      const reason = f
        ? `Activity ${f.activity}${f.activityType ? ` (${f.activityType})` : ''} of pipeline ${f.pipeline ?? run?.pipelineName ?? '?'} failed${f.code ? `: ${f.code}` : ''}${f.message ? `: ${f.message}` : ''}.`
        : `Pipeline run ${run?.runId} of ${run?.pipelineName ?? '?'} failed${adf!.root.message ? `: ${adf!.root.message}` : ''}.`;
      return { status: 'Failed', reason: oneSentence(reason) };
    }
    if (cancelled) {
      const what = sfn?.status === 'ABORTED' ? `Execution ${sfn.executionArn} was aborted` : `Pipeline run ${adf?.rootRunId} was cancelled`;
      return { status: 'Cancelled', reason: `${what}${this.stopRequested.value ? ' (stopped from here)' : ''}.` };
    }
    return undefined;
  }

  private neverStartedReason(): string {
    const link = this.request.link;
    const c = correlationOf(link);
    const grace = Math.round(this.timing.farSideGraceMs / 1000);
    if (this.farSide === 'sfn') {
      const machine = stateMachineArnParts(link.stateMachine?.arn ?? '')?.name ?? link.stateMachine?.arn ?? '?';
      return `Pipeline ${link.adf?.pipeline ?? '?'} succeeded, but no execution of state machine ${machine} with correlation id ${this.correlationId} started within ${grace} s of its end: check that activity ${link.adf?.activity ?? '(the Web activity)'} calls gateway.url, that the route starts ${machine}, and that the request body carries the id at ${c.sfnInputPath}.`;
    }
    return `The execution succeeded, but no run of pipeline ${link.adf?.pipeline ?? '?'} with parameter ${c.adfParameter} = ${this.correlationId} started within ${grace} s of its end: check that the state machine's HTTP task calls createRun of ${link.adf?.pipeline ?? 'the pipeline'} and passes the id as parameter ${c.adfParameter}.`;
  }

  private stillRunning(): string[] {
    const out: string[] = [...(this.adf?.stillRunning() ?? [])];
    if (this.sfn && !this.sfn.ended) out.push(`execution ${this.sfn.executionArn}`);
    return out;
  }

  private stoppedSummary(): RunSummaryLine {
    const still = this.stillRunning();
    const reason = this.stopRequested.value
      ? `Stopped: the run was cancelled${still.length ? `; still stopping: ${still.join(', ')}` : ''}.`
      : `Stopped following${still.length ? `; these keep going: ${still.join(', ')}` : ''}.`;
    return this.summary('Cancelled', reason, still);
  }

  /** stop(): cancel the pipeline run(s) and stop the execution in their cloud, then stop following. */
  async cancelInCloud(): Promise<void> {
    if (!this.started || !this.clients) return;
    const clients = this.clients;
    const tasks: Promise<unknown>[] = [];
    if (this.adf && !this.adf.ended) tasks.push(clients.adf.pipelineRuns.cancel(clients.resourceGroup, clients.factoryName, this.adf.rootRunId, { isRecursive: true }));
    if (this.sfn && !this.sfn.ended) {
      const { StopExecutionCommand } = require('@aws-sdk/client-sfn') as typeof import('@aws-sdk/client-sfn');
      tasks.push(clients.sfn.send(new StopExecutionCommand({ executionArn: this.sfn.executionArn, error: 'Bridge.Stopped', cause: 'Stopped from bridge.' })));
    }
    const results = await Promise.allSettled(tasks);
    for (const r of results) if (r.status === 'rejected') this.notice(`Stopping the run in its cloud failed: ${errorReason(r.reason, { cloud: 'aws', operation: 'Stop' })}`);
    // The cancellation shows in the stream: follow a little longer, then stop.
    setTimeout(() => this.controller.abort(), 3_000).unref?.();
  }
}

function oneSentence(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 500 ? `${flat.slice(0, 499)}…` : flat;
}
