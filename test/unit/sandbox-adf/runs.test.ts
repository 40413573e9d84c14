import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { ActivityRun } from '@azure/arm-datafactory';
import { startSandbox, waitForRun, until, activityQueryWindow, RESOURCE_GROUP, FACTORY, SUBSCRIPTION, type Sandbox } from './helpers';
import type { DataFactoryRunEvent, WebCallRequest } from '../../../src/sandbox/datafactory';

const FACTORY_REF = { subscriptionId: SUBSCRIPTION, resourceGroup: RESOURCE_GROUP, factoryName: FACTORY };

async function activities(sb: Sandbox, runId: string): Promise<ActivityRun[]> {
  return (await sb.client.activityRuns.queryByPipelineRun(RESOURCE_GROUP, FACTORY, runId, activityQueryWindow())).value;
}

function only(runs: ActivityRun[], name: string): ActivityRun {
  const hits = runs.filter((r) => r.activityName === name);
  assert.equal(hits.length, 1, `expected one activity run of ${name}, got ${hits.length}`);
  return hits[0];
}

function returnValue(sb: Sandbox, runId: string): Record<string, unknown> | undefined {
  return sb.service.engine(FACTORY_REF)!.runs.get(runId)!.returnValue;
}

async function run(sb: Sandbox, pipeline: string, parameters: Record<string, unknown> = {}) {
  const { runId } = await sb.client.pipelines.createRun(RESOURCE_GROUP, FACTORY, pipeline, { parameters });
  return { runId, run: await waitForRun(sb, runId), activities: await activities(sb, runId) };
}

describe('ADF sandbox: runs execute the pipeline JSON', () => {
  let sb: Sandbox;
  const webCalls: WebCallRequest[] = [];
  const events: DataFactoryRunEvent[] = [];
  const tokenResources: string[] = [];
  let webHookCalls: WebCallRequest[] = [];

  before(async () => {
    sb = await startSandbox({
      hooks: {
        callWeb: async (req) => {
          if (req.url === 'https://orders.example.com/api/ingest') {
            webCalls.push(req);
            return { status: 200, headers: { 'x-request-id': 'req-1' }, body: { jobId: `job-${webCalls.length}`, accepted: true } };
          }
          if (req.url === 'https://orders.example.com/api/reject') return { status: 503, body: 'maintenance window' };
          if (req.url === 'https://approvals.example.com/api/requests') {
            webHookCalls.push(req);
            return { status: 202, body: '' };
          }
          return undefined;
        },
        getToken: async (resource) => {
          tokenResources.push(resource);
          return `sandbox-token-for-${resource}`;
        },
        onEvent: (e) => events.push(e),
      },
    });
  });
  after(() => sb.close());

  it('runs SetVariable and a WebActivity with evaluated url, headers, body and an MSI token', async () => {
    const { runId, run: r, activities: acts } = await run(sb, 'IngestOrders', { correlationId: 'corr-42', batchSize: 7 });
    assert.equal(r.status, 'Succeeded', r.message);
    assert.equal(only(acts, 'SetRequestLabel').output.value, 'dev-eu-west-1-7');
    const call = webCalls.at(-1)!;
    assert.equal(call.method, 'POST');
    assert.equal(call.pipelineRunId, runId);
    assert.equal(call.activityName, 'PostOrders');
    assert.deepEqual(call.body, { label: 'dev-eu-west-1-7', correlationId: 'corr-42', runId });
    assert.equal(call.headers['x-correlation-id'], 'corr-42');
    assert.equal(call.headers.Authorization, 'Bearer sandbox-token-for-api://orders-ingest');
    assert.deepEqual(tokenResources.at(-1), 'api://orders-ingest');
    const post = only(acts, 'PostOrders');
    assert.equal(post.activityType, 'WebActivity');
    assert.equal(post.status, 'Succeeded');
    assert.equal(post.output.jobId, `job-${webCalls.length}`);
    assert.equal(post.output.ADFWebActivityResponseHeaders['x-request-id'], 'req-1');
    assert.equal(post.input.url, 'https://orders.example.com/api/ingest');
    assert.equal(post.input.authentication.type, 'MSI');
    assert.equal(post.input.headers.Authorization, undefined, 'the token is not logged in the activity input');
    assert.deepEqual(returnValue(sb, runId), { jobId: `job-${webCalls.length}` });
    // Events follow the run through its statuses.
    const statuses = events.filter((e) => e.type === 'pipelineRun' && e.run.runId === runId).map((e) => (e.type === 'pipelineRun' ? e.run.status : ''));
    assert.deepEqual(statuses, ['Queued', 'InProgress', 'Succeeded']);
  });

  it('fails a WebActivity on an HTTP error status with the response in the message', async () => {
    const { run: r, activities: acts } = await run(sb, 'IngestOrders', { correlationId: 'c', apiUrl: 'https://orders.example.com/api/reject' });
    assert.equal(r.status, 'Failed');
    const post = only(acts, 'PostOrders');
    assert.equal(post.error.errorCode, '2108');
    assert.match(post.error.message, /503.*maintenance window/);
    assert.ok(!acts.some((a) => a.activityName === 'ReturnJobId'), 'ReturnJobId depends on PostOrders succeeding: skipped');
  });

  it('fails a WebActivity to an outside URL with a clear message (no outside network)', async () => {
    const { run: r, activities: acts } = await run(sb, 'IngestOrders', { correlationId: 'c', apiUrl: 'https://unreachable.example.net/x' });
    assert.equal(r.status, 'Failed');
    assert.match(only(acts, 'PostOrders').error.message, /no outside network.*\*\.sandbox\.json/);
    assert.match(r.message!, /Operation on target PostOrders failed/);
  });

  it('calls loopback URLs for real, without Authorization when no token hook is set', async () => {
    const seen: { headers: http.IncomingHttpHeaders; body: string }[] = [];
    const local = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ headers: req.headers, body });
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ jobId: 'local-7' }));
      });
    });
    await new Promise<void>((r) => local.listen(0, '127.0.0.1', r));
    const plain = await startSandbox();
    try {
      const url = `http://127.0.0.1:${(local.address() as AddressInfo).port}/ingest`;
      const { runId, run: r } = await run(plain, 'IngestOrders', { correlationId: 'loop-1', apiUrl: url });
      assert.equal(r.status, 'Succeeded', r.message);
      assert.equal(seen.length, 1);
      assert.equal(seen[0].headers['x-correlation-id'], 'loop-1');
      assert.equal(seen[0].headers.authorization, undefined);
      assert.equal(JSON.parse(seen[0].body).runId, runId);
      assert.deepEqual(returnValue(plain, runId), { jobId: 'local-7' });
    } finally {
      await plain.close();
      await new Promise<void>((r) => local.close(() => r()));
    }
  });

  it('runs an IfCondition into a Fail activity: the run fails with the evaluated message', async () => {
    const { run: r, activities: acts } = await run(sb, 'ValidateBatch', { batchId: 'B-17', rowCount: 0 });
    assert.equal(r.status, 'Failed');
    assert.match(r.message!, /Batch B-17 is empty/);
    const fail = only(acts, 'RejectEmptyBatch');
    assert.equal(fail.status, 'Failed');
    assert.equal(fail.error.errorCode, 'EMPTY_BATCH');
    assert.equal(fail.error.message, 'Batch B-17 is empty');
    assert.equal(fail.error.failureType, 'UserError');
    assert.equal(only(acts, 'CheckRowCount').status, 'Failed');
    assert.ok(!acts.some((a) => a.activityName === 'MarkValid'));
  });

  it('takes the true branch when the condition holds', async () => {
    const { run: r, activities: acts } = await run(sb, 'ValidateBatch', { batchId: 'B-18', rowCount: 12 });
    assert.equal(r.status, 'Succeeded');
    assert.equal(only(acts, 'MarkValid').output.value, 'valid');
    assert.ok(!acts.some((a) => a.activityName === 'RejectEmptyBatch'));
  });

  it('runs ForEach batched (at most batchCount at once) and sequential (in order), then Filter', async () => {
    const files = ['a.csv', 'b.json', 'c.csv', 'd.csv', 'e.parquet', 'f.csv'];
    const live = new Map<string, number>();
    const peak = new Map<string, number>();
    const onEvent = (e: DataFactoryRunEvent) => {
      if (e.type !== 'activityRun' || !['SimulateWork', 'SimulateOrderedWork'].includes(e.activityRun.activityName)) return;
      const n = e.activityRun.activityName;
      const now = (live.get(n) ?? 0) + (e.activityRun.status === 'InProgress' ? 1 : -1);
      live.set(n, now);
      peak.set(n, Math.max(peak.get(n) ?? 0, now));
    };
    const counting = await startSandbox({ hooks: { onEvent } });
    try {
      const { runId, run: r, activities: acts } = await run(counting, 'ProcessFiles', { files });
      assert.equal(r.status, 'Succeeded', r.message);
      assert.equal(peak.get('SimulateWork'), 2, 'batchCount 2: two iterations at a time');
      assert.equal(peak.get('SimulateOrderedWork'), 1, 'isSequential: one iteration at a time');
      assert.equal(acts.filter((a) => a.activityName === 'SimulateWork').length, files.length);
      const rv = returnValue(counting, runId)!;
      assert.deepEqual([...(rv.processed as string[])].sort(), files.map((f) => f.toUpperCase()).sort());
      assert.deepEqual(rv.ordered, files);
      assert.deepEqual(rv.csvFiles, ['a.csv', 'c.csv', 'd.csv', 'f.csv']);
      const filter = only(acts, 'KeepCsv');
      assert.equal(filter.output.ItemsCount, 6);
      assert.equal(filter.output.FilteredItemsCount, 4);
    } finally {
      await counting.close();
    }
  });

  it('loops Until its expression holds', async () => {
    const { run: r, activities: acts } = await run(sb, 'PollUntilReady', { attempts: 4 });
    assert.equal(r.status, 'Succeeded', r.message);
    assert.deepEqual(acts.filter((a) => a.activityName === 'StoreAttempt').map((a) => a.output.value), ['1', '2', '3', '4']);
  });

  it('fails an Until that reaches its timeout', async () => {
    const { run: r, activities: acts } = await run(sb, 'PollUntilReady', { attempts: 1_000_000, timeout: '00:00:20' });
    assert.equal(r.status, 'Failed');
    assert.match(only(acts, 'UntilThreeAttempts').error.message, /timed out after 00:00:20/);
  });

  it('routes a Switch to the matching case and to the default case', async () => {
    const full = await run(sb, 'RouteByMode', { mode: 'FULL' });
    assert.equal(full.run.status, 'Succeeded');
    assert.deepEqual(returnValue(sb, full.runId), { route: 'full-load' });
    const delta = await run(sb, 'RouteByMode');
    assert.deepEqual(returnValue(sb, delta.runId), { route: 'delta-load' });
    const other = await run(sb, 'RouteByMode', { mode: 'sideways' });
    assert.equal(other.run.status, 'Failed');
    assert.equal(only(other.activities, 'UnknownMode').error.message, 'Unknown mode: sideways');
    assert.equal(only(other.activities, 'UnknownMode').error.errorCode, '400');
  });

  it('runs ExecutePipeline as a child run that waits and returns its pipelineReturnValue', async () => {
    const { runId, run: r, activities: acts } = await run(sb, 'RunGreeting', { who: 'Ada' });
    assert.equal(r.status, 'Succeeded', r.message);
    const call = only(acts, 'CallGreeting');
    const childId = call.output.pipelineRunId as string;
    assert.deepEqual(returnValue(sb, runId), { greeting: 'Hello, Ada from RunGreeting', childRunId: childId });
    const child = await sb.client.pipelineRuns.get(RESOURCE_GROUP, FACTORY, childId);
    assert.equal(child.pipelineName, 'Greeting');
    assert.equal(child.status, 'Succeeded');
    assert.equal(child.parameters?.who, 'Ada');
    assert.equal(child.invokedBy?.invokedByType, 'PipelineActivity');
    assert.equal(child.invokedBy?.pipelineRunId, runId);
    assert.equal(child.invokedBy?.pipelineName, 'RunGreeting');
    assert.ok(!(await activities(sb, runId)).some((a) => a.activityName === 'ReturnGreeting'), 'child activities belong to the child run');
    assert.equal(only(await activities(sb, childId), 'ReturnGreeting').status, 'Succeeded');
  });

  it('applies the leaf rule: a handled failure succeeds, a skipped success path fails the run', async () => {
    const tryCatch = await run(sb, 'CopyWithFallback');
    assert.equal(tryCatch.run.status, 'Succeeded', tryCatch.run.message);
    const copies = tryCatch.activities.filter((a) => a.activityName === 'CopySales');
    assert.deepEqual(copies.map((c) => c.retryAttempt ?? null), [null, 1], 'policy.retry 1: a second attempt');
    assert.ok(copies.every((c) => c.status === 'Failed' && c.error.errorCode === '2200'));
    assert.match(only(tryCatch.activities, 'LogFailure').output.value, /Cannot connect to SQL Database/);
    assert.ok(!tryCatch.activities.some((a) => a.activityName === 'PublishReport'), 'skipped activities do not run');
    assert.equal(only(tryCatch.activities, 'Cleanup').status, 'Succeeded', 'a Skipped dependency condition fires');

    const ifElse = await run(sb, 'CopyIfElse');
    assert.equal(ifElse.run.status, 'Failed');
    assert.match(ifElse.run.message!, /Operation on target CopySales failed/);
    assert.equal(only(ifElse.activities, 'LogFailure').status, 'Succeeded');
  });

  it('completes a WebHook when the callee POSTs to its callBackUri', async () => {
    webHookCalls = [];
    const { runId } = await sb.client.pipelines.createRun(RESOURCE_GROUP, FACTORY, 'AwaitApproval', { parameters: { ticket: 'CHG-7' } });
    const call = await until('the WebHook call', () => webHookCalls[0]);
    assert.equal(call.activityType, 'WebHook');
    assert.ok(call.callBackUri?.startsWith(`${sb.server.url}/workflow/callback/`));
    assert.deepEqual(call.body, { requestId: runId, ticket: 'CHG-7', callBackUri: call.callBackUri });
    assert.equal((await sb.client.pipelineRuns.get(RESOURCE_GROUP, FACTORY, runId)).status, 'InProgress');
    const status = await new Promise<number>((resolve, reject) => {
      const req = https.request(call.callBackUri!, { method: 'POST', ca: sb.tls.caPem, headers: { 'Content-Type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(JSON.stringify({ approvedBy: 'grace@example.com', StatusCode: '200' }));
    });
    assert.equal(status, 200);
    const r = await waitForRun(sb, runId);
    assert.equal(r.status, 'Succeeded', r.message);
    assert.deepEqual(returnValue(sb, runId), { approvedBy: 'grace@example.com' });
    assert.equal(only(await activities(sb, runId), 'RequestApproval').output.approvedBy, 'grace@example.com');
  });

  it('fails a WebHook whose callback reports an error (reportStatusOnCallBack)', async () => {
    webHookCalls = [];
    const { runId } = await sb.client.pipelines.createRun(RESOURCE_GROUP, FACTORY, 'AwaitApproval');
    const call = await until('the WebHook call', () => webHookCalls[0]);
    assert.equal(sb.service.completeCallback(call.callBackUri!, { Error: { ErrorCode: 'Rejected', Message: 'change board said no' }, StatusCode: '403' }), true);
    const r = await waitForRun(sb, runId);
    assert.equal(r.status, 'Failed');
    const hook = only(await activities(sb, runId), 'RequestApproval');
    assert.equal(hook.error.errorCode, 'Rejected');
    assert.equal(hook.error.message, 'change board said no');
  });

  it('fails a WebHook that gets no callback within its timeout', async () => {
    const { run: r, activities: acts } = await run(sb, 'AwaitApproval', { approvalTimeout: '00:00:30' });
    assert.equal(r.status, 'Failed');
    assert.match(only(acts, 'RequestApproval').error.message, /timed out after 00:00:30/);
    assert.ok(!acts.some((a) => a.activityName === 'RecordDecision'));
  });

  it('cancels a run in progress', async () => {
    const { runId } = await sb.client.pipelines.createRun(RESOURCE_GROUP, FACTORY, 'LongRunning');
    await until('the Wait to start', async () => ((await activities(sb, runId)).some((a) => a.activityName === 'WaitADay' && a.status === 'InProgress') ? true : undefined));
    await sb.client.pipelineRuns.cancel(RESOURCE_GROUP, FACTORY, runId, { isRecursive: true });
    const r = await waitForRun(sb, runId);
    assert.equal(r.status, 'Cancelled');
    const acts = await activities(sb, runId);
    assert.equal(only(acts, 'WaitADay').status, 'Cancelled');
    assert.ok(!acts.some((a) => a.activityName === 'AfterWait'));
  });
});
