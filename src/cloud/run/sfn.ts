/**
 * Following one Step Functions execution: its history read incrementally, newest first back to
 * the last event already seen, so a poll that finds a few new events costs one
 * GetExecutionHistory call however long the history is. A redriven execution
 * (ExecutionRedriven) continues in the same stream.
 */
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { isExecutionEnd, SfnEventMapper } from '../../core/run/sfn-events';
import type { TimedEvent } from '../../core/run/adf-events';
import type { ApiCaller, RunClients } from './clients';

const PAGE_MAX = 1000;

export class ExecutionFollower {
  readonly mapper: SfnEventMapper;
  private lastSeenId = 0;
  /** The type of the newest history event (what the execution's status is derived from). */
  private lastType: string | undefined;
  /** The last failure seen: the event's error and cause, and the state it happened in. */
  failure: { state?: string; error?: string; cause?: string } | undefined;
  private readonly stateNames = new Map<number, string>();

  constructor(
    readonly executionArn: string,
    correlationId: string,
    private readonly clients: RunClients,
    private readonly caller: ApiCaller,
    private readonly options: { includePayloads?: boolean } = {},
  ) {
    this.mapper = new SfnEventMapper(executionArn, correlationId, options);
  }

  /** Over: the newest event ends the execution (a redrive makes it run again). */
  get ended(): boolean {
    return isExecutionEnd(this.lastType);
  }

  /** SUCCEEDED, FAILED, TIMED_OUT, ABORTED, or RUNNING. */
  get status(): string {
    switch (this.lastType) {
      case 'ExecutionSucceeded':
        return 'SUCCEEDED';
      case 'ExecutionFailed':
        return 'FAILED';
      case 'ExecutionTimedOut':
        return 'TIMED_OUT';
      case 'ExecutionAborted':
        return 'ABORTED';
      default:
        return 'RUNNING';
    }
  }

  get eventsSeen(): number {
    return this.lastSeenId;
  }

  /** Reads the events added since the last poll, oldest first. */
  async poll(): Promise<TimedEvent[]> {
    const { GetExecutionHistoryCommand } = require('@aws-sdk/client-sfn') as typeof import('@aws-sdk/client-sfn');
    const fresh: HistoryEvent[] = [];
    let nextToken: string | undefined;
    // Calls are what the service meters (a refilling bucket per account), not bytes: pages of the
    // largest size make any poll that finds under 1,000 new events a single call.
    const maxResults = PAGE_MAX;
    for (;;) {
      const page = await this.caller.call('sfn', 'GetExecutionHistory', (abortSignal) =>
        this.clients.sfn.send(
          new GetExecutionHistoryCommand({ executionArn: this.executionArn, reverseOrder: true, maxResults, includeExecutionData: !!this.options.includePayloads, nextToken }),
          { abortSignal },
        ),
      );
      let reachedSeen = false;
      for (const ev of page.events ?? []) {
        if ((ev.id ?? 0) <= this.lastSeenId) {
          reachedSeen = true;
          break;
        }
        fresh.push(ev);
      }
      nextToken = page.nextToken;
      if (reachedSeen || !nextToken) break;
    }
    fresh.reverse();
    const out: TimedEvent[] = [];
    for (const ev of fresh) {
      const id = ev.id ?? 0;
      if (id <= this.lastSeenId) continue;
      this.lastSeenId = id;
      this.lastType = ev.type;
      const timed = this.mapper.map(ev as never);
      this.track(ev, timed);
      out.push(timed);
    }
    return out;
  }

  private track(ev: HistoryEvent, timed: TimedEvent): void {
    const id = ev.id ?? 0;
    const span = timed.event.span;
    const name = span?.of === 'state' && span.phase === 'start' ? timed.event.name : this.stateNames.get(ev.previousEventId ?? 0);
    if (name !== undefined && !(span?.of === 'state' && span.phase === 'end')) this.stateNames.set(id, name);
    if (ev.type === 'ExecutionRedriven') this.failure = undefined;
    const error = timed.event.error;
    if (error && ev.type !== 'ExecutionFailed') this.failure = { state: name, error: error.code, cause: error.message };
    else if (error && ev.type === 'ExecutionFailed' && !this.failure) this.failure = { error: error.code, cause: error.message };
  }
}
