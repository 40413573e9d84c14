/**
 * `bridge run --sandbox-endpoints … --format jsonl` against a running `bridge sandbox`, compared
 * with what the sandbox's APIs return through the real SDK clients: every history event and every
 * activity run exactly once, in time order, the correlation id on every line, the summary right;
 * the same under injected faults.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { GetExecutionHistoryCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import type { ActivityRun } from '@azure/arm-datafactory';
import { createDataFactoryClient, createStepFunctionsClient, startRun, type CallCounts } from '../../../src/cloud/index';
import { readBridgeConfig } from '../../../src/core/config/model';
import type { RunEvent, RunLine, RunSummaryLine } from '../../../src/core/run/events';
import { bridge } from '../cli/support';
import { ROOT, SAMPLES, startSandboxProcess, type SandboxProcess } from './harness';

const WORKSPACE = path.join(ROOT, 'test', 'fixtures', 'run-stream');
const CONFIG = path.join(WORKSPACE, 'stream.bridge.jsonc');
const ENV = { AWS_EC2_METADATA_DISABLED: 'true' };

function parseJsonl(stdout: string): RunLine[] {
  return stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as RunLine); // throws on anything that is not one JSON object a line
}

async function apiTruth(sb: SandboxProcess, summary: RunSummaryLine) {
  const config = readBridgeConfig(CONFIG, readFileSync(CONFIG, 'utf8'));
  const sandbox = { stepFunctions: sb.stepFunctions, dataFactory: sb.dataFactory, caPem: sb.caPem };
  const sfn = createStepFunctionsClient({ region: 'eu-west-1', sandbox, maxAttempts: 20 });
  const adf = createDataFactoryClient({ subscriptionId: config.azure!.subscriptionId!, cloud: 'AzureCloud', sandbox });
  const history: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn: summary.executionArn, maxResults: 1000, nextToken }));
    history.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  const window = { lastUpdatedAfter: new Date(Date.now() - 3600_000), lastUpdatedBefore: new Date(Date.now() + 3600_000) };
  const activities = async (runId: string) => {
    const out: ActivityRun[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await adf.activityRuns.queryByPipelineRun('rg-stream', 'adf-stream', runId, { ...window, continuationToken });
      out.push(...page.value);
      continuationToken = page.continuationToken;
    } while (continuationToken);
    return out;
  };
  const root = await activities(summary.pipelineRunId!);
  const childRunId = (root.find((a) => a.activityType === 'ExecutePipeline')!.output as { pipelineRunId: string }).pipelineRunId;
  const child = await activities(childRunId);
  return { history, activities: [...root, ...child], childRunId, web: root.find((a) => a.activityType === 'WebActivity')! };
}

function checkStream(lines: RunLine[]) {
  assert.equal(lines[0].type, 'run');
  assert.equal(lines[lines.length - 1].type, 'summary');
  const events = lines.slice(1, -1) as RunEvent[];
  assert.ok(events.every((e) => e.type === 'event'), 'one run line, its events, one summary line');
  const correlationId = lines[0].correlationId;
  assert.ok(lines.every((l) => l.correlationId === correlationId), 'the correlation id on every line');
  const summary = lines[lines.length - 1] as RunSummaryLine;
  assert.equal(summary.events, events.length);
  const keys = events.map((e) => `${e.source} ${e.id}`);
  assert.equal(new Set(keys).size, keys.length, 'each (source, id) once');
  for (const e of events) assert.match(e.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  let last = '';
  for (const e of events) {
    if (e.late) continue;
    assert.ok(e.time >= last, `${e.source} ${e.kind} ${e.name ?? ''} at ${e.time} after ${last}`);
    last = e.time;
  }
  return { events, summary };
}

async function compareWithApis(sb: SandboxProcess, stdout: string) {
  const { events, summary } = checkStream(parseJsonl(stdout));
  assert.equal(summary.status, 'Succeeded', summary.reason);
  const truth = await apiTruth(sb, summary);
  assert.ok(truth.history.length > 1000, `a long history (${truth.history.length} events)`);
  assert.ok(truth.activities.length > 150, `many activity runs (${truth.activities.length})`);
  const sfnIds = events.filter((e) => e.source === 'sfn').map((e) => e.eventId);
  assert.deepEqual(sfnIds, truth.history.map((e) => e.id), 'every history event, once, in order');
  for (const a of truth.activities) {
    const mine = events.filter((e) => e.activityRunId === a.activityRunId);
    assert.deepEqual(mine.map((e) => e.status), ['InProgress', a.status], `activity run ${a.activityName} ${a.activityRunId}`);
    assert.equal(mine[0].pipelineRunId, a.pipelineRunId);
  }
  assert.equal(events.filter((e) => e.kind === 'activity').length, truth.activities.length * 2);
  assert.ok(events.some((e) => e.kind === 'pipeline' && e.pipelineRunId === truth.childRunId && e.status === 'Succeeded'), 'the child pipeline run is followed under its own run id');
  const requestId = (truth.web.output as { ADFWebActivityResponseHeaders: Record<string, string> }).ADFWebActivityResponseHeaders['x-amzn-RequestId'];
  const gateway = events.filter((e) => e.source === 'gateway');
  assert.deepEqual(gateway.map((e) => [e.requestId, e.status, e.throttled]), [[requestId, 200, false]], 'the gateway hop, joined by the request id');
  assert.equal(typeof gateway[0].latencyMs, 'number');
}

describe('bridge run --sandbox-endpoints --format jsonl, compared with the sandbox APIs', () => {
  let sb: SandboxProcess;
  before(async () => {
    sb = await startSandboxProcess(['--port', '0', '--quiet', WORKSPACE]);
  });
  after(async () => {
    await sb.stop('SIGTERM');
  });

  it('a ForEach of 160 activity runs, a child pipeline, the gateway hop and a Map of 1,600 history events: each once, in order', async () => {
    const run = await bridge(['run', '--sandbox-endpoints', sb.lines[0], '--format', 'jsonl', WORKSPACE], { env: ENV });
    assert.equal(run.code, 0, run.stderr);
    await compareWithApis(sb, run.stdout);
  });

  it('reads the history incrementally: one GetExecutionHistory call a poll once caught up', async () => {
    const config = readBridgeConfig(CONFIG, readFileSync(CONFIG, 'utf8'));
    const counts: CallCounts = new Map();
    const perPoll: number[] = [];
    let before = 0;
    const handle = startRun(
      { config, link: config.links[0], target: 'sandbox', sandbox: { stepFunctions: sb.stepFunctions, dataFactory: sb.dataFactory, caPem: sb.caPem }, timeoutMs: 60_000 },
      {
        callCounts: counts,
        onPoll: () => {
          const now = counts.get('sfn.GetExecutionHistory') ?? 0;
          perPoll.push(now - before);
          before = now;
        },
      },
    );
    const summary = await handle.result;
    assert.equal(summary.status, 'Succeeded', summary.reason);
    const total = counts.get('sfn.GetExecutionHistory') ?? 0;
    const withHistory = perPoll.filter((n) => n > 0).length;
    // At most two extra pages (1,000 events each) when the Map's burst of events lands in one poll.
    assert.ok(total <= withHistory + 3, `GetExecutionHistory ${total} calls over ${withHistory} polls (${perPoll.join(',')})`);
  });
});

describe('the same under injected faults', () => {
  let sb: SandboxProcess;
  before(async () => {
    sb = await startSandboxProcess(['--port', '0', '--quiet', '--faults', 'throttle=0.1,error=0.05,latency=1-3ms,seed=7', WORKSPACE]);
  });
  after(async () => {
    await sb.stop('SIGTERM');
  });

  it('every event once, in order, and the run succeeds: one fault never ends a run', async () => {
    const run = await bridge(['run', '--sandbox-endpoints', sb.lines[0], '--format', 'jsonl', WORKSPACE], { env: ENV });
    assert.equal(run.code, 0, run.stderr);
    await compareWithApis(sb, run.stdout);
  });
});

describe('a gateway that does not name executions by the correlation id', () => {
  let sb: SandboxProcess;
  before(async () => {
    sb = await startSandboxProcess(['--port', '0', '--quiet', '--faults', 'throttle=0.1,error=0.05,seed=3', SAMPLES]);
  });
  after(async () => {
    await sb.stop('SIGTERM');
  });

  it('finds the execution by the id in its input, under faults', async () => {
    const file = path.join(SAMPLES, 'analytics.bridge.jsonc');
    const config = readBridgeConfig(file, readFileSync(file, 'utf8'));
    const link = config.links.find((l) => l.name === 'nightly-retrain')!;
    // A dot is not allowed in an execution name, so the gateway lets Step Functions pick one.
    const correlationId = `run.${Date.now()}`;
    const events: RunEvent[] = [];
    const handle = startRun({ config, link, correlationId, target: 'sandbox', sandbox: { stepFunctions: sb.stepFunctions, dataFactory: sb.dataFactory, caPem: sb.caPem }, timeoutMs: 60_000, observer: { onEvent: (e) => events.push(e) } });
    const summary = await handle.result;
    assert.equal(summary.status, 'Succeeded', summary.reason);
    assert.ok(summary.executionArn && !summary.executionArn.endsWith(correlationId), summary.executionArn);
    assert.ok(events.some((e) => e.source === 'sfn' && e.kind === 'ExecutionSucceeded' && e.correlationId === correlationId));
  });
});
