/**
 * ADF pipeline and activity runs (as the management API returns them) as run-stream events. Plain
 * shapes, no SDK: the SDK's PipelineRun and ActivityRun fit them.
 */
import type { RunEvent } from './events';

export interface PipelineRunLike {
  runId?: string;
  pipelineName?: string;
  status?: string;
  runStart?: Date | string;
  runEnd?: Date | string;
  lastUpdated?: Date | string;
  message?: string;
  parameters?: Record<string, unknown>;
  invokedBy?: { id?: string; name?: string; invokedByType?: string; pipelineName?: string; pipelineRunId?: string };
}

export interface ActivityRunLike {
  activityRunId?: string;
  activityName?: string;
  activityType?: string;
  pipelineRunId?: string;
  pipelineName?: string;
  status?: string;
  activityRunStart?: Date | string;
  activityRunEnd?: Date | string;
  error?: unknown;
  input?: unknown;
  output?: unknown;
}

export interface TimedEvent {
  event: RunEvent;
  /** The event's time in epoch ms (what the merge orders by). */
  t: number;
}

const FINAL_PIPELINE = new Set(['Succeeded', 'Failed', 'Cancelled']);
const FINAL_ACTIVITY = new Set(['Succeeded', 'Failed', 'Cancelled', 'Skipped', 'TimedOut']);

export function isFinalPipelineStatus(status: string | undefined): boolean {
  return !!status && FINAL_PIPELINE.has(status);
}

export function isFinalActivityStatus(status: string | undefined): boolean {
  return !!status && FINAL_ACTIVITY.has(status);
}

/** Epoch ms of an SDK or wire timestamp (a Date keeps milliseconds; its string would not). */
export function epochMs(value: Date | string | number | undefined): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value;
  return value ? Date.parse(value) : NaN;
}

export const pipelineSpanKey = (runId: string) => `adf:pipeline:${runId}`;
export const activitySpanKey = (activityRunId: string) => `adf:activity:${activityRunId}`;

/** The pipeline run's start (InProgress, at runStart) and, once over, its end (its final status). */
export function pipelineRunEvents(run: PipelineRunLike, correlationId: string, options: { includePayloads?: boolean } = {}): TimedEvent[] {
  const runId = run.runId;
  if (!runId) return [];
  const out: TimedEvent[] = [];
  const key = pipelineSpanKey(runId);
  const parent = run.invokedBy?.invokedByType === 'PipelineActivity' && run.invokedBy.id ? activitySpanKey(run.invokedBy.id) : undefined;
  const start = epochMs(run.runStart ?? run.lastUpdated);
  const base = {
    type: 'event' as const,
    correlationId,
    source: 'adf' as const,
    kind: 'pipeline',
    name: run.pipelineName,
    pipelineRunId: runId,
    pipelineName: run.pipelineName,
    ...(parent ? { parentPipelineRunId: run.invokedBy!.pipelineRunId } : {}),
  };
  if (Number.isFinite(start)) {
    out.push({
      t: start,
      event: { ...base, id: `${runId}:start`, time: new Date(start).toISOString(), status: 'InProgress', span: { key, phase: 'start', of: 'pipeline', ...(parent ? { parent } : {}) }, ...(options.includePayloads && run.parameters ? { detail: { parameters: run.parameters } } : {}) },
    });
  }
  if (isFinalPipelineStatus(run.status)) {
    const end = epochMs(run.runEnd ?? run.lastUpdated);
    const t = Number.isFinite(end) ? end : start;
    out.push({
      t,
      event: {
        ...base,
        id: `${runId}:end`,
        time: new Date(t).toISOString(),
        status: run.status,
        span: { key, phase: 'end', of: 'pipeline', start: Number.isFinite(start) ? new Date(start).toISOString() : undefined, outcome: run.status, ...(parent ? { parent } : {}) },
        ...(run.status === 'Failed' && run.message ? { error: { message: run.message } } : {}),
      },
    });
  }
  return out;
}

/** An activity run's start (InProgress) and, once over, its end with its final status. */
export function activityRunEvents(run: ActivityRunLike, correlationId: string, options: { includePayloads?: boolean } = {}): TimedEvent[] {
  const id = run.activityRunId;
  if (!id || !run.pipelineRunId) return [];
  const out: TimedEvent[] = [];
  const key = activitySpanKey(id);
  const parent = pipelineSpanKey(run.pipelineRunId);
  const start = epochMs(run.activityRunStart);
  const base = {
    type: 'event' as const,
    correlationId,
    source: 'adf' as const,
    kind: 'activity',
    name: run.activityName,
    pipelineRunId: run.pipelineRunId,
    activityRunId: id,
    activityType: run.activityType,
    pipelineName: run.pipelineName,
  };
  if (Number.isFinite(start)) {
    out.push({ t: start, event: { ...base, id: `${id}:start`, time: new Date(start).toISOString(), status: 'InProgress', span: { key, phase: 'start', of: 'activity', parent }, ...(options.includePayloads && run.input !== undefined ? { detail: { input: run.input } } : {}) } });
  }
  if (isFinalActivityStatus(run.status)) {
    const end = epochMs(run.activityRunEnd);
    const t = Number.isFinite(end) ? Math.max(end, Number.isFinite(start) ? start : end) : start;
    const error = activityError(run.error);
    out.push({
      t,
      event: {
        ...base,
        id: `${id}:end`,
        time: new Date(t).toISOString(),
        status: run.status,
        span: { key, phase: 'end', of: 'activity', parent, start: Number.isFinite(start) ? new Date(start).toISOString() : undefined, outcome: run.status },
        ...(error && run.status === 'Failed' ? { error } : {}),
        ...(options.includePayloads && run.output !== undefined ? { detail: { output: run.output } } : {}),
      },
    });
  }
  return out;
}

/** An activity run's error, when it has one (ADF sends an empty error object for a success). */
export function activityError(error: unknown): { code?: string; message?: string } | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { errorCode?: unknown; message?: unknown };
  const code = typeof e.errorCode === 'string' && e.errorCode ? e.errorCode : undefined;
  const message = typeof e.message === 'string' && e.message ? e.message : undefined;
  return code || message ? { ...(code ? { code } : {}), ...(message ? { message } : {}) } : undefined;
}

/** The child pipeline run an ExecutePipeline activity started, when its output names it. */
export function childPipelineRunId(run: ActivityRunLike): string | undefined {
  if (run.activityType !== 'ExecutePipeline') return undefined;
  const id = (run.output as { pipelineRunId?: unknown } | undefined)?.pipelineRunId;
  return typeof id === 'string' && id ? id : undefined;
}

/** The `x-amzn-RequestId` of the API Gateway answer a Web activity kept among its response headers. */
export function gatewayRequestId(run: ActivityRunLike): string | undefined {
  if (run.activityType !== 'WebActivity') return undefined;
  const headers = (run.output as { ADFWebActivityResponseHeaders?: unknown } | undefined)?.ADFWebActivityResponseHeaders;
  if (typeof headers !== 'object' || headers === null) return undefined;
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== 'x-amzn-requestid') continue;
    const v = Array.isArray(value) ? value[0] : value;
    return typeof v === 'string' && v ? v : undefined;
  }
  return undefined;
}
