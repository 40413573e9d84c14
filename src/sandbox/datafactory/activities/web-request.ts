/** What WebActivity and WebHook share: building the request, managed-identity/basic authentication, sending it (hook, loopback, or a clear failure). */
import { evaluateDeep } from '../expressions';
import type { ActivityJson } from '../repo';
import type { WebCallRequest, WebCallResponse } from '../types';
import { isLoopbackUrl, loopbackRequest } from '../web';
import { ActivityFailure, CancelledError, type ExecContext, isObject } from '../run-context';

const MSI_TYPES = new Set(['msi', 'systemassignedmanagedidentity', 'userassignedmanagedidentity']);

export async function buildWebRequest(activity: ActivityJson, tp: Record<string, unknown>, exec: ExecContext, type: 'WebActivity' | 'WebHook') {
  const url = evaluateDeep(tp.url, exec.evalScope);
  if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) throw new ActivityFailure('2108', `The url of ${type} '${activity.name}' evaluated to ${JSON.stringify(url)}; it must be an http(s) URL.`);
  const method = String(evaluateDeep(tp.method ?? (type === 'WebHook' ? 'POST' : 'GET'), exec.evalScope)).toUpperCase();
  const headers: Record<string, string> = {};
  const rawHeaders = evaluateDeep(tp.headers, exec.evalScope);
  if (isObject(rawHeaders)) for (const [k, v] of Object.entries(rawHeaders)) headers[k] = typeof v === 'string' ? v : JSON.stringify(v);
  else if (Array.isArray(rawHeaders)) for (const h of rawHeaders) if (isObject(h) && typeof h.name === 'string') headers[h.name] = String(h.value ?? '');
  let body = tp.body === undefined ? undefined : evaluateDeep(tp.body, exec.evalScope);
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      /* a plain string body is sent as is */
    }
  }
  const authentication = tp.authentication === undefined ? undefined : evaluateDeep(tp.authentication, exec.evalScope);
  return { url, method, headers, body, authentication };
}

export async function authorize(activity: ActivityJson, headers: Record<string, string>, authentication: unknown, exec: ExecContext): Promise<void> {
  if (!isObject(authentication)) return;
  const type = String(authentication.type ?? '').toLowerCase();
  if (MSI_TYPES.has(type)) {
    const resource = String(authentication.resource ?? '');
    if (!resource) throw new ActivityFailure('2108', `${activity.type} '${activity.name}' uses ${authentication.type} authentication without a resource (the token audience).`);
    if (exec.host.settings.hooks.getToken) {
      let token: string;
      try {
        token = await exec.host.settings.hooks.getToken(resource, { factory: exec.host.factory, pipelineName: exec.run.pipeline.name, pipelineRunId: exec.run.runId, activityName: activity.name });
      } catch (e) {
        throw new ActivityFailure('2108', `${activity.type} '${activity.name}' could not get a managed identity token for resource '${resource}': ${(e as Error).message}`);
      }
      headers.Authorization = `Bearer ${token}`;
    }
  } else if (type === 'basic') {
    const user = String(authentication.username ?? '');
    const password = isObject(authentication.password) ? String(authentication.password.value ?? '') : String(authentication.password ?? '');
    headers.Authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  }
}

export async function send(activity: ActivityJson, request: Omit<WebCallRequest, 'signal'>, exec: ExecContext): Promise<WebCallResponse> {
  const full: WebCallRequest = { ...request, signal: exec.signal };
  const hooked = await exec.host.settings.hooks.callWeb?.(full);
  if (hooked) return hooked;
  if (isLoopbackUrl(request.url)) {
    try {
      return await loopbackRequest(request.url, request.method, request.headers, request.body, exec.signal, exec.host.settings.trustedCaPem);
    } catch (e) {
      if (exec.signal.aborted) throw new CancelledError();
      throw new ActivityFailure('2108', `Error calling the endpoint '${request.url}': ${(e as Error).message}`);
    }
  }
  throw new ActivityFailure(
    '2108',
    `Error calling the endpoint '${request.url}': the sandbox has no outside network. Point ${activity.type} '${activity.name}' at a bridge link's gateway URL or a loopback URL, or set a mocked output for it under "pipelines" → "${exec.run.pipeline.name}" → "activities" → "${activity.name}" in a *.sandbox.json file in ${exec.host.factory.repoRoot}.`,
  );
}
