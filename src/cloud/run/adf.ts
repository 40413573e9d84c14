/**
 * Following ADF pipeline runs: the run's status, its activity runs paged with continuationToken
 * (incrementally, by lastUpdated, with one complete read once the run is over), and the runs of
 * child pipelines an ExecutePipeline activity starts, each under its own run id.
 */
import type { ActivityRun, PipelineRun } from '@azure/arm-datafactory';
import { activityRunEvents, childPipelineRunId, epochMs, gatewayRequestId, isFinalActivityStatus, isFinalPipelineStatus, pipelineRunEvents, type TimedEvent } from '../../core/run/adf-events';
import type { ApiCaller, RunClients } from './clients';

/** ADF keeps run data searchable by lastUpdated; queries overlap the last one by this much. */
const OVERLAP_MS = 60_000;
/** Pages of one query before a poll moves on (the rest comes next poll): bounds one poll's cost. */
const MAX_PAGES = 50;

interface FollowedRun {
  runId: string;
  status?: string;
  pipelineName?: string;
  runStart?: number;
  /** Activity runs were read up to (lastUpdated) this time. */
  readUpTo?: number;
  /** The complete read after the run ended is done: nothing more to come. */
  done: boolean;
  parentActivityRunId?: string;
  message?: string;
}

export interface ActivityFailure {
  activity: string;
  activityType?: string;
  pipeline?: string;
  code?: string;
  message?: string;
}

export class PipelineRunFollower {
  private readonly runs = new Map<string, FollowedRun>();
  /** ExecutePipeline activity runs whose child run is not known yet. */
  private readonly pendingChildren = new Map<string, { pipelineRunId: string; pipeline?: string; since: number }>();
  /** Web activity runs: their start, and the gateway request id once their output has it. */
  readonly webCalls = new Map<string, { start: number; requestId?: string; executionArn?: string; over: boolean }>();
  readonly failures: ActivityFailure[] = [];
  private readonly activityStatus = new Map<string, string>();

  constructor(
    readonly rootRunId: string,
    private readonly correlationId: string,
    private readonly clients: RunClients,
    private readonly caller: ApiCaller,
    private readonly options: { includePayloads?: boolean; now?: () => number } = {},
  ) {
    this.runs.set(rootRunId, { runId: rootRunId, done: false });
  }

  get root(): { status?: string; pipelineName?: string; message?: string } {
    return this.runs.get(this.rootRunId)!;
  }

  /** Every run followed (root and children) is over and read to the end. */
  get ended(): boolean {
    for (const r of this.runs.values()) if (!r.done) return false;
    return this.pendingChildren.size === 0;
  }

  /** Runs still going: `pipeline run <id> (<pipeline>)`. */
  stillRunning(): string[] {
    return [...this.runs.values()].filter((r) => !isFinalPipelineStatus(r.status)).map((r) => `pipeline run ${r.runId}${r.pipelineName ? ` (${r.pipelineName})` : ''}`);
  }

  allRuns(): { runId: string; status?: string; pipelineName?: string }[] {
    return [...this.runs.values()];
  }

  /**
   * Reads every followed run once; returns the new events (the merge drops repeats). A child run
   * found during the poll is read in the same poll, so its events are not late.
   */
  async poll(pollStart: number): Promise<TimedEvent[]> {
    const out: TimedEvent[] = [];
    const read = new Set<string>();
    for (let round = 0; round < 8; round++) {
      const unread = [...this.runs.values()].filter((r) => !r.done && !read.has(r.runId));
      for (const run of unread) {
        read.add(run.runId);
        await this.readRun(run, pollStart, out);
      }
      if (this.pendingChildren.size) await this.findChildren(pollStart, out);
      if (![...this.runs.values()].some((r) => !r.done && !read.has(r.runId))) break;
    }
    return out;
  }

  private async readRun(run: FollowedRun, pollStart: number, out: TimedEvent[]): Promise<void> {
    const pr = await this.caller.call('adf', 'pipelineRuns.get', (abortSignal) => this.clients.adf.pipelineRuns.get(this.clients.resourceGroup, this.clients.factoryName, run.runId, { abortSignal }));
    run.status = pr.status;
    run.pipelineName = pr.pipelineName;
    run.message = pr.message;
    run.runStart = epochMs(pr.runStart ?? pr.lastUpdated);
    // The run's start before its activities, its end after them (same-millisecond ties).
    const [start, end] = pipelineRunEvents(pr, this.correlationId, this.options);
    if (start) out.push(start);
    const final = isFinalPipelineStatus(pr.status);
    // Once the run is over, one complete read: whatever an incremental read missed comes now.
    const after = final || run.readUpTo === undefined ? (Number.isFinite(run.runStart) ? run.runStart! : pollStart) - OVERLAP_MS : run.readUpTo - OVERLAP_MS;
    const complete = await this.readActivities(run, after, pollStart, out);
    if (end) out.push(end);
    if (complete) run.readUpTo = pollStart;
    if (final && complete) run.done = true;
  }

  private async readActivities(run: FollowedRun, after: number, pollStart: number, out: TimedEvent[]): Promise<boolean> {
    let continuationToken: string | undefined;
    const window = { lastUpdatedAfter: new Date(after), lastUpdatedBefore: new Date(pollStart + OVERLAP_MS) };
    for (let page = 0; page < MAX_PAGES; page++) {
      const result = await this.caller.call('adf', 'activityRuns.queryByPipelineRun', (abortSignal) =>
        this.clients.adf.activityRuns.queryByPipelineRun(this.clients.resourceGroup, this.clients.factoryName, run.runId, { ...window, continuationToken }, { abortSignal }),
      );
      for (const a of result.value ?? []) this.onActivity(run, a, out);
      continuationToken = result.continuationToken;
      if (!continuationToken) return true;
    }
    return false;
  }

  private onActivity(run: FollowedRun, a: ActivityRun, out: TimedEvent[]): void {
    const id = a.activityRunId;
    if (!id) return;
    const previous = this.activityStatus.get(id);
    if (previous !== undefined && isFinalActivityStatus(previous)) return;
    this.activityStatus.set(id, a.status ?? 'InProgress');
    out.push(...activityRunEvents({ ...a, pipelineName: a.pipelineName ?? run.pipelineName }, this.correlationId, this.options));
    if (a.status === 'Failed') {
      const err = a.error as { errorCode?: string; message?: string } | undefined;
      this.failures.push({ activity: a.activityName ?? '?', activityType: a.activityType, pipeline: a.pipelineName ?? run.pipelineName, code: err?.errorCode || undefined, message: err?.message || undefined });
    }
    if (a.activityType === 'ExecutePipeline') {
      const child = childPipelineRunId(a);
      if (child) {
        this.pendingChildren.delete(id);
        this.addRun(child, id);
      } else if (!isFinalActivityStatus(a.status) || a.status === 'Succeeded') {
        const pipeline = ((a.input as { pipeline?: { referenceName?: string } } | undefined)?.pipeline?.referenceName);
        if (!this.pendingChildren.has(id)) this.pendingChildren.set(id, { pipelineRunId: run.runId, pipeline, since: epochMs(a.activityRunStart) });
      } else {
        this.pendingChildren.delete(id);
      }
    }
    if (a.activityType === 'WebActivity') {
      const output = a.output as { executionArn?: unknown } | undefined;
      this.webCalls.set(id, {
        start: epochMs(a.activityRunStart),
        requestId: gatewayRequestId(a),
        executionArn: typeof output?.executionArn === 'string' ? output.executionArn : undefined,
        over: isFinalActivityStatus(a.status),
      });
    }
  }

  private addRun(runId: string, parentActivityRunId?: string): void {
    if (!this.runs.has(runId)) this.runs.set(runId, { runId, done: false, parentActivityRunId });
  }

  /** Child runs not named by their ExecutePipeline activity yet: by pipeline and invokedBy, paged. */
  private async findChildren(pollStart: number, out: TimedEvent[]): Promise<void> {
    for (const [activityRunId, pending] of [...this.pendingChildren]) {
      const filters = pending.pipeline ? [{ operand: 'PipelineName', operator: 'Equals', values: [pending.pipeline] }] : [];
      let continuationToken: string | undefined;
      let found: PipelineRun | undefined;
      for (let page = 0; page < MAX_PAGES && !found; page++) {
        const result = await this.caller.call('adf', 'pipelineRuns.queryByFactory', (abortSignal) =>
          this.clients.adf.pipelineRuns.queryByFactory(
            this.clients.resourceGroup,
            this.clients.factoryName,
            { lastUpdatedAfter: new Date((Number.isFinite(pending.since) ? pending.since : pollStart) - OVERLAP_MS), lastUpdatedBefore: new Date(pollStart + OVERLAP_MS), filters, continuationToken },
            { abortSignal },
          ),
        );
        found = (result.value ?? []).find((r) => r.invokedBy?.id === activityRunId || (r.invokedBy?.pipelineRunId === pending.pipelineRunId && r.invokedBy?.name === undefined));
        continuationToken = result.continuationToken;
        if (!continuationToken) break;
      }
      if (found?.runId) {
        this.pendingChildren.delete(activityRunId);
        this.addRun(found.runId, activityRunId);
        out.push(...pipelineRunEvents(found, this.correlationId, this.options));
      } else if (isFinalActivityStatus(this.activityStatus.get(activityRunId))) {
        // Over, and its child is nowhere: nothing more to wait for.
        this.pendingChildren.delete(activityRunId);
      }
    }
  }
}
