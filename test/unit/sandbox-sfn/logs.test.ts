/** The sandbox's CloudWatch Logs with the real SDK client: the gateway's access log, FilterLogEvents. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { CloudWatchLogsClient, FilterLogEventsCommand, ResourceNotFoundException } from '@aws-sdk/client-cloudwatch-logs';
import { SandboxLogs, LOGS_TARGET_PREFIX } from '../../../src/sandbox/logs';

describe('sandbox CloudWatch Logs: FilterLogEvents', () => {
  let server: http.Server;
  let logs: SandboxLogs;
  let client: CloudWatchLogsClient;
  let url: string;
  before(async () => {
    logs = new SandboxLogs();
    server = http.createServer((req, res) => void logs.handle(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    client = new CloudWatchLogsClient({ region: 'eu-west-1', endpoint: url, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    for (let i = 0; i < 250; i++) logs.put('/aws/apigateway/g', 'prod', JSON.stringify({ requestId: `req-${String(i).padStart(4, '0')}`, status: 200 }), 1_000 + i);
  });
  after(() => server.close());

  it('finds entries by quoted terms (? for any of them), in a time range, page by page', async () => {
    const one = await client.send(new FilterLogEventsCommand({ logGroupName: '/aws/apigateway/g', filterPattern: '?"req-0007" ?"req-0042"' }));
    assert.deepEqual(one.events!.map((e) => JSON.parse(e.message!).requestId), ['req-0007', 'req-0042']);
    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(new FilterLogEventsCommand({ logGroupName: '/aws/apigateway/g', startTime: 1_100, nextToken }));
      seen.push(...page.events!.map((e) => JSON.parse(e.message!).requestId));
      nextToken = page.nextToken;
    } while (nextToken);
    assert.equal(seen.length, 150);
    assert.equal(seen[0], 'req-0100');
  });

  it('an unknown group is ResourceNotFoundException; an unknown operation (even "constructor") is refused', async () => {
    await assert.rejects(client.send(new FilterLogEventsCommand({ logGroupName: '/nope' })), (e: unknown) => e instanceof ResourceNotFoundException);
    for (const op of ['constructor', '__proto__', 'toString', 'PutLogEvents']) {
      const res = await fetch(url, { method: 'POST', headers: { 'x-amz-target': `${LOGS_TARGET_PREFIX}${op}`, 'content-type': 'application/x-amz-json-1.1' }, body: '{}' });
      assert.equal(res.status, 400, op);
      assert.equal(((await res.json()) as { __type: string }).__type, 'UnknownOperationException');
    }
  });
});
