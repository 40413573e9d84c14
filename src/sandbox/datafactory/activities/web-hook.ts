/** WebHook: calls an endpoint with a callBackUri and waits for the POST to it. */
import { randomUUID } from 'node:crypto';
import { evaluateDeep } from '../expressions';
import type { ActivityJson } from '../repo';
import { ActivityFailure, type ActivityHandler, type ExecContext, isObject } from '../run-context';
import { parseTimeSpan } from '../timespan';
import { authorize, buildWebRequest, send } from './web-request';

const TIMEOUT = Symbol('timeout');

export async function webHook(activity: ActivityJson, tp: Record<string, unknown>, exec: ExecContext): Promise<unknown> {
  const { url, method, headers, body, authentication } = await buildWebRequest(activity, tp, exec, 'WebHook');
  const base = exec.host.settings.callbackBaseUrl();
  if (!base) throw new ActivityFailure('2108', 'The sandbox does not know its own URL yet, so it cannot give WebHook a callBackUri. Start the server before running pipelines.');
  const timeoutText = tp.timeout === undefined ? '00:10:00' : evaluateDeep(tp.timeout, exec.evalScope);
  const timeoutMs = parseTimeSpan(timeoutText);
  if (timeoutMs === undefined) throw new ActivityFailure('BadRequest', `The timeout of WebHook '${activity.name}' is ${JSON.stringify(timeoutText)}; write it as hh:mm:ss (e.g. "00:10:00").`);
  const callbackId = randomUUID();
  const callBackUri = `${base}/workflow/callback/${callbackId}?activityType=WebHook&runId=${exec.run.runId}`;
  const sentBody = isObject(body) ? { ...body, callBackUri } : body === undefined ? { callBackUri } : body;
  exec.record.arm.input = { method, url, headers: { ...headers }, body: sentBody, timeout: timeoutText, ...(authentication !== undefined ? { authentication } : {}) };
  await authorize(activity, headers, authentication, exec);
  let resolveCallback!: (b: unknown) => void;
  const callback = new Promise<unknown>((r) => (resolveCallback = r));
  exec.host.callbacks.set(callbackId, { resolve: resolveCallback, runId: exec.run.runId, activityName: activity.name });
  try {
    const response = await send(activity, { factory: exec.host.factory, pipelineName: exec.run.pipeline.name, pipelineRunId: exec.run.runId, activityName: activity.name, activityType: 'WebHook', url, method, headers, body: sentBody, authentication, callBackUri }, exec);
    if (response.status >= 400) {
      const text = typeof response.body === 'string' ? response.body : JSON.stringify(response.body ?? '');
      throw new ActivityFailure('2108', `Invoking WebHook failed with HttpStatusCode - '${response.status}', message - '${text}'`);
    }
    const timeout = exec.host.sleep(timeoutMs, exec.signal).then(() => TIMEOUT);
    const got = await Promise.race([callback, timeout]);
    if (got === TIMEOUT) {
      throw new ActivityFailure('WebHookTimedOut', `WebHook '${activity.name}' timed out after ${timeoutText}: nothing POSTed to its callBackUri.`);
    }
    const cb = isObject(got) ? got : { Response: got };
    if (tp.reportStatusOnCallBack === true) {
      const err = isObject(cb.Error) ? cb.Error : isObject(cb.error) ? cb.error : undefined;
      const statusCode = Number(cb.StatusCode ?? cb.statusCode ?? 200);
      if (err || statusCode >= 400) {
        throw new ActivityFailure(String(err?.ErrorCode ?? err?.errorCode ?? statusCode), String(err?.Message ?? err?.message ?? `The callback reported status ${statusCode}.`), 'UserError', cb.Output ?? cb.output ?? cb);
      }
    }
    return cb;
  } finally {
    exec.host.callbacks.delete(callbackId);
  }
}

export const webHookActivity: ActivityHandler = { control: false, run: webHook };
