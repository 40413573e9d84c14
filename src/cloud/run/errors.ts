/**
 * How the run engine reads an SDK error: is it worth retrying (throttling, 5xx, InternalFailure, a
 * dropped connection), how long the service asked to wait, and the one line a user is shown when
 * it ends a run. The line for credential and permission problems is the cloud layer's
 * (src/cloud/identity/): this is the one place the engine turns an error into a reason.
 */
import { redactSecrets } from '../../core/redact';

interface ErrorLike {
  name?: string;
  code?: string;
  message?: string;
  statusCode?: number;
  $metadata?: { httpStatusCode?: number };
  $retryable?: { throttling?: boolean };
  response?: { headers?: { get?(name: string): string | undefined } | Record<string, string> };
  details?: { error?: { code?: string; message?: string } };
}

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
  const e = (err ?? {}) as ErrorLike;
  const status = e.$metadata?.httpStatusCode ?? e.statusCode;
  const code = String(e.details?.error?.code ?? e.code ?? e.name ?? 'Error');
  const text = `${e.name ?? ''} ${e.code ?? ''} ${code}`;
  const throttled = status === 429 || !!e.$retryable?.throttling || THROTTLING.test(text);
  const serverFault = (status !== undefined && status >= 500) || SERVER_FAULT.test(text);
  const network = status === undefined && NETWORK.test(`${text} ${e.message ?? ''}`);
  const facts: ApiErrorFacts = { transient: throttled || serverFault || network, throttled, code, ...(status !== undefined ? { status } : {}) };
  const retryAfter = header(e, 'retry-after');
  if (retryAfter) {
    const seconds = Number(retryAfter);
    const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - Date.now();
    if (ms > 0) facts.retryAfterMs = Math.min(ms, 60_000);
  }
  return facts;
}

function header(e: ErrorLike, name: string): string | undefined {
  const headers = e.response?.headers;
  if (!headers) return undefined;
  if (typeof (headers as { get?: unknown }).get === 'function') return (headers as { get(n: string): string | undefined }).get(name) ?? undefined;
  const record = headers as Record<string, string>;
  return record[name] ?? record[name.toLowerCase()] ?? Object.entries(record).find(([k]) => k.toLowerCase() === name)?.[1];
}

export interface ReasonContext {
  cloud: 'aws' | 'azure';
  /** The operation that failed (`StartExecution`, `createRun` …). */
  operation: string;
  /** What it was about (a state machine ARN, a pipeline name), for the message. */
  resource?: string;
  profile?: string;
}

/** A run-ending error as one line that says what failed and what to do; never a stack or a credential chain. */
export function errorReason(err: unknown, context: ReasonContext): string {
  const e = (err ?? {}) as ErrorLike;
  const facts = apiErrorFacts(err);
  const what = `${context.operation}${context.resource ? ` (${context.resource})` : ''}`;
  const message = firstLine(e.details?.error?.message ?? e.message ?? String(err));
  const name = `${e.name ?? ''} ${e.code ?? ''}`;
  if (/CredentialsProviderError|CredentialUnavailable|Could not load credentials|AuthenticationRequired|ExpiredToken|InvalidClientTokenId|UnrecognizedClient/i.test(`${name} ${message}`)) {
    return context.cloud === 'aws'
      ? `${what} could not be called: no usable AWS credentials${context.profile ? ` for profile "${context.profile}"` : ''}. Sign in (aws sso login${context.profile ? ` --profile ${context.profile}` : ''}) or set aws.profile in the config, then run again.`
      : `${what} could not be called: no usable Azure credentials. Sign in with "az login" (or set AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET), then run again.`;
  }
  if (/AccessDenied|AuthorizationFailed|Forbidden|NotAuthorized/i.test(`${name} ${facts.code}`) || facts.status === 403) {
    return context.cloud === 'aws'
      ? `${what} was denied: the signed-in AWS identity needs the IAM action states:${context.operation}${context.resource ? ` on ${context.resource}` : ''}.`
      : `${what} was denied: the signed-in Azure identity needs the Data Factory Contributor role (or Reader to follow runs) on the factory.`;
  }
  if (facts.throttled) return `${what} was still throttled after retries with backoff (${facts.code}): wait a minute, or run fewer links at once.`;
  if (facts.transient) return `${what} kept failing after retries (${facts.code}: ${message}): the service may be unavailable; try again later.`;
  return redactSecrets(`${what} failed: ${facts.code}: ${message}`);
}

function firstLine(text: string): string {
  const line = text.split('\n')[0].trim();
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}
