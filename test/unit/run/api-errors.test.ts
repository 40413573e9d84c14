/**
 * The one shape of a cloud SDK error (src/cloud/identity/errors.ts): the run engine's retry
 * decisions and the user's one line read the same fields of AWS and Azure errors.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apiErrorFacts } from '../../../src/cloud/run/errors';
import { describeCloudError, httpStatusOf, responseHeader, serviceCodeOf } from '../../../src/cloud/identity/errors';

/** An Azure RestError as @azure/core-client builds it from an ARM error body. */
function armError(statusCode: number, code: string, headers: Record<string, string> | { get(name: string): string | undefined }) {
  return Object.assign(new Error(`${code} happened`), { name: 'RestError', statusCode, code, details: { error: { code, message: `${code} happened` } }, response: { headers } });
}

/** An AWS SDK v3 ServiceException. */
function awsError(name: string, httpStatusCode: number, extra: object = {}) {
  return Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode }, ...extra });
}

describe('cloud error shape', () => {
  it('reads the status, the code and a header of either cloud\'s error, and nothing from a non-error', () => {
    assert.equal(httpStatusOf(awsError('ThrottlingException', 400)), 400);
    assert.equal(httpStatusOf(armError(404, 'PipelineNotFound', {})), 404);
    assert.equal(serviceCodeOf(armError(404, 'PipelineNotFound', {})), 'PipelineNotFound');
    assert.equal(serviceCodeOf({ details: { error: { code: 'BadRequest' } } }), 'BadRequest', 'the ARM body\'s code when the error has none of its own');
    assert.equal(responseHeader(armError(429, 'TooManyRequests', { 'Retry-After': '7' }), 'retry-after'), '7', 'a plain record, any case');
    assert.equal(responseHeader(armError(429, 'TooManyRequests', { get: (n) => (n === 'retry-after' ? '2' : undefined) }), 'retry-after'), '2');
    for (const nothing of [undefined, null, 'a string', 42]) {
      assert.equal(httpStatusOf(nothing), undefined);
      assert.equal(serviceCodeOf(nothing), undefined);
      assert.equal(responseHeader(nothing, 'retry-after'), undefined);
    }
  });

  it('the engine retries a throttled call after the wait ARM asks for, and not a missing pipeline', () => {
    assert.deepEqual(apiErrorFacts(armError(429, 'TooManyRequests', { 'retry-after': '3' })), { transient: true, throttled: true, code: 'TooManyRequests', status: 429, retryAfterMs: 3000 });
    assert.deepEqual(apiErrorFacts(armError(404, 'PipelineNotFound', {})), { transient: false, throttled: false, code: 'PipelineNotFound', status: 404 });
    assert.deepEqual(apiErrorFacts(awsError('ThrottlingException', 400, { $retryable: { throttling: true } })), { transient: true, throttled: true, code: 'ThrottlingException', status: 400 });
    assert.equal(apiErrorFacts(awsError('ExecutionDoesNotExist', 400)).transient, false);
  });

  it('the user\'s line reads the same shape: an AWS 403 names the IAM action, an ARM 404 the settings to check', () => {
    const denied = describeCloudError(awsError('AccessDeniedException', 403), { cloud: 'aws', operation: 'StartExecution' });
    assert.equal(denied.kind, 'access-denied');
    assert.match(denied.line, /states:StartExecution/);
    const missing = describeCloudError(armError(404, 'PipelineNotFound', {}), { cloud: 'azure' });
    assert.equal(missing.kind, 'not-found');
    assert.match(missing.line, /azure\.factory/);
  });
});
