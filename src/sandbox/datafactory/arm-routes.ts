/**
 * The ADF management API (ARM, api-version 2018-06-01) for the factories of the workspace,
 * served from their git folders. Mount `handle` on an HTTPS server (or use startDataFactoryServer).
 */
import { sleep } from '../../core/sleep';
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { ArmRequestError } from './arm-error';
import { FactoryEngine, type PipelineRunState } from './pipeline-runner';
import { parseRunFilter, runQuery, type QueryRow } from './query';
import type { SandboxTls } from '../tls';
import { decodePathSegments, parseJsonBounded, readRequestBody, sizeInWords, trackSockets } from '../http-input';
import { systemClock, type ArmActivityRun, type ArmPipelineRun, type DataFactoryServiceOptions, type FactoryDefinition } from './types';

export const ADF_API_VERSION = '2018-06-01';
const MAX_BODY_BYTES = 4 * 1024 * 1024;

const RUN_OPERANDS = ['PipelineName', 'Status', 'RunStart', 'RunEnd', 'RunGroupId', 'LatestOnly', 'TriggerName'] as const;
const RUN_ORDER = ['RunStart', 'RunEnd', 'PipelineName', 'Status'] as const;
const ACTIVITY_OPERANDS = ['ActivityName', 'ActivityType', 'Status', 'ActivityRunStart', 'ActivityRunEnd'] as const;
const ACTIVITY_ORDER = ['ActivityName', 'ActivityRunStart', 'ActivityRunEnd', 'Status'] as const;

function factoryKey(subscriptionId: string, resourceGroup: string, factoryName: string): string {
  return `${subscriptionId}/${resourceGroup}/${factoryName}`.toLowerCase();
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

function armError(status: number, code: string, message: string, headers?: Record<string, string>): Reply {
  return { status, body: { error: { code, message } }, headers };
}

export class DataFactoryService {
  private readonly engines = new Map<string, FactoryEngine>();
  private baseUrl: string | undefined;
  private readonly pageSize: number;

  constructor(private readonly options: DataFactoryServiceOptions) {
    const waitScale = options.waitScale ?? 1;
    if (!(waitScale > 0)) throw new Error(`waitScale must be a positive number (1 = real time); got ${waitScale}. Waits are shortened, never skipped.`);
    this.pageSize = Math.max(1, options.pageSize ?? 100);
    for (const f of options.factories) {
      const key = factoryKey(f.subscriptionId, f.resourceGroup, f.factoryName);
      if (this.engines.has(key)) continue; // several bridge configs may name the same factory
      this.engines.set(
        key,
        new FactoryEngine({
          factory: f,
          hooks: options.hooks ?? {},
          clock: options.clock ?? systemClock,
          waitScale,
          mockedActivityOutputs: options.mockedActivityOutputs,
          trustedCaPem: options.trustedCaPem,
          callbackBaseUrl: () => this.baseUrl,
        }),
      );
    }
  }

  /** The factories served. */
  get factories(): FactoryDefinition[] {
    return [...this.engines.values()].map((e) => e.factory);
  }

  /** Tells the service its public https URL (needed for WebHook callBackUri). startDataFactoryServer calls it. */
  setBaseUrl(url: string): void {
    this.baseUrl = url.replace(/\/+$/, '');
  }

  /** The engine of one factory (for the bridge: starting runs without HTTP, reading runs). */
  engine(factory: Pick<FactoryDefinition, 'subscriptionId' | 'resourceGroup' | 'factoryName'>): FactoryEngine | undefined {
    return this.engines.get(factoryKey(factory.subscriptionId, factory.resourceGroup, factory.factoryName));
  }

  /** Starts a run like createRun does; throws ArmRequestError for bad requests. */
  async createRun(factory: Pick<FactoryDefinition, 'subscriptionId' | 'resourceGroup' | 'factoryName'>, pipelineName: string, parameters: Record<string, unknown> = {}): Promise<string> {
    const engine = this.engine(factory);
    if (!engine) throw new ArmRequestError(404, 'ResourceNotFound', `The sandbox does not serve factory '${factory.factoryName}' in resource group '${factory.resourceGroup}'.`);
    return (await engine.createRun({ pipelineName, parameters })).runId;
  }

  /** Completes a waiting WebHook activity as if its callee POSTed `body` to the callBackUri. */
  completeCallback(callBackUri: string, body: unknown): boolean {
    const id = /\/workflow\/callback\/([0-9a-f-]{36})/i.exec(callBackUri)?.[1];
    if (!id) return false;
    for (const e of this.engines.values()) if (e.completeCallback(id, body)) return true;
    return false;
  }

  /** Resolves when every run started so far has finished (for orderly shutdown and tests). */
  async idle(): Promise<void> {
    for (const e of this.engines.values()) await Promise.all([...e.runs.values()].map((r) => r.done));
  }

  /** Cancels every run still going (SIGINT/SIGTERM). */
  cancelAll(): void {
    for (const e of this.engines.values()) for (const r of e.runs.values()) if (r.status === 'Queued' || r.status === 'InProgress') e.cancel(r.runId, true);
  }

  /** Node request handler: ARM routes plus the WebHook callback route. */
  handle = (req: IncomingMessage, res: ServerResponse): void => {
    const requestId = randomUUID();
    this.route(req)
      .catch((e: unknown): Reply => {
        if (e instanceof ArmRequestError) return armError(e.status, e.code, e.message);
        return armError(500, 'InternalServerError', `The ADF sandbox failed to handle ${req.method} ${req.url}: ${(e as Error).message}`);
      })
      .then((reply) => {
        const headers: Record<string, string> = {
          'x-ms-request-id': requestId,
          'x-ms-correlation-request-id': requestId,
          ...(reply.headers ?? {}),
        };
        if (reply.body === undefined) {
          res.writeHead(reply.status, headers);
          res.end();
          return;
        }
        const text = JSON.stringify(reply.body);
        headers['Content-Type'] = 'application/json; charset=utf-8';
        headers['Content-Length'] = String(Buffer.byteLength(text));
        res.writeHead(reply.status, headers);
        res.end(text);
      })
      .catch(() => res.destroy());
  };

  private async readBody(req: IncomingMessage): Promise<unknown> {
    const body = await readRequestBody(req, MAX_BODY_BYTES);
    if (!body.ok) throw new ArmRequestError(413, 'RequestEntityTooLarge', `The request body is ${body.bytes} bytes, over the ${sizeInWords(MAX_BODY_BYTES)} the sandbox accepts.`);
    if (!body.text.trim()) return undefined;
    const parsed = parseJsonBounded(body.text, 'The request content');
    if (!parsed.ok) throw new ArmRequestError(400, 'InvalidRequestContent', parsed.message);
    return parsed.value;
  }

  private async route(req: IncomingMessage): Promise<Reply> {
    const url = new URL(req.url ?? '/', 'https://sandbox.invalid');
    const method = (req.method ?? 'GET').toUpperCase();
    const segments = decodePathSegments(url.pathname);
    if (!segments) return armError(400, 'InvalidRequestUri', `The request path ${url.pathname} has a malformed %-escape (a % must be followed by two hex digits of UTF-8). Encode names with encodeURIComponent.`);

    // WebHook callbacks are not ARM: no api-version, no bearer token (like ADF's callBackUri).
    if (segments[0]?.toLowerCase() === 'workflow' && segments[1]?.toLowerCase() === 'callback' && segments.length === 3) {
      if (method !== 'POST') return armError(405, 'MethodNotAllowed', 'POST the callback body to the callBackUri.');
      const body = await this.readBody(req);
      for (const e of this.engines.values()) if (e.completeCallback(segments[2], body ?? {})) return { status: 200 };
      return armError(404, 'CallbackNotFound', `No WebHook activity is waiting on callback '${segments[2]}' (it completed, timed out, or its run was cancelled).`);
    }

    const operation = `${method} ${segments.length > 8 ? segments.slice(8).map((s, i) => (i % 2 ? '{}' : s)).join('/') : 'factory'}`;
    const decision = this.options.faults?.decide('adf');
    if (decision && decision.latencyMs > 0) await sleep(decision.latencyMs);
    if (decision?.kind === 'throttle') {
      const seconds = this.options.throttleRetryAfterSeconds ?? 1;
      return armError(429, 'TooManyRequests', `The request is being throttled as the limit has been reached for operation '${operation}' (sandbox fault injection). Please try again after '${seconds}' seconds.`, { 'Retry-After': String(seconds) });
    }
    if (decision?.kind === 'error') {
      return armError(500, 'InternalServerError', 'The service encountered an internal error (sandbox fault injection). Please retry the request.');
    }

    const apiVersion = url.searchParams.get('api-version');
    if (!apiVersion) return armError(400, 'MissingApiVersionParameter', "The api-version query parameter (?api-version=) is required for all requests. The sandbox supports '2018-06-01'.");
    if (apiVersion !== ADF_API_VERSION) {
      return armError(400, 'InvalidApiVersionParameter', `The api-version '${apiVersion}' is invalid. The supported versions are '${ADF_API_VERSION}'.`);
    }
    if (!/^Bearer\s+\S+/i.test(String(req.headers.authorization ?? ''))) {
      return armError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing or is not a Bearer token.");
    }

    const lower = segments.map((s) => s.toLowerCase());
    if (lower[0] !== 'subscriptions' || lower[2] !== 'resourcegroups' || lower[4] !== 'providers' || lower[5] !== 'microsoft.datafactory' || lower[6] !== 'factories' || segments.length < 8) {
      return armError(404, 'NotFound', `The ADF sandbox serves /subscriptions/{id}/resourceGroups/{rg}/providers/Microsoft.DataFactory/factories/{factory}/…; ${method} ${url.pathname} is not one of its routes.`);
    }
    const [, subscriptionId, , resourceGroup, , , , factoryName] = segments;
    const engine = this.engines.get(factoryKey(subscriptionId, resourceGroup, factoryName));
    if (!engine) {
      return armError(404, 'ResourceNotFound', `The Resource 'Microsoft.DataFactory/factories/${factoryName}' under resource group '${resourceGroup}' was not found. The sandbox serves: ${this.factories.map((f) => `${f.subscriptionId}/${f.resourceGroup}/${f.factoryName}`).join(', ') || 'no factories'}.`);
    }
    const rest = lower.slice(8);
    const restRaw = segments.slice(8);
    const action = armActionOf(method, rest);
    if (this.options.faults?.denies?.(action)) {
      // ARM's answer when the caller's role assignments lack the action (the sandbox's --faults deny=…).
      return armError(403, 'AuthorizationFailed', `The client 'bridge-sandbox' with object id '00000000-0000-0000-0000-000000000000' does not have authorization to perform action '${action}' over scope '/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.DataFactory/factories/${factoryName}' or the scope is invalid. If access was recently granted, please refresh your credentials.`);
    }

    if (rest.length === 0 && method === 'GET') return { status: 200, body: await this.factoryResource(engine) };
    if (rest[0] === 'pipelines') {
      if (rest.length === 1 && method === 'GET') {
        const repo = await engine.repo();
        return { status: 200, body: { value: [...repo.pipelines.values()].sort((a, b) => a.name.localeCompare(b.name)).map((p) => this.pipelineResource(engine.factory, p.name, p.json.properties)) } };
      }
      if (rest.length === 2 && method === 'GET') {
        const repo = await engine.repo();
        const p = repo.pipelines.get(restRaw[1]);
        if (!p) return armError(404, 'PipelineNotFound', `Pipeline '${restRaw[1]}' was not found in factory '${factoryName}' (pipelines: ${[...repo.pipelines.keys()].join(', ') || 'none'}).`);
        return { status: 200, body: this.pipelineResource(engine.factory, p.name, p.json.properties) };
      }
      if (rest.length === 3 && rest[2] === 'createrun' && method === 'POST') {
        const body = await this.readBody(req);
        if (body !== undefined && !isObject(body)) throw new ArmRequestError(400, 'BadRequest', 'The createRun body must be a JSON object of parameter values: { "name": value }.');
        const flag = (name: string) => /^true$/i.test(url.searchParams.get(name) ?? '');
        const run = await engine.createRun({
          pipelineName: restRaw[1],
          parameters: (body as Record<string, unknown>) ?? {},
          referencePipelineRunId: url.searchParams.get('referencePipelineRunId') ?? undefined,
          isRecovery: flag('isRecovery'),
          startActivityName: url.searchParams.get('startActivityName') ?? undefined,
          startFromFailure: flag('startFromFailure'),
        });
        return { status: 200, body: { runId: run.runId } };
      }
    }
    if (rest[0] === 'querypipelineruns' && rest.length === 1 && method === 'POST') {
      const q = parseRunFilter(await this.readBody(req), RUN_OPERANDS, RUN_ORDER);
      const rows: QueryRow<ArmPipelineRun>[] = [...engine.runs.values()].map((r) => this.runRow(engine, r));
      return { status: 200, body: runQuery(rows, q, this.pageSize, { orderBy: 'RunStart', order: 'ASC' }) };
    }
    if (rest[0] === 'pipelineruns' && rest.length >= 2) {
      const run = engine.runs.get(restRaw[1]);
      if (!run) return armError(404, 'PipelineRunNotFound', `Pipeline run '${restRaw[1]}' was not found in factory '${factoryName}'.`);
      if (rest.length === 2 && method === 'GET') return { status: 200, body: engine.toArmRun(run) };
      if (rest.length === 3 && rest[2] === 'cancel' && method === 'POST') {
        engine.cancel(run.runId, /^true$/i.test(url.searchParams.get('isRecursive') ?? ''));
        return { status: 200 };
      }
      if (rest.length === 3 && rest[2] === 'queryactivityruns' && method === 'POST') {
        const q = parseRunFilter(await this.readBody(req), ACTIVITY_OPERANDS, ACTIVITY_ORDER);
        const rows: QueryRow<ArmActivityRun>[] = engine.activityRunsOf(run).map(({ arm, lastUpdatedMs, startMs }) => ({
          item: arm,
          lastUpdatedMs,
          field: (name) => {
            switch (name) {
              case 'ActivityName':
                return arm.activityName;
              case 'ActivityType':
                return arm.activityType;
              case 'Status':
                return arm.status;
              case 'ActivityRunStart':
                return startMs;
              case 'ActivityRunEnd':
                return arm.activityRunEnd ? Date.parse(arm.activityRunEnd) : undefined;
              default:
                return undefined;
            }
          },
        }));
        return { status: 200, body: runQuery(rows, q, this.pageSize, { orderBy: 'ActivityRunStart', order: 'ASC' }) };
      }
    }
    return armError(404, 'NotFound', `The ADF sandbox does not emulate ${method} ${url.pathname}. It serves pipelines (list, get, createRun), pipelineruns (get, cancel, queryActivityruns) and queryPipelineRuns.`);
  }

  private runRow(engine: FactoryEngine, r: PipelineRunState): QueryRow<ArmPipelineRun> {
    return {
      item: engine.toArmRun(r),
      lastUpdatedMs: r.lastUpdatedMs,
      field: (name) => {
        switch (name) {
          case 'PipelineName':
            return r.pipeline.name;
          case 'Status':
            return r.status;
          case 'RunStart':
            return r.startMs;
          case 'RunEnd':
            return r.endMs;
          case 'RunGroupId':
            return r.runGroupId;
          case 'LatestOnly':
            return r.isLatest;
          case 'TriggerName':
            return r.invokedBy.name;
          default:
            return undefined;
        }
      },
    };
  }

  private factoryId(f: FactoryDefinition): string {
    return `/subscriptions/${f.subscriptionId}/resourceGroups/${f.resourceGroup}/providers/Microsoft.DataFactory/factories/${f.factoryName}`;
  }

  private pipelineResource(f: FactoryDefinition, name: string, properties: unknown): unknown {
    const text = JSON.stringify(properties);
    return {
      id: `${this.factoryId(f)}/pipelines/${name}`,
      name,
      type: 'Microsoft.DataFactory/factories/pipelines',
      properties,
      etag: createHash('sha1').update(text).digest('hex').slice(0, 32),
    };
  }

  private async factoryResource(engine: FactoryEngine): Promise<unknown> {
    const repo = await engine.repo();
    const f = engine.factory;
    return {
      id: this.factoryId(f),
      name: f.factoryName,
      type: 'Microsoft.DataFactory/factories',
      location: 'sandbox',
      properties: {
        provisioningState: 'Succeeded',
        version: ADF_API_VERSION,
        globalParameters: Object.fromEntries(Object.entries(repo.globalParameters).map(([k, v]) => [k, { type: typeOfGlobal(v), value: v }])),
      },
      eTag: createHash('sha1').update(f.repoRoot).digest('hex').slice(0, 32),
    };
  }
}

function typeOfGlobal(v: unknown): string {
  if (Array.isArray(v)) return 'Array';
  if (typeof v === 'boolean') return 'Bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'Int' : 'Float';
  if (typeof v === 'object' && v !== null) return 'Object';
  return 'String';
}

export interface RunningDataFactoryServer {
  /** https://127.0.0.1:PORT */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serves `service.handle` over HTTPS on 127.0.0.1 and tells the service its URL. */
export function startDataFactoryServer(service: DataFactoryService, tls: Pick<SandboxTls, 'key' | 'cert'>, port = 0, host = '127.0.0.1'): Promise<RunningDataFactoryServer> {
  const server = https.createServer({ key: tls.key, cert: tls.cert }, service.handle);
  const sockets = trackSockets(server);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const actual = (server.address() as AddressInfo).port;
      const url = `https://${host.includes(':') ? `[${host}]` : host}:${actual}`;
      service.setBaseUrl(url);
      resolve({
        url,
        port: actual,
        close: () =>
          new Promise<void>((r) => {
            service.cancelAll();
            server.close(() => r());
            for (const socket of sockets) socket.destroy();
          }),
      });
    });
  });
}

/** The Azure RBAC action of an ADF route (what a role assignment must allow). */
function armActionOf(method: string, rest: string[]): string {
  const base = 'Microsoft.DataFactory/factories';
  if (rest.length === 0) return `${base}/read`;
  if (rest[0] === 'pipelines') return rest[2] === 'createrun' ? `${base}/pipelines/createrun/action` : `${base}/pipelines/${method === 'GET' ? 'read' : 'write'}`;
  if (rest[0] === 'querypipelineruns') return `${base}/querypipelineruns/action`;
  if (rest[0] === 'pipelineruns') return rest[2] ? `${base}/pipelineruns/${rest[2]}/action` : `${base}/pipelineruns/read`;
  return `${base}/${rest[0]}/read`;
}
