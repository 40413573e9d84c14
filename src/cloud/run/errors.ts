/**
 * How the run engine reads an SDK error: is it worth retrying (throttling, 5xx, InternalFailure, a
 * dropped connection), how long the service asked to wait, and the one line a user is shown when
 * it ends a run. The line for credential and permission problems is the cloud layer's
 * (src/cloud/identity/): this is the one place the engine turns an error into a reason.
 */
import type { BridgeConfigModel } from '../../core/config/model';
import { cloudErrorShape, describeCloudError, httpStatusOf, responseHeader, serviceCodeOf } from '../identity/errors';
import { errorContextOf } from '../identity';

export interface ApiErrorFacts {
  /** Retry with backoff: throttling, server faults, network drops. */
  transient: boolean;
  /** The service asked us to slow down (ThrottlingException, HTTP 429). */
  throttled: boolean;
  /** ARM's Retry-After, in ms, when given. */
  retryAfterMs?: number;
  /** The service's own error code or name (ExecutionDoesNotExist, PipelineRunNotFound …). */
  code: string;
  status?: number;
}

const THROTTLING = /Throttl|TooManyRequests|RequestLimitExceeded|SlowDown|RequestThrottled/i;
const SERVER_FAULT = /InternalFailure|InternalServerError|ServiceUnavailable|InternalError|ServerError|ServiceFailure/i;
const NETWORK = /ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|EAI_AGAIN|socket hang up|REQUEST_SEND_ERROR|TimeoutError|network/i;

export function apiErrorFacts(err: unknown): ApiErrorFacts {
  const e = cloudErrorShape(err);
  const status = httpStatusOf(err);
  const code = String(serviceCodeOf(err) ?? e.name ?? 'Error');
  const text = `${e.name ?? ''} ${e.code ?? ''} ${code}`;
  const throttled = status === 429 || !!e.$retryable?.throttling || THROTTLING.test(text);
  const serverFault = (status !== undefined && status >= 500) || SERVER_FAULT.test(text);
  const network = status === undefined && NETWORK.test(`${text} ${e.message ?? ''}`);
  const facts: ApiErrorFacts = { transient: throttled || serverFault || network, throttled, code, ...(status !== undefined ? { status } : {}) };
  const retryAfter = responseHeader(err, 'retry-after');
  if (retryAfter) {
    const seconds = Number(retryAfter);
    const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - Date.now();
    if (ms > 0) facts.retryAfterMs = Math.min(ms, 60_000);
  }
  return facts;
}

export interface ReasonContext {
  cloud: 'aws' | 'azure';
  /** The operation that failed (`StartExecution`, `createRun` …). */
  operation: string;
  /** What it was about (a state machine ARN, a pipeline name), for the message. */
  resource?: string;
  /** The config's sign-in settings (profile, tenant, subscription, factory). */
  config?: BridgeConfigModel;
}

/**
 * A run-ending error as one line that says what failed and what to do (which profile or login,
 * which IAM action or Azure role): the cloud layer's describeCloudError, never a stack or a
 * credential chain.
 */
export function errorReason(err: unknown, context: ReasonContext): string {
  const described = describeCloudError(err, { ...(context.config ? errorContextOf(context.config) : {}), cloud: context.cloud, operation: context.operation, resource: context.resource });
  return oneLine(described.line);
}

function oneLine(text: string): string {
  const line = text.replace(/\s*\n\s*/g, ' ').trim();
  return line.length > 500 ? `${line.slice(0, 499)}…` : line;
}
