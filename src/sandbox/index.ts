/**
 * The embedded sandbox: the Step Functions API (AWS JSON 1.0 over HTTP) and the ADF management
 * API (ARM over HTTPS with a certificate made at start) on loopback, running the workspace's own
 * ASL definitions and pipeline JSON, bridged as the configs say:
 *  - adf-to-sfn: a Web activity calling `gateway.url` goes through the API Gateway emulation and
 *    starts the state machine;
 *  - sfn-to-adf: an HTTP task calling the ADF createRun (or pipeline run) URL reaches the ADF side;
 *  - s3-to-sfn: `POST <stepFunctions>/_sandbox/s3-events` with an S3 "Object Created" event starts
 *    the state machines of the matching links.
 */
import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { readBridgeConfig, type BridgeConfigModel, type LinkModel } from '../core/config/model';
import { isArmUrl } from '../core/clouds';
import { expectedIssuer } from '../core/config/issuer';
import { findBridgeConfigs } from '../core/lint/engine';
import { nodeFileHost, readTextFileSync } from '../core/node-host';
import { jsonTextDepth, MAX_JSON_DEPTH, tooDeepMessage, trackSockets } from './http-input';
import { DataFactoryService, startDataFactoryServer, ArmRequestError, type FactoryDefinition, type DataFactoryRunEvent } from './datafactory';
import { FaultInjector } from './faults';
import { GatewayEmulator } from './gateway';
import { StepFunctionsService, TaskFailure, type HistoryEvent, type ExecutionRef, type SandboxStateMachine } from './stepfunctions/service';
import { createSandboxTls } from './tls';
import { SandboxTokenIssuer } from './token';
import { S3EventRouter } from './s3-events';
import { LOGS_TARGET_PREFIX, SandboxLogs } from './logs';
import { StsEmulator } from './sts';

export interface SandboxOptions {
  /** Folders or config files; folders are searched for bridge configs. */
  paths: string[];
  /** Port of the Step Functions endpoint; ADF listens on the next one. 0: free ports. */
  port?: number;
  host?: string;
  /** Fault spec, e.g. `throttle=0.2,error=0.05,latency=150ms`. */
  faults?: string;
  /** Factor for Wait states, retry intervals and ADF waits (0 < x ≤ 1). Default 0.01. */
  waitScale?: number;
  /** Where to write the CA certificate (default: a new temporary folder). */
  caPath?: string;
  /** Problems loading the workspace (a link without a definition, an unreadable file): never fatal. */
  onWarning?: (message: string) => void;
  onSfnEvent?: (event: HistoryEvent, execution: ExecutionRef) => void;
  onAdfEvent?: (event: DataFactoryRunEvent) => void;
}

export interface RunningSandbox {
  stepFunctions: string;
  dataFactory: string;
  caCertificate: string;
  caPem: string;
  sfn: StepFunctionsService;
  adf: DataFactoryService;
  logs: SandboxLogs;
  configs: BridgeConfigModel[];
  close(): Promise<void>;
}

export class SandboxStartError extends Error {}

export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const warn = options.onWarning ?? (() => undefined);
  const configPaths = await findBridgeConfigs(options.paths, nodeFileHost);
  if (configPaths.length === 0) {
    throw new SandboxStartError(`No bridge configs (*.bridge.jsonc, *.bridge.json) under ${options.paths.join(', ')}. Point the sandbox at your workspace folder.`);
  }
  const configs: BridgeConfigModel[] = [];
  for (const p of configPaths) {
    const read = readTextFileSync(p);
    if (!read.ok) warn(`${p} ${read.reason}; skipped.`);
    else configs.push(readBridgeConfig(p, read.text));
  }

  const stateMachines = await loadStateMachines(configs, warn);
  const factories = loadFactories(configs, warn);
  const faults = options.faults ? new FaultInjector(options.faults) : undefined;
  const waitScale = options.waitScale ?? 0.01;
  const host = options.host ?? '127.0.0.1';
  const tokens = new SandboxTokenIssuer();
  const tempDir = options.caPath ? undefined : await fs.mkdtemp(path.join(os.tmpdir(), 'bridge-sandbox-'));
  const caPath = options.caPath ?? path.join(tempDir!, 'sandbox-ca.pem');
  const tls = await createSandboxTls({ caPath });

  // The two services call each other through the bridge, so each is built before it is used.
  let adf: DataFactoryService | undefined;
  const sfn = new StepFunctionsService({
    stateMachines,
    waitScale,
    faults,
    onEvent: options.onSfnEvent,
    httpInvoke: (stateName, parameters) => invokeAdfFromTask(adf!, factories, stateName, parameters),
  });
  const logs = new SandboxLogs(faults);
  const gateway = new GatewayEmulator(sfn, tokens, Date.now, logs);
  for (const config of configs) for (const link of config.links) if (link.trigger === 'adf-to-sfn') gateway.addRoute(config, link);

  adf = new DataFactoryService({
    factories: [...factories.values()].map((f) => f.definition),
    waitScale,
    faults,
    trustedCaPem: tls.caPem,
    hooks: {
      callWeb: (request) => gateway.handle(request),
      getToken: async (resource, ctx) => {
        const factory = factories.get(factoryKey(ctx.factory));
        return tokens.issue({ aud: resource, iss: expectedIssuer(factory?.config.azure?.cloud ?? 'AzureCloud', factory?.config.azure?.tenantId ?? '00000000-0000-0000-0000-000000000000'), oid: factory?.principalId });
      },
      onEvent: options.onAdfEvent,
    },
  });

  const s3 = new S3EventRouter(sfn, configs);
  // Role chains reach the emulated STS through AWS_ENDPOINT_URL_STS=<stepFunctions URL>.
  const sts = new StsEmulator(faults);
  const sfnServer = http.createServer((req, res) => {
    if ((req.url ?? '').startsWith('/_sandbox/s3-events')) void s3.handle(req, res);
    // CloudWatch Logs (the gateway's access log) shares the endpoint, told apart by X-Amz-Target.
    else if (String(req.headers['x-amz-target'] ?? '').startsWith(LOGS_TARGET_PREFIX)) void logs.handle(req, res);
    else if (StsEmulator.accepts(req)) void sts.handle(req, res);
    else void sfn.handle(req, res);
  });
  const sockets = trackSockets(sfnServer);
  const sfnPort = await listen(sfnServer, options.port ?? 0, host);
  let adfServer;
  try {
    adfServer = await startDataFactoryServer(adf, tls, options.port ? options.port + 1 : 0, host);
  } catch (e) {
    sfnServer.close();
    if (tempDir) await fs.rm(tempDir, { recursive: true, force: true });
    throw e;
  }
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  return {
    stepFunctions: `http://${hostInUrl}:${sfnPort}`,
    dataFactory: adfServer.url,
    caCertificate: caPath,
    caPem: tls.caPem,
    sfn,
    adf,
    logs,
    configs,
    async close() {
      // Stop listening, then end every connection: server.close() alone waits for open ones, and a
      // client holding a half-sent request would keep the sandbox up forever.
      const sfnClosed = new Promise<void>((r) => sfnServer.close(() => r()));
      for (const socket of sockets) socket.destroy();
      try {
        await Promise.allSettled([adfServer.close(), sfnClosed, sfn.close()]);
      } finally {
        if (tempDir) await fs.rm(tempDir, { recursive: true, force: true });
      }
    },
  };
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'EADDRINUSE' ? new SandboxStartError(`Port ${port} on ${host} is in use: pick another with --port, or --port 0 for a free one.`) : e),
    );
    server.listen(port, host, () => resolve((server.address() as { port: number }).port));
  });
}

/** The state machines of all links, once per ARN, with their definition and mocks. */
async function loadStateMachines(configs: BridgeConfigModel[], warn: (m: string) => void): Promise<SandboxStateMachine[]> {
  const byArn = new Map<string, SandboxStateMachine>();
  for (const config of configs) {
    for (const link of config.links) {
      const arn = link.stateMachine?.arn;
      if (!arn || byArn.has(arn)) continue;
      if (!link.stateMachine?.definition) {
        warn(`link "${link.name}" (${path.basename(config.path)}): no stateMachine.definition, so the sandbox cannot run ${arn}. Add the ASL file's path.`);
        continue;
      }
      const definition = await readJson(link.stateMachine.definition, warn, `link "${link.name}": the ASL definition`);
      if (!definition) continue;
      const mockConfig = link.mocks ? await readJson(link.mocks, warn, `link "${link.name}": the mocks`) : undefined;
      byArn.set(arn, { arn, definition, roleArn: link.identity?.awsRoleArn, mockConfig, mockConfigPath: link.mocks });
    }
  }
  return [...byArn.values()];
}

interface LoadedFactory {
  definition: FactoryDefinition;
  config: BridgeConfigModel;
  principalId?: string;
}

function factoryKey(f: Pick<FactoryDefinition, 'subscriptionId' | 'resourceGroup' | 'factoryName'>): string {
  return `${f.subscriptionId}/${f.resourceGroup}/${f.factoryName}`.toLowerCase();
}

function loadFactories(configs: BridgeConfigModel[], warn: (m: string) => void): Map<string, LoadedFactory> {
  const out = new Map<string, LoadedFactory>();
  for (const config of configs) {
    const a = config.azure;
    if (!a) continue;
    if (!a.subscriptionId || !a.resourceGroup || !a.factory || !a.repoRoot) {
      warn(`${path.basename(config.path)}: azure needs subscriptionId, resourceGroup, factory and repoRoot for the sandbox to serve the factory.`);
      continue;
    }
    const definition = { subscriptionId: a.subscriptionId, resourceGroup: a.resourceGroup, factoryName: a.factory, repoRoot: a.repoRoot };
    const key = factoryKey(definition);
    if (!out.has(key)) {
      const principalId = config.links.find((l) => l.identity?.azurePrincipalId)?.identity?.azurePrincipalId;
      out.set(key, { definition, config, principalId });
    }
  }
  return out;
}

async function readJson(file: string, warn: (m: string) => void, what: string): Promise<object | undefined> {
  const read = readTextFileSync(file);
  if (!read.ok) {
    warn(`${what} ${file} ${read.reason}; skipped.`);
    return undefined;
  }
  if (jsonTextDepth(read.text) > MAX_JSON_DEPTH) {
    warn(`${what} ${file}: ${tooDeepMessage('it')} Skipped.`);
    return undefined;
  }
  try {
    const value = JSON.parse(read.text);
    if (typeof value === 'object' && value !== null) return value;
    warn(`${what} ${file} is not a JSON object; skipped.`);
  } catch (e) {
    warn(`${what} ${file} is not valid JSON (${(e as Error).message}); skipped. Run "bridge lint" for the exact place.`);
  }
  return undefined;
}

const CREATE_RUN = /\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.DataFactory\/factories\/([^/]+)\/pipelines\/([^/?]+)\/createRun(\?|$)/i;
const GET_RUN = /\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.DataFactory\/factories\/([^/]+)\/pipelineruns\/([^/?]+)(\?|$)/i;

/**
 * sfn-to-adf: an HTTP task (`arn:aws:states:::http:invoke`) whose ApiEndpoint is the ADF createRun
 * or pipeline-run URL of a served factory is answered by the ADF sandbox, as the real call would be.
 * Anything else falls back to the mocks.
 */
async function invokeAdfFromTask(adf: DataFactoryService, factories: Map<string, LoadedFactory>, stateName: string, parameters: unknown): Promise<unknown> {
  const p = (parameters ?? {}) as { ApiEndpoint?: string; Method?: string; RequestBody?: unknown; QueryParameters?: Record<string, string> };
  if (typeof p.ApiEndpoint !== 'string' || !isArmUrl(p.ApiEndpoint)) return undefined;
  const create = CREATE_RUN.exec(p.ApiEndpoint);
  const get = GET_RUN.exec(p.ApiEndpoint);
  const match = create ?? get;
  if (!match) return undefined;
  const factory = factories.get(factoryKey({ subscriptionId: match[1], resourceGroup: match[2], factoryName: match[3] }));
  if (!factory) {
    throw new TaskFailure('States.Http.StatusCode.404', `State "${stateName}" calls factory ${match[3]} in resource group ${match[2]}, which no bridge config of this workspace declares.`);
  }
  try {
    if (create) {
      if ((p.Method ?? 'POST').toUpperCase() !== 'POST') throw new TaskFailure('States.Http.StatusCode.405', 'createRun takes POST.');
      const body = typeof p.RequestBody === 'string' ? JSON.parse(p.RequestBody) : (p.RequestBody ?? {});
      const runId = await adf.createRun(factory.definition, decodeURIComponent(match[4]), body as Record<string, unknown>);
      return httpResult(200, { runId });
    }
    const engine = adf.engine(factory.definition);
    const run = engine?.runs.get(decodeURIComponent(match[4]));
    if (!engine || !run) throw new ArmRequestError(404, 'PipelineRunNotFound', `Pipeline run ${match[4]} does not exist.`);
    return httpResult(200, engine.toArmRun(run));
  } catch (e) {
    if (e instanceof ArmRequestError) throw new TaskFailure(`States.Http.StatusCode.${e.status}`, JSON.stringify({ error: { code: e.code, message: e.message } }));
    if (e instanceof SyntaxError) throw new TaskFailure('States.Http.StatusCode.400', `The RequestBody of state "${stateName}" is not JSON.`);
    throw e;
  }
}

function httpResult(status: number, body: unknown) {
  return { StatusCode: status, StatusText: status === 200 ? 'OK' : String(status), Headers: { 'content-type': ['application/json'] }, ResponseBody: body };
}

export type { LinkModel };
export { FaultSpecError, parseFaultSpec } from './faults';
