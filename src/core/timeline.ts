/**
 * Correlated run logs: ADF pipeline and activity runs and Step Functions history events, joined by
 * the correlation id, in time order, each exactly once however often it is polled.
 */
export interface RunLogEvent {
  /** Milliseconds since the epoch. */
  time: number;
  source: 'adf' | 'sfn';
  /** Stable identity: the same event polled twice has the same key (a status change is a new event). */
  key: string;
  /** Which run it belongs to: pipeline name/run id or state machine/execution name. */
  run: string;
  text: string;
}

export class RunTimeline {
  private readonly seen = new Map<string, RunLogEvent>();

  /** Adds events; returns those not seen before, in time order (ties: ADF first, then the order given). */
  add(events: Iterable<RunLogEvent>): RunLogEvent[] {
    const fresh: RunLogEvent[] = [];
    for (const e of events) {
      if (this.seen.has(e.key)) continue;
      this.seen.set(e.key, e);
      fresh.push(e);
    }
    return fresh.sort(compareEvents);
  }

  all(): RunLogEvent[] {
    return [...this.seen.values()].sort(compareEvents);
  }
}

/** Time, then ADF before Step Functions; otherwise the order given (sorting is stable). */
export function compareEvents(a: RunLogEvent, b: RunLogEvent): number {
  return a.time - b.time || (a.source === b.source ? 0 : a.source === 'adf' ? -1 : 1);
}

export function formatRunLogEvent(e: RunLogEvent): string {
  return `${new Date(e.time).toISOString().slice(11, 23)}  ${e.source.padEnd(3)}  ${e.run}  ${e.text}`;
}
