/**
 * The AWS JSON protocol as the sandbox serves it (1.0 for Step Functions, 1.1 for CloudWatch
 * Logs): `POST /` with `X-Amz-Target` and a JSON object body, answers as JSON, errors as
 * `{"__type": code, "message": text}` (the SDKs map `__type` to their typed exceptions), and the
 * `--faults` decisions rendered as these services name them.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sleep } from '../core/sleep';
import type { FaultDecision } from './faults';
import { parseJsonBounded, readRequestBody, sizeInWords } from './http-input';

/** An error answer of an AWS JSON service: the code is the SDK's exception name; 400 unless a server fault. */
export class AwsJsonError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = code;
  }

  body(): { __type: string; message: string } {
    return { __type: this.code, message: this.message };
  }
}

export function sendAwsJson(res: ServerResponse, version: '1.0' | '1.1', status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': `application/x-amz-json-${version}`, 'Content-Length': Buffer.byteLength(text), 'x-amzn-RequestId': randomUUID() });
  res.end(text);
}

/** The request body's text; past `maxBytes` an AwsJsonError(`tooLargeCode`, 413) whose message ends with `note`. */
export async function readAwsJsonBody(req: IncomingMessage, maxBytes: number, tooLargeCode: string, note = ''): Promise<string> {
  const body = await readRequestBody(req, maxBytes);
  if (!body.ok) throw new AwsJsonError(tooLargeCode, `The request body is ${body.bytes} bytes, larger than the ${sizeInWords(maxBytes)} the sandbox accepts${note}.`, 413);
  return body.text;
}

/** The request body as the JSON object an operation takes: `{}` when empty, a SerializationException when not an object. */
export function parseAwsJsonBody(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  const parsed = parseJsonBounded(text, 'The request body');
  if (!parsed.ok) throw new AwsJsonError('SerializationException', parsed.reason === 'depth' ? parsed.message : 'The request body is not JSON.');
  if (typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value)) throw new AwsJsonError('SerializationException', 'The request body is not a JSON object.');
  return parsed.value as Record<string, unknown>;
}

/**
 * Applies an injected fault: waits its latency, then throws the throttle (ThrottlingException) or
 * the service's own server fault (`serverFault`: Step Functions says InternalFailure, Logs
 * ServiceUnavailableException), as HTTP 500.
 */
export async function applyAwsJsonFault(decision: FaultDecision | undefined, serverFault: { code: string; message: string }): Promise<void> {
  if (!decision) return;
  await sleep(decision.latencyMs);
  if (decision.kind === 'throttle') throw new AwsJsonError('ThrottlingException', 'Rate exceeded (injected by bridge sandbox --faults)');
  if (decision.kind === 'error') throw new AwsJsonError(serverFault.code, `${serverFault.message} (injected by bridge sandbox --faults)`, 500);
}
