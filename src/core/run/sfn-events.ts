/**
 * Step Functions history events (as GetExecutionHistory returns them) as run-stream events, one
 * per history event, with span marks: an execution and each state visit are spans, so a timeline
 * draws them without parsing. Plain shapes, no SDK.
 */
import { executionArnParts } from '../config/arn';
import { epochMs, type TimedEvent } from './adf-events';
import type { RunEvent, RunSpanMark } from './events';

export interface HistoryEventLike {
  id?: number;
  previousEventId?: number;
  type?: string;
  timestamp?: Date | number | string;
  [details: string]: unknown;
}

const EXECUTION_END: Record<string, string> = {
  ExecutionSucceeded: 'Succeeded',
  ExecutionFailed: 'Failed',
  ExecutionAborted: 'Aborted',
  ExecutionTimedOut: 'TimedOut',
};

/** Whether a history event ends the execution (until a redrive, if any). */
export function isExecutionEnd(type: string | undefined): boolean {
  return !!type && type in EXECUTION_END;
}

interface Context {
  /** The state visit this event belongs to (open), if any. */
  state?: string;
  /** The state visit that contains it (a Map or Parallel state), if any. */
  container?: string;
}

interface OpenState {
  key: string;
  name: string;
  start: string;
  container?: string;
}

/**
 * Maps one execution's history events, read in ascending id order (in one go or page by page),
 * keeping what it needs to pair each state's exit with its entry.
 */
export class SfnEventMapper {
  private readonly contexts = new Map<number, Context>();
  private readonly open = new Map<string, OpenState>();
  private readonly executionKey: string;
  private currentExecutionKey: string;
  private redrives = 0;
  private readonly idPrefix: string;

  constructor(
    readonly executionArn: string,
    private readonly correlationId: string,
    private readonly options: { includePayloads?: boolean } = {},
  ) {
    const parts = executionArnParts(executionArn);
    this.idPrefix = parts ? `${parts.stateMachine}:${parts.name}` : executionArn;
    this.executionKey = `sfn:execution:${executionArn}`;
    this.currentExecutionKey = this.executionKey;
  }

  map(ev: HistoryEventLike): TimedEvent {
    const id = ev.id ?? 0;
    const type = ev.type ?? 'Unknown';
    const t = epochMs(ev.timestamp instanceof Date || typeof ev.timestamp === 'string' ? ev.timestamp : typeof ev.timestamp === 'number' ? ev.timestamp * (ev.timestamp < 1e11 ? 1000 : 1) : undefined);
    const details = detailsOf(ev);
    const time = new Date(t).toISOString();
    const event: RunEvent = {
      type: 'event',
      correlationId: this.correlationId,
      source: 'sfn',
      id: `${this.idPrefix}/${id}`,
      time,
      kind: type,
      executionArn: this.executionArn,
      eventId: id,
      ...(ev.previousEventId ? { previousEventId: ev.previousEventId } : {}),
    };
    const name = typeof details?.name === 'string' ? details.name : undefined;
    if (name !== undefined) event.name = name;
    const error = typeof details?.error === 'string' ? details.error : undefined;
    const cause = typeof details?.cause === 'string' ? details.cause : undefined;
    if (error || cause) event.error = { ...(error ? { code: error } : {}), ...(cause ? { message: cause } : {}) };
    if (this.options.includePayloads && details && (details.input !== undefined || details.output !== undefined)) {
      event.detail = { ...(details.input !== undefined ? { input: details.input } : {}), ...(details.output !== undefined ? { output: details.output } : {}) };
    }
    const span = this.span(id, ev.previousEventId ?? 0, type, name, time);
    if (span) event.span = span;
    return { event, t };
  }

  private span(id: number, prev: number, type: string, name: string | undefined, time: string): RunSpanMark | undefined {
    const before = this.contexts.get(prev) ?? {};
    if (type === 'ExecutionStarted') {
      this.contexts.set(id, {});
      return { key: this.executionKey, phase: 'start', of: 'execution' };
    }
    if (type === 'ExecutionRedriven') {
      this.redrives++;
      this.currentExecutionKey = `${this.executionKey}#redrive${this.redrives}`;
      this.contexts.set(id, {});
      return { key: this.currentExecutionKey, phase: 'start', of: 'execution' };
    }
    if (isExecutionEnd(type)) {
      this.contexts.set(id, {});
      return { key: this.currentExecutionKey, phase: 'end', of: 'execution', outcome: EXECUTION_END[type] };
    }
    if (type.endsWith('StateEntered')) {
      const key = `sfn:state:${this.executionArn}:${id}`;
      // Entered right after an event inside an open state (MapIterationStarted, ParallelStateStarted):
      // nested in it. Entered after a sibling's exit: in the same container as that sibling.
      const container = before.state && this.open.has(before.state) ? before.state : before.container;
      this.open.set(key, { key, name: name ?? '', start: time, container });
      this.contexts.set(id, { state: key, container });
      return { key, phase: 'start', of: 'state', parent: container ?? this.currentExecutionKey };
    }
    if (type.endsWith('StateExited')) {
      let state = before.state ? this.open.get(before.state) : undefined;
      if (!state || (name !== undefined && state.name !== name)) state = this.latestOpen(name);
      this.contexts.set(id, { container: state?.container ?? before.container });
      if (!state) return undefined;
      this.open.delete(state.key);
      return { key: state.key, phase: 'end', of: 'state', parent: state.container ?? this.currentExecutionKey, start: state.start, outcome: 'Succeeded' };
    }
    this.contexts.set(id, before);
    return undefined;
  }

  private latestOpen(name: string | undefined): OpenState | undefined {
    let found: OpenState | undefined;
    for (const s of this.open.values()) if (s.name === name) found = s;
    return found;
  }
}

function detailsOf(ev: HistoryEventLike): Record<string, unknown> | undefined {
  for (const [key, value] of Object.entries(ev)) {
    if (key.endsWith('EventDetails') && typeof value === 'object' && value !== null) return value as Record<string, unknown>;
  }
  return undefined;
}
