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
import { createDataFactoryClient, createStepFunctionsClient, followRun, startTestRun, type BridgeClients } from '../../../src/cloud/index';
import { readBridgeConfig, type BridgeConfigModel } from '../../../src/core/config/model';
import { planTestRun } from '../../../src/core/testrun';
import { SAMPLES, startSandboxProcess, type SandboxProcess } from './harness';

const CONFIG = path.join(SAMPLES, 'analytics.bridge.jsonc');

function clientsFor(sb: SandboxProcess, config: BridgeConfigModel, maxAttempts?: number): BridgeClients {
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
  let clients: BridgeClients;

  before(async () => {
    sb = await startSandboxProcess(['--port', '0', SAMPLES]);
    config = readBridgeConfig(CONFIG, readFileSync(CONFIG, 'utf8'));
    clients = clientsFor(sb, config);
  });
  after(async () => {
    const code = await sb.stop('SIGTERM');
    assert.equal(code, 0, `bridge sandbox stops cleanly on SIGTERM; stderr: ${sb.stderr.join('\n')}`);
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
    const plan = planTestRun(config, link, payloadOf(link.payloads[0]));
    const outcome = await followRun(await startTestRun(plan, clients), clients, { pollMs: 50, timeoutMs: 60_000 });
    assert.equal(outcome.status, 'Succeeded', JSON.stringify(outcome.events.slice(-5)));
    assert.equal(outcome.pipelineStatus, 'Succeeded');
    assert.equal(outcome.executionStatus, 'SUCCEEDED');
    assert.ok(outcome.executionArn!.endsWith(`:execution:Retrain:${plan.correlationId}`), 'the execution is named by the correlation id');
    const exec = await clients.sfn.send(new DescribeExecutionCommand({ executionArn: outcome.executionArn }));
    const input = JSON.parse(exec.input!);
    assert.equal(input.correlationId, plan.correlationId);
    assert.equal(input.modelName, 'churn');
    assert.equal(input.trainingDays, 7);
    assert.equal(input.environment, 'dev', 'global parameter evaluated');
    assert.equal(input.adfRunId, outcome.pipelineRunId, '@pipeline().RunId evaluated');
    // Both sides in one timeline, in time order, each event once.
    const keys = outcome.events.map((e) => e.key);
    assert.equal(new Set(keys).size, keys.length);
    assert.ok(outcome.events.some((e) => e.source === 'adf') && outcome.events.some((e) => e.source === 'sfn'));
    for (let i = 1; i < outcome.events.length; i++) assert.ok(outcome.events[i - 1].time <= outcome.events[i].time, 'events in time order');
    // The Web activity starts before the execution it starts, and ends after it started: with
    // ADF times cut to whole seconds (Date → string) the two clouds' events would interleave wrongly.
    const at = (key: (e: (typeof outcome.events)[number]) => boolean) => outcome.events.findIndex(key);
    const webStarted = at((e) => e.source === 'adf' && /StartRetrain \(WebActivity\) started/.test(e.text));
    const execStarted = at((e) => e.source === 'sfn' && e.text.startsWith('ExecutionStarted'));
    const webDone = at((e) => e.source === 'adf' && /StartRetrain Succeeded/.test(e.text));
    assert.ok(webStarted >= 0 && execStarted > webStarted && webDone > execStarted, outcome.events.map((e) => `${e.time} ${e.source} ${e.text}`).join('\n'));
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
    const plan = planTestRun(config, link, payloadOf(link.payloads[0]));
    const outcome = await followRun(await startTestRun(plan, clients), clients, { pollMs: 50, timeoutMs: 60_000 });
    assert.equal(outcome.status, 'Succeeded', JSON.stringify(outcome.events.slice(-5)));
    const run = await clients.adf.pipelineRuns.get(clients.resourceGroup, clients.factoryName, outcome.pipelineRunId!);
    assert.equal(run.pipelineName, 'IngestLanding');
    assert.equal(run.parameters?.correlationId, plan.correlationId);
    assert.equal(run.status, 'Succeeded');
  });

  it('s3-to-sfn: an Object Created event posted to the sandbox starts the matching link', async () => {
    const event = payloadOf(path.join(SAMPLES, 'payloads/s3-object-created.json'));
    const res = await fetch(`${sb.stepFunctions}/_sandbox/s3-events`, { method: 'POST', body: JSON.stringify(event) });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { started: { link: string; executionArn: string }[] };
    assert.deepEqual(body.started.map((s) => s.link), ['landing-csv']);
    const link = config.links.find((l) => l.name === 'landing-csv')!;
    const plan = planTestRun(config, link, event);
    const outcome = await followRun(await startTestRun(plan, clients), clients, { pollMs: 50, timeoutMs: 60_000 });
    assert.equal(outcome.status, 'Succeeded');
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
      const plan = planTestRun(config, link, { modelName: 'churn' });
      const started = await startTestRun(plan, clients);
      const outcome = await followRun(started, clients, { pollMs: 50, timeoutMs: 30_000 });
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
    assert.equal(outcome.pipelineStatus, 'Failed');
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
    assert.equal(outcome.pipelineStatus, 'Failed');
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
