/**
 * Hostile requests against the sandbox's HTTP edges (issue 14): operation and resource names that
 * are Object.prototype members, JSON nested far deeper than any real document, bodies over the
 * limit and malformed %-escapes. Each answers a 4xx in the service's own error shape, leaks no
 * internal state and stores nothing half-made.
 */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as https from 'node:https';
import * as path from 'node:path';
import { ListExecutionsCommand, StartExecutionCommand, ListStateMachinesCommand } from '@aws-sdk/client-sfn';
import { startSandbox as startSfn, smArn, type Sandbox as SfnSandbox } from '../sandbox-sfn/helpers';
import { startSandbox as startAdf, FACTORY, RESOURCE_GROUP, SUBSCRIPTION, activityQueryWindow, type Sandbox as AdfSandbox } from '../sandbox-adf/helpers';
import { startSandbox as startWhole, type RunningSandbox } from '../../../src/sandbox/index';
import { ArmRequestError } from '../../../src/sandbox/datafactory';

process.env.AWS_EC2_METADATA_DISABLED = 'true';

const SAMPLES = path.resolve(__dirname, '../../../../samples');

/** Names every plain object answers (Object.prototype), plus a few that look like one. */
const PROTOTYPE_NAMES = [
  'constructor',
  'toString',
  '__proto__',
  'hasOwnProperty',
  'valueOf',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
  'prototype',
];

const nestedArrays = (depth: number, inner = '1') => '['.repeat(depth) + inner + ']'.repeat(depth);
const nestedObjects = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

interface Answer {
  status: number;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

function request(url: string, options: http.RequestOptions & { ca?: string }, body?: string | Buffer): Promise<Answer> {
  const lib = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, text, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const DEFINITION = { StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } };

describe('Step Functions API: hostile operation names, bodies and inputs', () => {
  let sb: SfnSandbox;
  before(async () => {
    sb = await startSfn({ stateMachines: [{ arn: smArn('Plain'), definition: DEFINITION, mockConfigPath: '/secret/path/of/the/mocks.json' }] });
  });
  after(() => sb.close());

  const call = (target: string, body = '{}') =>
    request(sb.url, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': target } }, body);

  for (const name of PROTOTYPE_NAMES) {
    test(`AWSStepFunctions.${name}: 400 UnknownOperationException, nothing of the service's state`, async () => {
      const answer = await call(`AWSStepFunctions.${name}`);
      assert.equal(answer.status, 400, answer.text);
      assert.equal(answer.json?.__type, 'UnknownOperationException', answer.text);
      assert.doesNotMatch(answer.text, /secret\/path|StartAt|\[object|function /);
    });
  }

  test('a request body over the limit: one 413 in the AWS JSON shape, which the SDK does not retry', async () => {
    const before = sb.requests.length;
    const input = JSON.stringify({ blob: 'x'.repeat(5 * 1024 * 1024) });
    await assert.rejects(sb.client.send(new StartExecutionCommand({ stateMachineArn: smArn('Plain'), input })), (e: any) => {
      assert.equal(e.$metadata?.httpStatusCode, 413, String(e));
      assert.match(e.message, /larger than|limit/i);
      return true;
    });
    assert.equal(sb.requests.length - before, 1, `the SDK sent ${sb.requests.length - before} requests: ${sb.requests.slice(before).join(', ')}`);
    // The connection is still usable.
    assert.ok((await sb.client.send(new ListStateMachinesCommand({}))).stateMachines?.length);
  });

  test('an execution input nested 5,000 deep: 400 InvalidExecutionInput naming the depth, and no execution stored', async () => {
    await assert.rejects(sb.client.send(new StartExecutionCommand({ stateMachineArn: smArn('Plain'), name: 'deep-input', input: nestedArrays(5000) })), (e: any) => {
      assert.equal(e.name, 'InvalidExecutionInput', String(e));
      assert.match(e.message, /nested|deep/i);
      return true;
    });
    const list = await sb.client.send(new ListExecutionsCommand({ stateMachineArn: smArn('Plain') }));
    assert.ok(!list.executions?.some((x) => x.name === 'deep-input'));
  });

  test('a request body nested 100,000 deep: 400 in the AWS JSON shape, no internal message', async () => {
    const answer = await call('AWSStepFunctions.StartExecution', `{"stateMachineArn":"${smArn('Plain')}","x":${nestedArrays(100_000)}}`);
    assert.equal(answer.status, 400, answer.text);
    assert.ok(typeof answer.json?.__type === 'string', answer.text);
    assert.doesNotMatch(answer.text, /call stack|InternalFailure/i);
  });
});

describe('ADF management API: hostile names, depth, escapes and sizes', () => {
  let sb: AdfSandbox;
  before(async () => {
    sb = await startAdf();
  });
  after(() => sb.close());

  const factoryUrl = () => `${sb.server.url}/subscriptions/${SUBSCRIPTION}/resourceGroups/${RESOURCE_GROUP}/providers/Microsoft.DataFactory/factories/${FACTORY}`;
  const arm = (method: string, rest: string, body?: string | Buffer, rawPath?: string) =>
    request(rawPath ? `${sb.server.url}${rawPath}` : `${factoryUrl()}${rest}${rest.includes('?') ? '&' : '?'}api-version=2018-06-01`, {
      method,
      ca: sb.tls.caPem,
      headers: { authorization: 'Bearer sandbox-test', 'content-type': 'application/json' },
    }, body);
  const assertArmError = (answer: Answer, status: number) => {
    assert.equal(answer.status, status, answer.text);
    assert.equal(typeof answer.json?.error?.code, 'string', answer.text);
    assert.equal(typeof answer.json?.error?.message, 'string', answer.text);
    assert.doesNotMatch(answer.text, /call stack|URIError|\bat .+:\d+:\d+/i);
  };

  test('a createRun body nested 5,000 deep: 400 in the ARM shape, and queryPipelineRuns keeps working with no trace of it', async () => {
    assertArmError(await arm('POST', '/pipelines/Greeting/createRun', `{"who":${nestedArrays(5000, '"x"')}}`), 400);
    assertArmError(await arm('POST', '/pipelines/Greeting/createRun', `{"who":${nestedObjects(5000)}}`), 400);
    const page = await sb.client.pipelineRuns.queryByFactory(RESOURCE_GROUP, FACTORY, activityQueryWindow());
    assert.deepEqual(page.value.map((r) => r.pipelineName), []);
  });

  test('a createRun called directly with parameters nested 5,000 deep: refused before anything is stored', async () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 5000; i++) deep = [deep];
    await assert.rejects(sb.service.createRun({ subscriptionId: SUBSCRIPTION, resourceGroup: RESOURCE_GROUP, factoryName: FACTORY }, 'Greeting', { who: deep }), (e: unknown) => e instanceof ArmRequestError && e.status === 400);
    assert.equal(sb.service.engine({ subscriptionId: SUBSCRIPTION, resourceGroup: RESOURCE_GROUP, factoryName: FACTORY })!.runs.size, 0);
    assert.equal((await arm('POST', '/queryPipelineRuns', JSON.stringify(activityQueryWindow()))).status, 200);
  });

  test('a malformed %-escape in the path: 400 in the ARM shape', async () => {
    assertArmError(await arm('GET', '/pipelines/Greet%E0%A4%A'), 400);
    assertArmError(await arm('GET', '/pipelines/%'), 400);
    assertArmError(await arm('GET', '', undefined, `/subscriptions/${SUBSCRIPTION}/resourceGroups/%zz/providers/Microsoft.DataFactory/factories/${FACTORY}?api-version=2018-06-01`), 400);
    assertArmError(await arm('POST', '', '{}', '/workflow/callback/%C0%AF'), 400);
  });

  test('pipeline and run names that are Object.prototype members: 404, never a 500 or a prototype', async () => {
    for (const name of PROTOTYPE_NAMES) {
      assertArmError(await arm('GET', `/pipelines/${name}`), 404);
      assertArmError(await arm('POST', `/pipelines/${name}/createRun`, '{}'), 404);
      assertArmError(await arm('GET', `/pipelineruns/${name}`), 404);
      assertArmError(await arm('POST', `/pipelineruns/${name}/cancel`), 404);
    }
  });

  test('createRun parameters named like Object.prototype members are kept as plain parameters', async () => {
    const answer = await arm('POST', '/pipelines/Greeting/createRun', JSON.stringify({ who: 'w', constructor: 'c', toString: 't', hasOwnProperty: 'h' }));
    assert.equal(answer.status, 200, answer.text);
    const run = await sb.client.pipelineRuns.get(RESOURCE_GROUP, FACTORY, answer.json.runId);
    assert.deepEqual(run.parameters, { who: 'w', constructor: 'c', toString: 't', hasOwnProperty: 'h' });
  });

  test('a body over the limit: 413 in the ARM shape, not a connection reset', async () => {
    assertArmError(await arm('POST', '/pipelines/Greeting/createRun', Buffer.alloc(5 * 1024 * 1024, 0x20)), 413);
  });
});

describe('S3 events, CloudWatch Logs and STS: hostile depth and sizes', () => {
  let sandbox: RunningSandbox;
  before(async () => {
    sandbox = await startWhole({ paths: [SAMPLES], waitScale: 0.01, onWarning: () => undefined });
  });
  after(() => sandbox.close());

  const post = (body: string) => request(`${sandbox.stepFunctions}/_sandbox/s3-events`, { method: 'POST', headers: { 'content-type': 'application/json' } }, body);

  for (const depth of [5_000, 100_000]) {
    test(`an event nested ${depth.toLocaleString('en')} deep: 400 that says so, no internal message`, async () => {
      const answer = await post(`{"detail":{"bucket":{"name":"analytics-landing-dev"},"object":{"key":"incoming/a.csv"}},"x":${nestedArrays(depth)}}`);
      assert.equal(answer.status, 400, answer.text);
      assert.match(answer.json?.message ?? '', /nested/i);
      assert.doesNotMatch(answer.text, /call stack/i);
    });
  }

  test('CloudWatch Logs on the same endpoint: prototype names, a body over the limit, 100,000 levels deep', async () => {
    const logs = (target: string, body: string | Buffer) => request(sandbox.stepFunctions, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target } }, body);
    for (const name of ['constructor', '__proto__', 'toString']) {
      const answer = await logs(`Logs_20140328.${name}`, '{}');
      assert.equal(answer.status, 400, answer.text);
      assert.equal(answer.json?.__type, 'UnknownOperationException');
    }
    const big = await logs('Logs_20140328.FilterLogEvents', Buffer.alloc(2 * 1024 * 1024, 0x20));
    assert.equal(big.status, 413, big.text);
    assert.equal(typeof big.json?.__type, 'string');
    const deep = await logs('Logs_20140328.FilterLogEvents', `{"logGroupName":"g","x":${nestedArrays(100_000)}}`);
    assert.equal(deep.status, 400, deep.text);
    assert.equal(deep.json?.__type, 'SerializationException');
    assert.match(deep.json?.message, /nested/);
  });

  test('STS on the same endpoint: a body over the limit is a 413 in its XML shape, not a reset', async () => {
    const answer = await request(sandbox.stepFunctions, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, `Action=GetCallerIdentity&x=${'a'.repeat(200 * 1024)}`);
    assert.equal(answer.status, 413, answer.text);
    assert.match(answer.text, /<Code>ValidationError<\/Code>/);
  });

  test('after them a normal event still starts its state machine', async () => {
    const answer = await post(JSON.stringify({ detail: { bucket: { name: 'analytics-landing-dev' }, object: { key: 'incoming/ok.csv' } } }));
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.json.started.length, 1);
  });
});
