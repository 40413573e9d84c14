/** Shared fixtures: a sandbox on a loopback port and a real @aws-sdk/client-sfn client for it. */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DescribeExecutionCommand, SFNClient, type DescribeExecutionCommandOutput } from '@aws-sdk/client-sfn';
import { StepFunctionsService, type StepFunctionsServiceOptions } from '../../../src/sandbox/stepfunctions/service';

export const REGION = 'eu-west-1';
export const ACCOUNT = '123456789012';
export const smArn = (name: string) => `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${name}`;

export interface Sandbox {
  service: StepFunctionsService;
  client: SFNClient;
  url: string;
  /** Requests the server received (method + target), in order. */
  requests: string[];
  /** Status codes the server answered, in order. */
  statuses: number[];
  close(): Promise<void>;
}

/** Credentials made up at run time: the sandbox accepts any signature. */
function fakeCredentials() {
  return { accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`, secretAccessKey: randomBytes(20).toString('base64'), sessionToken: randomBytes(16).toString('hex') };
}

export async function startSandbox(options: StepFunctionsServiceOptions, clientOptions: { maxAttempts?: number } = {}): Promise<Sandbox> {
  const service = new StepFunctionsService(options);
  const requests: string[] = [];
  const statuses: number[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${String(req.headers['x-amz-target'])}`);
    res.on('finish', () => statuses.push(res.statusCode));
    void service.handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const client = new SFNClient({ endpoint: url, region: REGION, credentials: fakeCredentials(), maxAttempts: clientOptions.maxAttempts ?? 3 });
  return {
    service,
    client,
    url,
    requests,
    statuses,
    async close() {
      client.destroy();
      await service.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Polls DescribeExecution until `until` holds; fails after `timeoutMs` (bounded, never a fixed sleep). */
export async function pollExecution(
  client: SFNClient,
  executionArn: string,
  until: (d: DescribeExecutionCommandOutput) => boolean = (d) => d.status !== 'RUNNING',
  timeoutMs = 10_000,
): Promise<DescribeExecutionCommandOutput> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const d = await client.send(new DescribeExecutionCommand({ executionArn }));
    if (until(d)) return d;
    if (Date.now() > deadline) throw new Error(`Execution ${executionArn} did not reach the expected state within ${timeoutMs} ms (last status ${String(d.status)}).`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

/** Events as [id, previousEventId, type] triples, the shape the assertions compare. */
export function chain(events: { id?: number; previousEventId?: number; type?: string }[]): [number, number, string][] {
  return events.map((e) => [e.id ?? -1, e.previousEventId ?? -1, e.type ?? '?']);
}
