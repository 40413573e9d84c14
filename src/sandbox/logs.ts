/**
 * The sandbox's CloudWatch Logs: the log groups its API Gateway writes access logs to, and the
 * one operation the run engine reads them with, FilterLogEvents (AWS JSON 1.1,
 * `X-Amz-Target: Logs_20140328.FilterLogEvents`), served on the Step Functions endpoint.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultInjector } from './faults';
import { applyAwsJsonFault, AwsJsonError, parseAwsJsonBody, readAwsJsonBody, sendAwsJson } from './aws-json';

export const LOGS_TARGET_PREFIX = 'Logs_20140328.';
const MAX_BODY_BYTES = 1024 * 1024;
const PAGE_SIZE = 100;

interface StoredEvent {
  logStreamName: string;
  timestamp: number;
  ingestionTime: number;
  message: string;
  eventId: string;
}

/**
 * A filter pattern of the kinds an access-log lookup uses: terms (quoted or bare) that must all
 * appear, or `?term` alternatives of which one must. JSON and space-delimited patterns are refused
 * with a message rather than matched wrongly.
 */
export function compileFilterPattern(pattern: string | undefined): (message: string) => boolean {
  const text = (pattern ?? '').trim();
  if (!text) return () => true;
  if (text.startsWith('{') || text.startsWith('[')) {
    throw new AwsJsonError('InvalidParameterException', 'The sandbox matches term patterns ("a" b ?"c"), not JSON or space-delimited filter patterns.');
  }
  const terms = [...text.matchAll(/(\?)?(?:"((?:[^"\\]|\\.)*)"|(\S+))/g)].map((m) => ({ optional: !!m[1], term: (m[2] ?? m[3]).replace(/\\(.)/g, '$1') }));
  const required = terms.filter((t) => !t.optional).map((t) => t.term);
  const alternatives = terms.filter((t) => t.optional).map((t) => t.term);
  return (message) => required.every((t) => message.includes(t)) && (alternatives.length === 0 || alternatives.some((t) => message.includes(t)));
}

export class SandboxLogs {
  private readonly groups = new Map<string, StoredEvent[]>();

  constructor(
    private readonly faults?: FaultInjector,
    private readonly now: () => number = Date.now,
  ) {}

  /** Appends one log event (the message as written, e.g. a JSON access-log line). */
  put(logGroupName: string, logStreamName: string, message: string, timestamp = this.now()): void {
    let events = this.groups.get(logGroupName);
    if (!events) this.groups.set(logGroupName, (events = []));
    events.push({ logStreamName, timestamp, ingestionTime: this.now(), message, eventId: randomUUID().replace(/-/g, '') });
  }

  /** FilterLogEvents: the group's events in [startTime, endTime] matching the pattern, oldest first, paged. */
  filterLogEvents(body: Record<string, unknown>): Record<string, unknown> {
    const name = typeof body.logGroupName === 'string' ? body.logGroupName : typeof body.logGroupIdentifier === 'string' ? body.logGroupIdentifier : undefined;
    if (!name) throw new AwsJsonError('InvalidParameterException', 'Either logGroupName or logGroupIdentifier is required.');
    const events = this.groups.get(name);
    if (!events) throw new AwsJsonError('ResourceNotFoundException', `The specified log group does not exist: ${name}.`);
    const start = typeof body.startTime === 'number' ? body.startTime : -Infinity;
    const end = typeof body.endTime === 'number' ? body.endTime : Infinity;
    const streams = Array.isArray(body.logStreamNames) ? new Set(body.logStreamNames.map(String)) : undefined;
    const matches = compileFilterPattern(typeof body.filterPattern === 'string' ? body.filterPattern : undefined);
    const limit = typeof body.limit === 'number' && body.limit > 0 ? Math.min(body.limit, 10_000) : PAGE_SIZE;
    let from = 0;
    if (body.nextToken !== undefined && body.nextToken !== null) {
      const at = Number(Buffer.from(String(body.nextToken), 'base64url').toString('utf8'));
      if (!Number.isInteger(at) || at < 0) throw new AwsJsonError('InvalidParameterException', 'The nextToken is not one this log group gave.');
      from = at;
    }
    const selected = events.filter((e) => e.timestamp >= start && e.timestamp <= end && (!streams || streams.has(e.logStreamName)) && matches(e.message));
    const page = selected.slice(from, from + limit);
    const out: Record<string, unknown> = { events: page, searchedLogStreams: [] };
    if (from + limit < selected.length) out.nextToken = Buffer.from(String(from + limit)).toString('base64url');
    return out;
  }

  /** Serves one AWS JSON 1.1 request of CloudWatch Logs. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const send = (status: number, body: unknown) => sendAwsJson(res, '1.1', status, body);
    try {
      const target = String(req.headers['x-amz-target'] ?? '');
      const text = await readAwsJsonBody(req, MAX_BODY_BYTES, 'InvalidParameterException');
      await applyAwsJsonFault(this.faults?.decide('sfn'), { code: 'ServiceUnavailableException', message: 'Service unavailable' });
      const operation = OPERATIONS.get(target.slice(LOGS_TARGET_PREFIX.length));
      if (!target.startsWith(LOGS_TARGET_PREFIX) || !operation) {
        throw new AwsJsonError('UnknownOperationException', `The sandbox serves CloudWatch Logs ${[...OPERATIONS.keys()].join(', ')} only, not "${target}".`);
      }
      send(200, operation(this, parseAwsJsonBody(text)));
    } catch (e) {
      if (e instanceof AwsJsonError) send(e.status, e.body());
      else if (e instanceof SyntaxError) send(400, { __type: 'SerializationException', message: 'The request body is not JSON.' });
      else send(500, { __type: 'ServiceUnavailableException', message: `The sandbox failed to handle the request: ${(e as Error).message}` });
    }
  }
}

/** Operation names to handlers: a Map, so a name like "constructor" finds nothing. */
const OPERATIONS = new Map<string, (logs: SandboxLogs, body: Record<string, unknown>) => Record<string, unknown>>([
  ['FilterLogEvents', (logs, body) => logs.filterLogEvents(body)],
]);
