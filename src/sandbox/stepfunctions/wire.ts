/**
 * The AWS JSON 1.0 protocol of Step Functions: `POST /` with `X-Amz-Target: AWSStepFunctions.<Op>`
 * and a JSON body; answers are JSON (`application/x-amz-json-1.0`) with timestamps as epoch
 * seconds, errors `{"__type", "message"}` with HTTP 400 (500 for server faults). Requests are
 * signed with SigV4 by the SDK; the sandbox accepts any credentials and does not check signatures.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseArn } from '../../core/config/arn';
import { SfnApiError } from './errors';
import type { ExecutionRecord, ExecutionStatus } from './history';
import type { StepFunctionsService } from './service';
import { applyAwsJsonFault, AwsJsonError, parseAwsJsonBody, readAwsJsonBody, sendAwsJson } from '../aws-json';

const MAX_BODY_BYTES = 4 * 1024 * 1024;
const STATUSES: readonly ExecutionStatus[] = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'];

type Body = Record<string, unknown>;

function seconds(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : ms / 1000;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  sendAwsJson(res, '1.0', status, body);
}


// ---- paging tokens ---------------------------------------------------------------------------

interface PageToken {
  /** Operation and the arguments that must stay unchanged between pages. */
  scope: string;
  /** Position to continue from (meaning depends on the operation). */
  at: number;
}

function encodeToken(token: PageToken): string {
  return Buffer.from(JSON.stringify(token), 'utf8').toString('base64url');
}

function decodeToken(raw: unknown, scope: string): PageToken | undefined {
  if (raw === undefined || raw === null) return undefined;
  const invalid = () => new SfnApiError('InvalidToken', `Invalid Token: '${String(raw)}'`);
  if (typeof raw !== 'string' || raw === '') throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const t = parsed as Partial<PageToken>;
  if (typeof t !== 'object' || t === null || t.scope !== scope || typeof t.at !== 'number') throw invalid();
  return t as PageToken;
}

function pageSize(body: Body): number {
  const v = body.maxResults;
  if (v === undefined || v === null || v === 0) return 100;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 1000) {
    throw new SfnApiError('ValidationException', `1 validation error detected: Value '${String(v)}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000`);
  }
  return v;
}

function optionalString(body: Body, key: string): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new SfnApiError('ValidationException', `1 validation error detected: Value at '${key}' failed to satisfy constraint: Member must be a string`);
  return v;
}

// ---- operations ------------------------------------------------------------------------------

function executionListItem(service: StepFunctionsService, r: ExecutionRecord): Body {
  const redrive = service.redriveInfo(r.executionArn);
  return { executionArn: r.executionArn, stateMachineArn: r.stateMachineArn, name: r.name, status: r.status, startDate: seconds(r.startDate), stopDate: seconds(r.stopDate), redriveCount: redrive.redriveCount, redriveDate: seconds(redrive.redriveDate) };
}

const operations: Record<string, (service: StepFunctionsService, body: Body) => Body | Promise<Body>> = {
  ListStateMachines(service, body) {
    const size = pageSize(body);
    const all = service.listStateMachines();
    const from = decodeToken(body.nextToken, 'ListStateMachines')?.at ?? 0;
    const page = all.slice(from, from + size);
    const out: Body = { stateMachines: page.map((m) => ({ ...m, creationDate: seconds(m.creationDate) })) };
    if (from + size < all.length) out.nextToken = encodeToken({ scope: 'ListStateMachines', at: from + size });
    return out;
  },

  DescribeStateMachine(service, body) {
    const d = service.describeStateMachine(body.stateMachineArn);
    return { ...d, creationDate: seconds(d.creationDate as number) };
  },

  StartExecution(service, body) {
    const request: { stateMachineArn: string; name?: string; input?: string } = { stateMachineArn: body.stateMachineArn as string };
    const name = optionalString(body, 'name');
    if (name !== undefined) request.name = name;
    if (body.input !== undefined && body.input !== null) {
      if (typeof body.input !== 'string') throw new SfnApiError('InvalidExecutionInput', 'Invalid State Machine Execution Input: the input must be a string of JSON text');
      request.input = body.input;
    }
    const record = service.startExecutionRecord(request);
    return { executionArn: record.executionArn, startDate: seconds(record.startDate) };
  },

  DescribeExecution(service, body) {
    const r = service.describeExecution(body.executionArn);
    const out: Body = {
      executionArn: r.executionArn,
      stateMachineArn: r.stateMachineArn,
      name: r.name,
      status: r.status,
      startDate: seconds(r.startDate),
      input: r.input,
      inputDetails: { included: true },
    };
    const redrive = service.redriveInfo(r.executionArn);
    out.redriveCount = redrive.redriveCount;
    out.redriveStatus = redrive.redriveStatus;
    if (redrive.redriveDate !== undefined) out.redriveDate = seconds(redrive.redriveDate);
    if (redrive.redriveStatusReason !== undefined) out.redriveStatusReason = redrive.redriveStatusReason;
    if (r.stopDate !== undefined) out.stopDate = seconds(r.stopDate);
    if (r.output !== undefined) {
      out.output = r.output;
      out.outputDetails = { included: true };
    }
    if (r.error !== undefined) out.error = r.error;
    if (r.cause !== undefined) out.cause = r.cause;
    return out;
  },

  ListExecutions(service, body) {
    const stateMachineArn = body.stateMachineArn;
    if (body.mapRunArn !== undefined) throw new SfnApiError('ValidationException', 'The sandbox has no Map Runs (it runs Map states inline); list executions by stateMachineArn.');
    const status = body.statusFilter;
    if (status !== undefined && status !== null && !STATUSES.includes(status as ExecutionStatus)) {
      throw new SfnApiError('ValidationException', `1 validation error detected: Value '${String(status)}' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [${STATUSES.join(', ')}]`);
    }
    const redrive = body.redriveFilter;
    if (redrive !== undefined && redrive !== null && redrive !== 'REDRIVEN' && redrive !== 'NOT_REDRIVEN') {
      throw new SfnApiError('ValidationException', `1 validation error detected: Value '${String(redrive)}' at 'redriveFilter' failed to satisfy constraint: Member must satisfy enum value set: [REDRIVEN, NOT_REDRIVEN]`);
    }
    const size = pageSize(body);
    const all = service.executionsOf(stateMachineArn);
    const scope = `ListExecutions ${String(stateMachineArn)} ${String(status ?? '')} ${String(redrive ?? '')}`;
    const wanted = (r: ExecutionRecord) =>
      (status === undefined || status === null || r.status === status) &&
      (redrive === undefined || redrive === null || (service.redriveInfo(r.executionArn).redriveCount > 0) === (redrive === 'REDRIVEN'));
    // Newest first; the token holds the position (oldest-first, stable) to continue below.
    const below = decodeToken(body.nextToken, scope)?.at ?? all.length;
    const items: ExecutionRecord[] = [];
    let position = Math.min(below, all.length) - 1;
    for (; position >= 0 && items.length < size; position--) {
      const r = all[position];
      if (wanted(r)) items.push(r);
    }
    const out: Body = { executions: items.map((r) => executionListItem(service, r)) };
    const more = all.slice(0, position + 1).some(wanted);
    if (more) out.nextToken = encodeToken({ scope, at: position + 1 });
    return out;
  },

  GetExecutionHistory(service, body) {
    const reverse = body.reverseOrder === true;
    const include = body.includeExecutionData !== false;
    const size = pageSize(body);
    const events = service.historyEvents(body.executionArn, reverse, include);
    const scope = `GetExecutionHistory ${String(body.executionArn)} ${reverse} ${include}`;
    // The token holds the id of the last event returned (ids never change, even while running).
    const after = decodeToken(body.nextToken, scope)?.at;
    const rest = after === undefined ? events : events.filter((e) => (reverse ? e.id < after : e.id > after));
    const page = rest.slice(0, size);
    const out: Body = { events: page };
    if (rest.length > size) out.nextToken = encodeToken({ scope, at: page[page.length - 1].id });
    return out;
  },

  RedriveExecution(service, body) {
    const { redriveDate } = service.redriveExecution(body.executionArn);
    return { redriveDate: seconds(redriveDate) };
  },

  StopExecution(service, body) {
    const { stopDate } = service.stopExecution(body.executionArn, optionalString(body, 'error'), optionalString(body, 'cause'));
    return { stopDate: seconds(stopDate) };
  },
};

export async function handleSfnRequest(service: StepFunctionsService, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const target = String(req.headers['x-amz-target'] ?? '');
    if (req.method !== 'POST') throw new SfnApiError('UnknownOperationException', `The Step Functions API takes POST requests with an X-Amz-Target header; got ${req.method ?? '?'} ${req.url ?? ''}.`, 404);
    const text = await readAwsJsonBody(req, MAX_BODY_BYTES, 'ValidationException', ' (an execution input may be at most 256 KiB)');
    await applyAwsJsonFault(service.faults?.decide('sfn'), { code: 'InternalFailure', message: 'Internal failure' });
    // The name comes from the request: only the table's own entries, never Object.prototype's.
    const m = /^AWSStepFunctions\.(\w+)$/.exec(target);
    const operation = m && Object.hasOwn(operations, m[1]) ? operations[m[1]] : undefined;
    if (!operation) {
      throw new SfnApiError('UnknownOperationException', target ? `The sandbox does not emulate the operation "${target}"; it serves ${Object.keys(operations).join(', ')}.` : 'Missing X-Amz-Target header (expected AWSStepFunctions.<Operation>).');
    }
    const body: Body = parseAwsJsonBody(text);
    const action = `states:${m![1]}`;
    if (service.faults?.denies(action)) {
      const resource = String(body.stateMachineArn ?? body.executionArn ?? '*');
      // The shape AWS uses when no policy allows the action (the sandbox's --faults deny=…).
      throw new SfnApiError('AccessDeniedException', `User: arn:aws:sts::${parseArn(resource)?.account || '000000000000'}:assumed-role/bridge-sandbox/bridge is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`);
    }
    send(res, 200, await operation(service, body));
  } catch (e) {
    if (e instanceof AwsJsonError) send(res, e.status, e.body());
    else send(res, 500, { __type: 'InternalFailure', message: `The sandbox failed to handle the request: ${(e as Error).message}` });
  }
}
