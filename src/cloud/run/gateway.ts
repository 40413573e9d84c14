/**
 * The gateway hop of a run: each request a Web activity sent through the link's API Gateway route,
 * joined by the request id API Gateway answered with (`x-amzn-RequestId`, kept in the activity's
 * output headers) to the route's CloudWatch access log (`gateway.accessLogGroup`), which has the
 * status, the latency and the caller. The sandbox's gateway writes the same log and serves the
 * same FilterLogEvents, so cloud and sandbox share this code.
 */
import type { TimedEvent } from '../../core/run/adf-events';
import type { RunEvent } from '../../core/run/events';
import type { ApiCaller, RunClients } from './clients';

const MAX_PAGES = 10;
const SKEW_MS = 60_000;

/** One access log entry in API Gateway's JSON access-log format ($context variables). */
export interface AccessLogEntry {
  requestId?: string;
  requestTime?: string;
  requestTimeEpoch?: number | string;
  httpMethod?: string;
  routeKey?: string;
  path?: string;
  status?: number | string;
  responseLatency?: number | string;
  integrationLatency?: number | string;
  principalId?: string;
  'authorizer.principalId'?: string;
  jwtSub?: string;
  'authorizer.claims.sub'?: string;
  sourceIp?: string;
  ip?: string;
}

/** A gateway event of the run stream from an access log entry, or undefined when it is not one. */
export function gatewayEvent(message: string, logTimestamp: number | undefined, correlationId: string): TimedEvent | undefined {
  let entry: AccessLogEntry;
  try {
    entry = JSON.parse(message);
  } catch {
    return undefined;
  }
  if (typeof entry !== 'object' || entry === null || typeof entry.requestId !== 'string') return undefined;
  const epoch = Number(entry.requestTimeEpoch);
  const t = Number.isFinite(epoch) && epoch > 0 ? (epoch < 1e11 ? epoch * 1000 : epoch) : (logTimestamp ?? NaN);
  if (!Number.isFinite(t)) return undefined;
  const status = Number(entry.status);
  const latency = Number(entry.responseLatency ?? entry.integrationLatency);
  const caller = entry.jwtSub ?? entry['authorizer.claims.sub'] ?? entry.principalId ?? entry['authorizer.principalId'];
  const route = entry.routeKey && entry.routeKey !== '-' ? entry.routeKey : entry.httpMethod && entry.path ? `${entry.httpMethod} ${entry.path}` : undefined;
  const time = new Date(t).toISOString();
  const event: RunEvent = {
    type: 'event',
    correlationId,
    source: 'gateway',
    id: entry.requestId,
    time,
    kind: 'request',
    requestId: entry.requestId,
    ...(Number.isFinite(status) ? { status } : {}),
    ...(Number.isFinite(latency) ? { latencyMs: latency } : {}),
    ...(caller && caller !== '-' ? { caller } : {}),
    throttled: status === 429,
    ...(route ? { route } : {}),
    span: { key: `gateway:request:${entry.requestId}`, phase: 'instant', of: 'request', start: time, ...(Number.isFinite(status) ? { outcome: status < 400 ? 'Succeeded' : 'Failed' } : {}) },
  };
  return { event, t };
}

/** Reads the access log entries of the request ids a run's Web activities got. */
export class AccessLogReader {
  private readonly found = new Set<string>();

  constructor(
    readonly logGroupName: string,
    private readonly correlationId: string,
    private readonly startedAt: number,
    private readonly clients: RunClients,
    private readonly caller: ApiCaller,
  ) {}

  has(requestId: string): boolean {
    return this.found.has(requestId);
  }

  /** Looks up the ids not found yet (one FilterLogEvents query for all of them, paged). */
  async read(requestIds: string[], now: number): Promise<TimedEvent[]> {
    const wanted = requestIds.filter((id) => !this.found.has(id));
    if (!wanted.length) return [];
    const logs = await this.logsClient();
    const { FilterLogEventsCommand } = require('@aws-sdk/client-cloudwatch-logs') as typeof import('@aws-sdk/client-cloudwatch-logs');
    // Quoted terms match the id anywhere in the entry; `?` ORs them.
    const filterPattern = wanted.map((id) => `?"${id.replace(/"/g, '')}"`).join(' ');
    const out: TimedEvent[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const result = await this.caller.call('logs', 'FilterLogEvents', (abortSignal) =>
        logs.send(new FilterLogEventsCommand({ logGroupName: this.logGroupName, startTime: this.startedAt - SKEW_MS, endTime: now + SKEW_MS, filterPattern, nextToken }), { abortSignal }),
      );
      for (const e of result.events ?? []) {
        const timed = e.message ? gatewayEvent(e.message, e.timestamp, this.correlationId) : undefined;
        if (!timed || !wanted.includes(timed.event.requestId!)) continue;
        this.found.add(timed.event.requestId!);
        out.push(timed);
      }
      nextToken = result.nextToken;
      if (!nextToken) break;
    }
    return out;
  }

  private async logsClient() {
    if (!this.clients.logs) throw new Error('No CloudWatch Logs client for the gateway access log.');
    return this.clients.logs;
  }
}
