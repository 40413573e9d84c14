/**
 * The sandbox as a user drives it: `bridge sandbox` as a process, the real @aws-sdk/client-sfn and
 * @azure/arm-datafactory clients over real HTTP/TLS, the sample workspace unmodified.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DescribeExecutionCommand, DescribeStateMachineCommand, GetExecutionHistoryCommand, ListExecutionsCommand, ListStateMachinesCommand, StartExecutionCommand, StateMachineDoesNotExist } from '@aws-sdk/client-sfn';
import { createDataFactoryClient, createStepFunctionsClient, startRun, type RunClients } from '../../../src/cloud/index';
import { readBridgeConfig, type BridgeConfigModel, type LinkModel } from '../../../src/core/config/model';
import type { RunEvent, RunSummaryLine } from '../../../src/core/run/events';
import { SAMPLES, startSandboxProcess, type SandboxProcess } from './harness';

const CONFIG = path.join(SAMPLES, 'analytics.bridge.jsonc');

/** A test run through the run engine against a running sandbox: its events and summary. */
async function runLink(sb: SandboxProcess, config: BridgeConfigModel, link: LinkModel, payload?: unknown): Promise<{ events: RunEvent[]; summary: RunSummaryLine; correlationId: string }> {
  const events: RunEvent[] = [];
  const handle = startRun({
    config,
    link,
    target: 'sandbox',
    sandbox: { stepFunctions: sb.stepFunctions, dataFactory: sb.dataFactory, caPem: sb.caPem },
    payload: payload === undefined ? undefined : { value: payload },
    timeoutMs: 60_000,
    observer: { onEvent: (e) => events.push(e) },
  });
  return { events, summary: await handle.result, correlationId: handle.correlationId };
}

function clientsFor(sb: SandboxProcess, config: BridgeConfigModel, maxAttempts?: number): RunClients {
  const sandbox = { stepFunctions: sb.stepFunctions, dataFactory: sb.dataFactory, caPem: sb.caPem };
  return {
    sfn: createStepFunctionsClient({ region: config.aws!.region!, sandbox, maxAttempts }),
    adf: createDataFactoryClient({ subscriptionId: config.azure!.subscriptionId!, cloud: 'AzureCloud', sandbox }),
    resourceGroup: config.azure!.resourceGroup!,
    factoryName: config.azure!.factory!,
  };
}

function payloadOf(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}

describe('bridge sandbox samples, driven by the real SDK clients', () => {
  let sb: SandboxProcess;
  let config: BridgeConfigModel;
  let clients: RunClients;

  before(async () => {
    sb = await startSandboxProcess(['--port', '0', SAMPLES]);
    config = readBridgeConfig(CONFIG, readFileSync(CONFIG, 'utf8'));
    clients = clientsFor(sb, config);
  });
  after(async () => {
    const code = await sb.stop('SIGTERM');
    assert.equal(code, 143, `bridge sandbox stops cleanly on SIGTERM, with the signal's exit code; stderr: ${sb.stderr.join('\n')}`);
  });

  it('announces its endpoints on the first line: http Step Functions, https ADF, a PEM CA', () => {
    assert.match(sb.stepFunctions, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(sb.dataFactory, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.match(sb.caPem, /-----BEGIN CERTIFICATE-----/);
  });

  it('lists and describes the state machines of every sample link', async () => {
    const list = await clients.sfn.send(new ListStateMachinesCommand({}));
    const arns = (list.stateMachines ?? []).map((m) => m.stateMachineArn).sort();
    assert.deepEqual(arns, config.links.map((l) => l.stateMachine!.arn!).sort());
    const described = await clients.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: config.links[0].stateMachine!.arn }));
    assert.equal(JSON.parse(described.definition!).StartAt, 'ValidateRequest');
    await assert.rejects(
      clients.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:Nope' })),
      (e: unknown) => e instanceof StateMachineDoesNotExist,
    );
  });

  it('serves the repo pipelines and answers an unknown one with a 404 the SDK maps', async () => {
    const names: string[] = [];
    for await (const p of clients.adf.pipelines.listByFactory(clients.resourceGroup, clients.factoryName)) names.push(p.name!);
    assert.deepEqual(names.sort(), ['IngestLanding', 'RetrainModel']);
    await assert.rejects(clients.adf.pipelines.get(clients.resourceGroup, clients.factoryName, 'NoSuchPipeline'), (e: { statusCode?: number; code?: string }) => {
      assert.equal(e.statusCode, 404);
      assert.ok(e.code, 'the ARM error code reaches the SDK');
      return true;
    });
  });

  it('adf-to-sfn: the pipeline Web activity starts the state machine with the evaluated body and the correlation id', async () => {
    const link = config.links.find((l) => l.name === 'nightly-retrain')!;
    const { events, summary: outcome, correlationId } = await runLink(sb, config, link, payloadOf(link.payloads[0]));
    assert.equal(outcome.status, 'Succeeded', JSON.stringify(events.slice(-5)));
    assert.ok(outcome.executionArn!.endsWith(`:execution:Retrain:${correlationId}`), 'the execution is named by the correlation id');
    const exec = await clients.sfn.send(new DescribeExecutionCommand({ executionArn: outcome.executionArn }));
    assert.equal(exec.status, 'SUCCEEDED');
    const input = JSON.parse(exec.input!);
    assert.equal(input.correlationId, correlationId);
    assert.equal(input.modelName, 'churn');
    assert.equal(input.trainingDays, 7);
    assert.equal(input.environment, 'dev', 'global parameter evaluated');
    assert.equal(input.adfRunId, outcome.pipelineRunId, '@pipeline().RunId evaluated');
    // Both sides in one stream, in time order, each event once.
    const keys = events.map((e) => `${e.source} ${e.id}`);
    assert.equal(new Set(keys).size, keys.length);
    assert.equal(outcome.events, events.length);
    assert.ok(events.some((e) => e.source === 'adf') && events.some((e) => e.source === 'sfn'));
    for (let i = 1; i < events.length; i++) assert.ok(events[i].late || events[i - 1].time <= events[i].time, 'events in time order');
    // The Web activity starts before the execution it starts, and ends after it started: with
    // ADF times cut to whole seconds (Date → string) the two clouds' events would interleave wrongly.
    const at = (key: (e: RunEvent) => boolean) => events.findIndex(key);
    const webStarted = at((e) => e.source === 'adf' && e.name === 'StartRetrain' && e.status === 'InProgress');
    const execStarted = at((e) => e.source === 'sfn' && e.kind === 'ExecutionStarted');
    const webDone = at((e) => e.source === 'adf' && e.name === 'StartRetrain' && e.status === 'Succeeded');
    assert.ok(webStarted >= 0 && execStarted > webStarted && webDone > execStarted, events.map((e) => `${e.time} ${e.source} ${e.kind} ${e.name}`).join('\n'));
    const acts = await clients.adf.activityRuns.queryByPipelineRun(clients.resourceGroup, clients.factoryName, outcome.pipelineRunId!, {
      lastUpdatedAfter: new Date(Date.now() - 3600_000),
      lastUpdatedBefore: new Date(Date.now() + 3600_000),
    });
    const web = acts.value.find((a) => a.activityName === 'StartRetrain')!;
    assert.equal(web.status, 'Succeeded');
    assert.equal((web.output as { executionArn?: string }).executionArn, outcome.executionArn);
  });

  it('sfn-to-adf: the HTTP task calls createRun and the pipeline runs with the correlation id', async () => {
    const link = config.links.find((l) => l.name === 'ingest-landing')!;
    const { events, summary: outcome, correlationId } = await runLink(sb, config, link, payloadOf(link.payloads[0]));
    assert.equal(outcome.status, 'Succeeded', JSON.stringify(events.slice(-5)));
    const run = await clients.adf.pipelineRuns.get(clients.resourceGroup, clients.factoryName, outcome.pipelineRunId!);
    assert.equal(run.pipelineName, 'IngestLanding');
    assert.equal(run.parameters?.correlationId, correlationId);
    assert.equal(run.status, 'Succeeded');
  });

  it('s3-to-sfn: an Object Created event posted to the sandbox starts the matching link', async () => {
    const event = payloadOf(path.join(SAMPLES, 'payloads/s3-object-created.json'));
    const res = await fetch(`${sb.stepFunctions}/_sandbox/s3-events`, { method: 'POST', body: JSON.stringify(event) });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { started: { link: string; executionArn: string }[] };
    assert.deepEqual(body.started.map((s) => s.link), ['landing-csv']);
    const link = config.links.find((l) => l.name === 'landing-csv')!;
    const { summary: outcome } = await runLink(sb, config, link, event);
    assert.equal(outcome.status, 'Succeeded', outcome.reason);
    const miss = await fetch(`${sb.stepFunctions}/_sandbox/s3-events`, { method: 'POST', body: JSON.stringify({ detail: { bucket: { name: 'analytics-landing-dev' }, object: { key: 'other/file.txt' } } }) });
    assert.equal(miss.status, 404, 'a key outside the prefix/suffix filter starts nothing');
  });

  it('runs a mock test case with a retried task: the history shows both failures, then success', async () => {
    const arn = config.links.find((l) => l.name === 'nightly-retrain')!.stateMachine!.arn!;
    const started = await clients.sfn.send(new StartExecutionCommand({ stateMachineArn: `${arn}#RetryThenSucceed`, name: 'retry-case', input: JSON.stringify({ correlationId: 'retry-case', modelName: 'churn', trainingDays: 3 }) }));
    let status = 'RUNNING';
    for (let i = 0; i < 400 && status === 'RUNNING'; i++) {
      status = (await clients.sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }))).status!;
      if (status === 'RUNNING') await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(status, 'SUCCEEDED');
    const events = [];
    let nextToken: string | undefined;
    do {
      const page = await clients.sfn.send(new GetExecutionHistoryCommand({ executionArn: started.executionArn, maxResults: 5, nextToken }));
      events.push(...(page.events ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    const task = events.filter((e) => /^Task(Scheduled|Failed|Succeeded)$/.test(e.type!)).map((e) => e.type).slice(0, 6);
    assert.deepEqual(task, ['TaskScheduled', 'TaskFailed', 'TaskScheduled', 'TaskFailed', 'TaskScheduled', 'TaskSucceeded']);
    events.forEach((e, i) => assert.equal(e.id, i + 1, 'event ids run 1, 2, 3 … across pages'));
    const list = await clients.sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, statusFilter: 'SUCCEEDED' }));
    assert.ok(list.executions!.some((e) => e.name === 'retry-case'));
  });
});

describe('the gateway emulation checks what the real route checks', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'bridge-gateway-'));
    cpSync(SAMPLES, dir, { recursive: true });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function runRetrain(mutatePipeline: (p: any) => void, mutateConfig: (text: string) => string = (t) => t) {
    const pipelineFile = path.join(dir, 'adf/pipeline/RetrainModel.json');
    const pipeline = JSON.parse(readFileSync(path.join(SAMPLES, 'adf/pipeline/RetrainModel.json'), 'utf8'));
    mutatePipeline(pipeline);
    writeFileSync(pipelineFile, JSON.stringify(pipeline, null, 2));
    const configFile = path.join(dir, 'analytics.bridge.jsonc');
    writeFileSync(configFile, mutateConfig(readFileSync(CONFIG, 'utf8')));
    const sb = await startSandboxProcess(['--port', '0', dir]);
    try {
      const config = readBridgeConfig(configFile, readFileSync(configFile, 'utf8'));
      const clients = clientsFor(sb, config);
      const link = config.links.find((l) => l.name === 'nightly-retrain')!;
      const { summary: outcome } = await runLink(sb, config, link, { modelName: 'churn' });
      const acts = await clients.adf.activityRuns.queryByPipelineRun(clients.resourceGroup, clients.factoryName, outcome.pipelineRunId!, {
        lastUpdatedAfter: new Date(Date.now() - 3600_000),
        lastUpdatedBefore: new Date(Date.now() + 3600_000),
      });
      return { outcome, web: acts.value.find((a) => a.activityName === 'StartRetrain')! };
    } finally {
      await sb.stop();
    }
  }

  it('a token for another audience gets 401 and starts nothing', async () => {
    const { outcome, web } = await runRetrain((p) => {
      p.properties.activities[1].typeProperties.authentication.resource = 'api://someone-else';
      p.properties.activities[1].policy.retry = 0;
    });
    assert.equal(outcome.status, 'Failed');
    assert.match(outcome.reason!, /StartRetrain .*401/, 'the reason names the failing activity and its error');
    assert.equal(web.status, 'Failed');
    assert.match(JSON.stringify(web.error), /401/);
    assert.equal(outcome.executionArn, undefined, 'no execution was started');
  });

  it('a route throttled to zero answers 429', async () => {
    const { outcome, web } = await runRetrain(
      (p) => {
        p.properties.activities[1].policy.retry = 0;
      },
      (t) => t.replace('"throttle": { "rateLimit": 10, "burstLimit": 20 }', '"throttle": { "rateLimit": 0, "burstLimit": 0 }'),
    );
    assert.equal(outcome.status, 'Failed');
    assert.match(JSON.stringify(web.error), /429/);
  });
});

describe('bridge sandbox under injected faults', () => {
  it('throttles and fails requests as each service reports it, and the SDKs retry through', async () => {
    const sb = await startSandboxProcess(['--port', '0', '--faults', 'throttle=0.4,error=0.1,latency=5ms,seed=11', SAMPLES]);
    try {
      const config = readBridgeConfig(CONFIG, readFileSync(CONFIG, 'utf8'));
      const clients = clientsFor(sb, config, 10);
      for (let i = 0; i < 8; i++) {
        const list = await clients.sfn.send(new ListStateMachinesCommand({}));
        assert.equal(list.stateMachines!.length, 3);
        assert.ok((list.$metadata.attempts ?? 1) >= 1);
        const p = await clients.adf.pipelines.get(clients.resourceGroup, clients.factoryName, 'RetrainModel');
        assert.equal(p.name, 'RetrainModel');
      }
      // Without retries the injected faults surface with the services' own shapes.
      const bare = clientsFor(sb, config, 1);
      const seen = new Set<string>();
      for (let i = 0; i < 40; i++) {
        try {
          await bare.sfn.send(new ListStateMachinesCommand({}));
        } catch (e) {
          seen.add((e as Error).name);
        }
      }
      assert.ok(seen.has('ThrottlingException'), `saw ${[...seen].join(', ')}`);
    } finally {
      await sb.stop();
    }
  });
});
