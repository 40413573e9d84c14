/** The execution records and history events of the emulated service, in the AWS wire shapes. */

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/**
 * One GetExecutionHistory event as AWS sends it: `timestamp` in epoch seconds, `id` counting from 1,
 * `previousEventId` the event this one follows from, and one `<type>EventDetails` member.
 */
export interface HistoryEvent {
  timestamp: number;
  type: string;
  id: number;
  previousEventId: number;
  [details: string]: unknown;
}

/** What the service keeps about one execution. Dates are epoch milliseconds. */
export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: number;
  stopDate?: number;
  /** The input as given to StartExecution (JSON text). */
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  /** The mock test case the execution used, if any. */
  testCase?: string;
  events: HistoryEvent[];
}

/** What `onEvent` gets with each event: the execution it belongs to. */
export interface ExecutionRef {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
}

/** `{ truncated: false }`: the sandbox never truncates event data. */
export const NOT_TRUNCATED = Object.freeze({ truncated: false });

/** JSON text of a value as Step Functions shows it in events (compact). */
export function jsonText(value: unknown): string {
  return JSON.stringify(value === undefined ? null : value);
}

/** Event detail members that carry execution data, removed when includeExecutionData is false. */
const EXECUTION_DATA_KEYS = new Set(['input', 'output', 'inputDetails', 'outputDetails', 'parameters']);

export function withoutExecutionData(event: HistoryEvent): HistoryEvent {
  const out: HistoryEvent = { ...event };
  for (const [key, value] of Object.entries(event)) {
    if (key.endsWith('EventDetails') && typeof value === 'object' && value !== null) {
      out[key] = Object.fromEntries(Object.entries(value).filter(([k]) => !EXECUTION_DATA_KEYS.has(k)));
    }
  }
  return out;
}
