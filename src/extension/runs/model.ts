import type { RunEvent, RunLine, RunStartLine, RunStatus, RunSummaryLine, RunTarget } from '../../core/run/events';
import type { PayloadChoice, RunHandle } from '../../core/run/request';
import { Signal } from '../signal';
import { executionLabel } from '../../core/config/arn';

/**
 * The test runs of this session as plain data, newest first: what the Runs view, the recent runs
 * under a link, the run commands and the log read. Each run keeps its steps (pipeline runs,
 * activities, executions, states) built from the run stream's span marks, so the tree can show
 * them with their status and duration while events still arrive. No VS Code here.
 */

/** What a rerun needs: the same link and payload (a fresh correlation id is the engine's). */
export interface RunOrigin {
  configPath: string;
  link: string;
  payload: PayloadChoice;
  target: RunTarget;
}

export type StepStatus = 'Running' | 'Succeeded' | 'Failed' | 'Cancelled' | 'Skipped' | 'TimedOut' | 'Aborted' | string;

export interface RunStep {
  key: string;
  of: 'pipeline' | 'activity' | 'execution' | 'state' | 'request';
  source: RunEvent['source'];
  name: string;
  status: StepStatus;
  /** ISO times in the step's cloud. */
  start?: string;
  end?: string;
  parent?: string;
  children: string[];
  error?: { code?: string; message?: string };
  detail?: string;
}

export interface RunRecord {
  correlationId: string;
  link: string;
  configPath: string;
  target: RunTarget;
  environment?: string;
  trigger?: string;
  startedAt: string;
  origin: RunOrigin;
  status: 'Running' | RunStatus;
  summary?: RunSummaryLine;
  events: number;
  pipelineRunIds: string[];
  executionArns: string[];
  steps: Map<string, RunStep>;
  /** Top-level steps in the order they began. */
  roots: string[];
  /** The run's log lines as the "Bridge Runs" channel shows them. */
  lines: string[];
  /** The run stream itself (start, events, summary): what the timeline draws. */
  stream: RunLine[];
  handle?: RunHandle;
}

/** The scheme of a run's own log document (that run's lines of the "Bridge Runs" channel). */
export const RUN_LOG_SCHEME = 'bridge-run';

/** How many finished runs are kept (the log channel keeps their lines). */
const KEEP_RUNS = 50;

export class RunsModel {
  /** Fired with the run that changed, or undefined when the list itself changed. */
  readonly onDidChange = new Signal<RunRecord | undefined>();
  private readonly runs: RunRecord[] = [];

  /** Newest first. */
  list(): readonly RunRecord[] {
    return this.runs;
  }

  get(correlationId: string): RunRecord | undefined {
    return this.runs.find((r) => r.correlationId === correlationId);
  }

  /** Runs of one link, newest first. */
  ofLink(configPath: string, link: string): RunRecord[] {
    return this.runs.filter((r) => r.configPath === configPath && r.link === link);
  }

  running(): RunRecord[] {
    return this.runs.filter((r) => r.status === 'Running');
  }

  start(line: RunStartLine, origin: RunOrigin): RunRecord {
    const record: RunRecord = {
      correlationId: line.correlationId,
      link: line.link,
      configPath: origin.configPath,
      target: line.target,
      environment: line.environment,
      trigger: line.trigger,
      startedAt: line.startedAt,
      origin,
      status: 'Running',
      events: 0,
      pipelineRunIds: [],
      executionArns: [],
      steps: new Map(),
      roots: [],
      lines: [],
      stream: [line],
    };
    this.runs.unshift(record);
    // Forget the oldest finished runs; running ones are never dropped.
    for (let i = this.runs.length - 1; i >= 0 && this.runs.length > KEEP_RUNS; i--) if (this.runs[i].status !== 'Running') this.runs.splice(i, 1);
    this.onDidChange.fire(undefined);
    return record;
  }

  /** The engine's own start line for a run recorded before it arrived. */
  describe(record: RunRecord, line: RunStartLine): void {
    record.environment = line.environment;
    record.trigger = line.trigger;
    record.startedAt = line.startedAt;
    this.onDidChange.fire(record);
  }

  event(record: RunRecord, event: RunEvent): void {
    record.events++;
    record.stream.push(event);
    if (event.pipelineRunId && !record.pipelineRunIds.includes(event.pipelineRunId)) record.pipelineRunIds.push(event.pipelineRunId);
    if (event.executionArn && !record.executionArns.includes(event.executionArn)) record.executionArns.push(event.executionArn);
    applyStep(record, event);
    this.onDidChange.fire(record);
  }

  line(record: RunRecord, text: string): void {
    record.lines.push(text);
  }

  summary(record: RunRecord, summary: RunSummaryLine): void {
    if (!record.summary) record.stream.push(summary);
    record.summary = summary;
    record.status = summary.status;
    record.handle = undefined;
    if (summary.pipelineRunId && !record.pipelineRunIds.includes(summary.pipelineRunId)) record.pipelineRunIds.push(summary.pipelineRunId);
    if (summary.executionArn && !record.executionArns.includes(summary.executionArn)) record.executionArns.push(summary.executionArn);
    // A cancelled run's open steps were cancelled with it (a timed-out one's may still be running).
    if (summary.status === 'Cancelled') for (const step of record.steps.values()) if (step.status === 'Running') step.status = 'Cancelled';
    this.onDidChange.fire(record);
  }

  clear(): void {
    for (let i = this.runs.length - 1; i >= 0; i--) if (this.runs[i].status !== 'Running') this.runs.splice(i, 1);
    this.onDidChange.fire(undefined);
  }

  /** The status one side of the run's last report reached: what the Links view shows on an end. */
  static sideStatus(record: RunRecord, source: 'adf' | 'sfn' | 'gateway'): string | undefined {
    const of = source === 'adf' ? 'pipeline' : source === 'sfn' ? 'execution' : 'request';
    let status: string | undefined;
    for (const key of record.roots) {
      const step = record.steps.get(key)!;
      if (step.of === of) status = step.status;
    }
    return status;
  }
}

/** Span marks make the steps; events without one (older engines, gateway requests) are placed by their ids. */
function applyStep(record: RunRecord, event: RunEvent): void {
  const mark = event.span ?? inferredSpan(event);
  if (!mark) return;
  let step = record.steps.get(mark.key);
  if (!step) {
    step = {
      key: mark.key,
      of: mark.of,
      source: event.source,
      name: event.name ?? event.pipelineName ?? event.route ?? shortArn(event.executionArn) ?? mark.of,
      status: 'Running',
      children: [],
      parent: mark.parent ?? implicitParent(record, event, mark.of),
    };
    record.steps.set(mark.key, step);
    const parent = step.parent ? record.steps.get(step.parent) : undefined;
    if (parent) parent.children.push(step.key);
    else record.roots.push(step.key);
  }
  if (mark.phase === 'start') {
    step.start ??= event.time;
    step.status = 'Running';
  } else {
    step.start ??= mark.start ?? event.time;
    step.end = event.time;
    step.status = mark.outcome ?? (typeof event.status === 'string' ? event.status : 'Succeeded');
  }
  if (event.error) step.error = event.error;
  if (event.source === 'gateway' && event.status !== undefined) step.detail = `HTTP ${event.status}${event.latencyMs !== undefined ? `, ${event.latencyMs} ms` : ''}`;
}

/** The span an event opens or closes when the engine did not mark it. */
function inferredSpan(event: RunEvent): RunEvent['span'] | undefined {
  if (event.source === 'adf') {
    if (event.kind === 'pipeline' && event.pipelineRunId) {
      const over = event.status !== undefined && event.status !== 'InProgress' && event.status !== 'Queued';
      return { key: `adf:${event.pipelineRunId}`, of: 'pipeline', phase: over ? 'end' : 'start', outcome: over ? String(event.status) : undefined };
    }
    if (event.kind === 'activity' && event.activityRunId) {
      const over = event.status !== undefined && event.status !== 'InProgress';
      return { key: `adf:${event.activityRunId}`, of: 'activity', phase: over ? 'end' : 'start', outcome: over ? String(event.status) : undefined, parent: event.pipelineRunId ? `adf:${event.pipelineRunId}` : undefined };
    }
    return undefined;
  }
  if (event.source === 'sfn' && event.executionArn) {
    const exec = `sfn:${event.executionArn}`;
    if (event.kind === 'ExecutionStarted') return { key: exec, of: 'execution', phase: 'start' };
    const ended = /^Execution(Succeeded|Failed|Aborted|TimedOut)$/.exec(event.kind);
    if (ended) return { key: exec, of: 'execution', phase: 'end', outcome: ended[1] };
    const entered = /StateEntered$/.test(event.kind);
    const exited = /StateExited$/.test(event.kind);
    if ((entered || exited) && event.name) {
      return { key: `${exec}#${event.name}`, of: 'state', phase: entered ? 'start' : 'end', outcome: exited ? 'Succeeded' : undefined, parent: exec };
    }
    return undefined;
  }
  if (event.source === 'gateway') {
    return { key: `gateway:${event.requestId ?? event.id}`, of: 'request', phase: 'instant', start: event.time, outcome: typeof event.status === 'number' && event.status >= 400 ? 'Failed' : 'Succeeded' };
  }
  return undefined;
}

/** An activity belongs to its pipeline run, a state to its execution, when the mark names no parent. */
function implicitParent(record: RunRecord, event: RunEvent, of: RunStep['of']): string | undefined {
  const candidates =
    of === 'activity' && event.pipelineRunId
      ? [`adf:${event.pipelineRunId}`]
      : of === 'state' && event.executionArn
        ? [`sfn:${event.executionArn}`]
        : [];
  for (const key of candidates) if (record.steps.has(key)) return key;
  // The engine's own keys: the pipeline or execution step with that id.
  for (const step of record.steps.values()) {
    if (of === 'activity' && step.of === 'pipeline' && event.pipelineRunId && step.key.includes(event.pipelineRunId)) return step.key;
    if (of === 'state' && step.of === 'execution' && event.executionArn && step.key.includes(event.executionArn)) return step.key;
  }
  return undefined;
}

function shortArn(arn: string | undefined): string | undefined {
  return arn ? executionLabel(arn) : undefined;
}

/** "1.2 s", "340 ms", "2 min 5 s": the length of a step, from its cloud's own times. */
export function formatDuration(start: string | undefined, end: string | undefined): string | undefined {
  if (!start || !end) return undefined;
  const ms = Date.parse(end) - Date.parse(start);
  if (!Number.isFinite(ms) || ms < 0) return undefined;
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
