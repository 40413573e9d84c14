/** The run engine's plain parts: planning, payloads, link selection, endpoints, ARNs, rendering. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { executionArnOf, unqualifiedStateMachineArn } from '../../../src/core/config/arn';
import { readBridgeConfig } from '../../../src/core/config/model';
import { nodeFileHost } from '../../../src/core/node-host';
import { planTestRun, TestRunError } from '../../../src/core/run/plan';
import { resolvePayload, PayloadError } from '../../../src/core/run/payload';
import { selectLinks } from '../../../src/core/run/select';
import { EndpointsError, readSandboxEndpoints } from '../../../src/core/run/endpoints';
import { renderJsonLine, renderTextLine } from '../../../src/core/run/render';
import { SfnEventMapper } from '../../../src/core/run/sfn-events';
import { activityRunEvents, gatewayRequestId } from '../../../src/core/run/adf-events';
import { sleep } from '../../../src/core/sleep';
import { configWith, MACHINE } from './fakes';

function tempWorkspace(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-run-core-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('execution ARNs come from the one ARN module', () => {
  it('an execution of a version or alias belongs to the unqualified state machine', () => {
    assert.equal(executionArnOf(`${MACHINE}:prod`, 'abc'), 'arn:aws:states:eu-west-1:123456789012:execution:Flow:abc');
    assert.equal(executionArnOf(`${MACHINE}:7`, 'abc'), 'arn:aws:states:eu-west-1:123456789012:execution:Flow:abc');
    assert.equal(executionArnOf(MACHINE, 'abc'), 'arn:aws:states:eu-west-1:123456789012:execution:Flow:abc');
    assert.equal(unqualifiedStateMachineArn(`${MACHINE}:prod`), MACHINE);
    assert.equal(executionArnOf('arn:aws:iam::123456789012:role/r', 'abc'), undefined);
  });
});

describe('planning', () => {
  it('injects the correlation id as the pipeline parameter the link names', () => {
    const { config, link } = configWith({ trigger: 'adf-to-sfn', adf: { pipeline: 'P' }, correlation: { adfParameter: 'runKey' } });
    const plan = planTestRun(config, link, { a: 1 }, { correlationId: 'cid' });
    assert.equal(plan.kind, 'pipeline');
    assert.deepEqual(plan.kind === 'pipeline' && plan.parameters, { a: 1, runKey: 'cid' });
  });

  it('names the execution by the id only when the id can be a name, and picks the test case by #suffix', () => {
    const { config, link } = configWith({ trigger: 's3-to-sfn', stateMachine: { arn: MACHINE }, correlation: { sfnInputPath: '$.meta.id' } });
    const named = planTestRun(config, link, {}, { correlationId: 'good-id', testCase: 'Happy' });
    assert.ok(named.kind === 'execution' && named.name === 'good-id' && named.stateMachineArn === `${MACHINE}#Happy`);
    assert.deepEqual(named.kind === 'execution' && named.input, { meta: { id: 'good-id' } });
    const unnamed = planTestRun(config, link, {}, { correlationId: 'not.a.name' });
    assert.ok(unnamed.kind === 'execution' && unnamed.name === undefined);
  });

  it('a link without a trigger cannot be planned, and says what to add', () => {
    const { config, link } = configWith({ stateMachine: { arn: MACHINE } });
    assert.throws(() => planTestRun(config, link, {}), (e: unknown) => e instanceof TestRunError && /add "trigger"/.test((e as Error).message));
  });
});

describe('payloads', () => {
  it('a broken payload file of the link: a dummy from the pipeline parameters, and a warning that says so', async () => {
    const dir = tempWorkspace({
      'payloads/broken.json': '{ "modelName": ',
      'adf/pipeline/Train.json': JSON.stringify({ name: 'Train', properties: { parameters: { modelName: { type: 'string' }, days: { type: 'int', defaultValue: 3 }, correlationId: { type: 'string' } }, activities: [] } }),
      'x.bridge.jsonc': JSON.stringify({ version: 1, azure: { subscriptionId: 's', resourceGroup: 'rg', factory: 'f', repoRoot: './adf' }, links: { l: { trigger: 'adf-to-sfn', adf: { pipeline: 'Train' }, payloads: ['./payloads/broken.json'] } } }),
    });
    const config = readBridgeConfig(path.join(dir, 'x.bridge.jsonc'), fs.readFileSync(path.join(dir, 'x.bridge.jsonc'), 'utf8'));
    const resolved = await resolvePayload(config, config.links[0], undefined, nodeFileHost);
    assert.equal(resolved.value, undefined);
    assert.match(resolved.warning!, /payloads\/broken\.json .* is not valid JSON .* a dummy payload was generated instead/);
    assert.match(resolved.source, /parameters of pipeline Train, because payloads\/broken\.json is broken/);
    const plan = planTestRun(config, config.links[0], resolved.value, { pipelineParameters: resolved.pipelineParameters, correlationId: 'c' });
    assert.deepEqual(plan.kind === 'pipeline' && plan.parameters, { modelName: 'test-modelName', correlationId: 'c' }, 'defaults left to ADF');
  });

  it('a payload file the caller names must be readable JSON', async () => {
    const { config, link } = configWith({ trigger: 's3-to-sfn' });
    await assert.rejects(resolvePayload(config, link, { file: '/nowhere/p.json' }, nodeFileHost), PayloadError);
  });
});

describe('link selection', () => {
  it('every link, or the named ones (repeatable), and the names no config has', () => {
    const a = configWith({ name: 'a' }).config;
    const b = configWith({ name: 'b' }).config;
    assert.deepEqual(selectLinks([a, b]).targets.map((t) => t.link.name), ['a', 'b']);
    const some = selectLinks([a, b], ['b', 'zzz']);
    assert.deepEqual(some.targets.map((t) => t.link.name), ['b']);
    assert.deepEqual(some.unknown, ['zzz']);
  });
});

describe('--sandbox-endpoints', () => {
  it('takes the first line bridge sandbox printed, as JSON or as a file, and reads the CA', async () => {
    const dir = tempWorkspace({ 'ca.pem': '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n' });
    const line = JSON.stringify({ stepFunctions: 'http://127.0.0.1:1', dataFactory: 'https://127.0.0.1:2', caCertificate: path.join(dir, 'ca.pem') });
    const resolve = (p: string) => path.resolve(dir, p);
    const fromJson = await readSandboxEndpoints(line, nodeFileHost, resolve);
    assert.equal(fromJson.stepFunctions, 'http://127.0.0.1:1');
    assert.match(fromJson.caPem, /BEGIN CERTIFICATE/);
    fs.writeFileSync(path.join(dir, 'endpoints.txt'), `${line}\n12:00:00 sfn …\n`);
    assert.deepEqual(await readSandboxEndpoints('endpoints.txt', nodeFileHost, resolve), fromJson);
    await assert.rejects(readSandboxEndpoints('{"stepFunctions": 1}', nodeFileHost, resolve), (e: unknown) => e instanceof EndpointsError && /stepFunctions URL/.test((e as Error).message));
    await assert.rejects(readSandboxEndpoints('nope.txt', nodeFileHost, resolve), EndpointsError);
  });
});

describe('events and their rendering', () => {
  it('state visits are spans: an exit closes its entry, in Map iterations too', () => {
    const arn = 'arn:aws:states:eu-west-1:123456789012:execution:Flow:x';
    const mapper = new SfnEventMapper(arn, 'c');
    const at = (id: number, prev: number, type: string, name?: string) => mapper.map({ id, previousEventId: prev, type, timestamp: new Date(1_700_000_000_000 + id), ...(name ? { stateEnteredEventDetails: { name } } : {}) }).event;
    at(1, 0, 'ExecutionStarted');
    const map = at(2, 1, 'MapStateEntered', 'Each');
    at(3, 2, 'MapStateStarted');
    at(4, 3, 'MapIterationStarted');
    at(5, 3, 'MapIterationStarted');
    const a = at(6, 4, 'PassStateEntered', 'Touch');
    const b = at(7, 5, 'PassStateEntered', 'Touch');
    const bOut = at(8, 7, 'PassStateExited', 'Touch');
    const aOut = at(9, 6, 'PassStateExited', 'Touch');
    assert.equal(a.span?.parent, map.span?.key, 'a state in an iteration is nested in the Map state');
    assert.equal(bOut.span?.key, b.span?.key);
    assert.equal(aOut.span?.key, a.span?.key);
    assert.equal(aOut.span?.phase, 'end');
    assert.equal(a.time, new Date(1_700_000_000_006).toISOString(), 'milliseconds kept');
  });

  it('an activity run already over gives its start and its end; a Web activity keeps the gateway request id', () => {
    const events = activityRunEvents({ activityRunId: 'a1', activityName: 'Call', activityType: 'WebActivity', pipelineRunId: 'p1', status: 'Failed', activityRunStart: new Date(1000), activityRunEnd: new Date(2000), error: { errorCode: '2108', message: 'Unauthorized' } }, 'c');
    assert.deepEqual(events.map((e) => [e.event.status, e.event.span?.phase, e.t]), [['InProgress', 'start', 1000], ['Failed', 'end', 2000]]);
    assert.deepEqual(events[1].event.error, { code: '2108', message: 'Unauthorized' });
    assert.equal(gatewayRequestId({ activityType: 'WebActivity', output: { ADFWebActivityResponseHeaders: { 'X-Amzn-RequestId': 'r-1' } } }), 'r-1');
  });

  it('both renderers redact secret-looking values in names, errors and payloads', () => {
    const secret = 'https://acct.blob.core.windows.net/c?sv=2022-11-02&sig=AbCdEfGhIjKlMnOpQrStUvWxYz0123456789%2BabcdE%3D';
    const event = { type: 'event' as const, correlationId: 'c', source: 'adf' as const, id: 'x', time: '2026-11-23T10:00:00.000Z', kind: 'activity', name: 'Copy', status: 'Failed', error: { message: `could not read ${secret}` }, detail: { input: { url: secret } } };
    for (const text of [renderJsonLine(event), renderTextLine(event)]) {
      assert.doesNotMatch(text, /AbCdEfGhIjKlMnOpQrStUvWxYz/);
      assert.match(text, /redacted/);
    }
    assert.doesNotThrow(() => JSON.parse(renderJsonLine(event)));
  });
});

describe('the one abortable sleep', () => {
  it('ends at once when its signal aborts', async () => {
    const controller = new AbortController();
    const slept = sleep(60_000, controller.signal);
    controller.abort();
    await slept; // resolves: a 60 s timer would hold the test runner until it fired
    assert.ok(controller.signal.aborted);
  });
});
