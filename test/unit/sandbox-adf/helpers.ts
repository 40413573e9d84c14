/** Shared set-up for the ADF sandbox tests: a real HTTPS server and the real Azure SDK client. */
import { existsSync, mkdtempSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DataFactoryManagementClient, type PipelineRun } from '@azure/arm-datafactory';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { createSandboxTls, type SandboxTls } from '../../../src/sandbox/tls';
import { DataFactoryService, startDataFactoryServer, type DataFactoryServiceOptions, type RunningDataFactoryServer } from '../../../src/sandbox/datafactory';

function findProjectRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`No package.json above ${__dirname}`);
    dir = up;
  }
  return dir;
}

export const FIXTURE_REPO = join(findProjectRoot(), 'test', 'fixtures', 'adf', 'repo');
export const SUBSCRIPTION = '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0';
export const RESOURCE_GROUP = 'rg-sandbox-tests';
export const FACTORY = 'adf-sandbox-test';

let tlsPromise: Promise<SandboxTls> | undefined;
/** One CA per test process (generating keys is the slow part). */
export function sharedTls(): Promise<SandboxTls> {
  tlsPromise ??= createSandboxTls({ caPath: join(mkdtempSync(join(tmpdir(), 'adf-sandbox-')), 'ca.pem') });
  return tlsPromise;
}

/** A credential that hands out a token made up at run time; the sandbox accepts any bearer token. */
export class FakeCredential implements TokenCredential {
  readonly scopes: string[] = [];
  async getToken(scopes: string | string[]): Promise<AccessToken> {
    this.scopes.push(...(Array.isArray(scopes) ? scopes : [scopes]));
    return { token: ['sandbox', randomUUID(), randomUUID()].join('.'), expiresOnTimestamp: Date.now() + 3_600_000 };
  }
}

export interface Sandbox {
  service: DataFactoryService;
  server: RunningDataFactoryServer;
  client: DataFactoryManagementClient;
  credential: FakeCredential;
  tls: SandboxTls;
  close(): Promise<void>;
}

export async function startSandbox(options: Partial<DataFactoryServiceOptions> = {}): Promise<Sandbox> {
  const tls = await sharedTls();
  const service = new DataFactoryService({
    factories: [{ subscriptionId: SUBSCRIPTION, resourceGroup: RESOURCE_GROUP, factoryName: FACTORY, repoRoot: FIXTURE_REPO }],
    waitScale: 0.001,
    trustedCaPem: tls.caPem,
    ...options,
  });
  const server = await startDataFactoryServer(service, tls);
  const credential = new FakeCredential();
  const client = new DataFactoryManagementClient(credential, SUBSCRIPTION, {
    endpoint: server.url,
    $host: server.url,
    // Trust the sandbox CA only; certificate checks stay on.
    tlsOptions: { ca: tls.caPem },
    retryOptions: { retryDelayInMs: 20, maxRetryDelayInMs: 100, maxRetries: 3 },
  } as ConstructorParameters<typeof DataFactoryManagementClient>[2]);
  return {
    service,
    server,
    client,
    credential,
    tls,
    close: async () => {
      await server.close();
      await service.idle();
    },
  };
}

const TERMINAL = new Set(['Succeeded', 'Failed', 'Cancelled']);

/** Polls pipelineRuns.get until the run is finished (bounded by time, not a fixed sleep). */
export async function waitForRun(sb: Sandbox, runId: string, timeoutMs = 15_000): Promise<PipelineRun> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await sb.client.pipelineRuns.get(RESOURCE_GROUP, FACTORY, runId);
    if (TERMINAL.has(run.status ?? '')) return run;
    if (Date.now() > deadline) throw new Error(`Run ${runId} still ${run.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Polls until `check` returns a value (not undefined), bounded. */
export async function until<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function activityQueryWindow(): { lastUpdatedAfter: Date; lastUpdatedBefore: Date } {
  return { lastUpdatedAfter: new Date(Date.now() - 3_600_000), lastUpdatedBefore: new Date(Date.now() + 3_600_000) };
}

/** A raw HTTPS request to the sandbox (for wire details the SDK hides), trusting its CA only. */
export function rawRequest(sb: Sandbox, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: any }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(`${sb.server.url}${path}`, { method, ca: sb.tls.caPem, headers: { ...(payload ? { 'Content-Type': 'application/json' } : {}), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : undefined });
      });
    });
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}
