/** WebActivity: calls an HTTP endpoint (a link's gateway, loopback, or the callWeb hook). */
import type { ActivityJson } from '../repo';
import { ActivityFailure, type ActivityHandler, type ExecContext, isObject } from '../run-context';
import { authorize, buildWebRequest, send } from './web-request';

export async function webActivity(activity: ActivityJson, tp: Record<string, unknown>, exec: ExecContext): Promise<unknown> {
  const { url, method, headers, body, authentication } = await buildWebRequest(activity, tp, exec, 'WebActivity');
  exec.record.arm.input = { method, url, headers: { ...headers }, ...(body !== undefined && method !== 'GET' ? { body } : {}), ...(authentication !== undefined ? { authentication } : {}) };
  await authorize(activity, headers, authentication, exec);
  const started = exec.host.nowMs();
  const response = await send(activity, { factory: exec.host.factory, pipelineName: exec.run.pipeline.name, pipelineRunId: exec.run.runId, activityName: activity.name, activityType: 'WebActivity', url, method, headers, body: method === 'GET' ? undefined : body, authentication }, exec);
  const text = typeof response.body === 'string' ? response.body : response.body === undefined ? '' : JSON.stringify(response.body);
  if (response.status >= 400) {
    throw new ActivityFailure('2108', `Invoking Web Activity failed with HttpStatusCode - '${response.status}', message - '${text}'`, 'UserError');
  }
  let parsed: unknown = response.body;
  if (typeof parsed === 'string') {
    try {
      parsed = JSON.parse(parsed);
    } catch {
      parsed = undefined;
    }
  }
  const output: Record<string, unknown> = isObject(parsed) ? { ...parsed } : { Response: parsed === undefined ? text : parsed };
  output.ADFWebActivityResponseHeaders = { ...(response.headers ?? {}) };
  output.effectiveIntegrationRuntime = 'AutoResolveIntegrationRuntime (Sandbox)';
  output.executionDuration = Math.round((exec.host.nowMs() - started) / 1000);
  output.durationInQueue = { integrationRuntimeQueue: 0 };
  return output;
}

export const webActivityHandler: ActivityHandler = { control: false, run: webActivity };
