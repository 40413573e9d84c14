import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { RestError } from '@azure/core-rest-pipeline';
import { DataFactoryManagementClient } from '@azure/arm-datafactory';
import { startSandbox, rawRequest, waitForRun, FakeCredential, RESOURCE_GROUP, FACTORY, SUBSCRIPTION, type Sandbox } from './helpers';

const FACTORY_PATH = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RESOURCE_GROUP}/providers/Microsoft.DataFactory/factories/${FACTORY}`;

async function restError(p: Promise<unknown>): Promise<RestError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof RestError, `expected a RestError, got ${String(e)}`);
    return e;
  }
  assert.fail('the call should have failed');
}

describe('ADF sandbox: ARM surface with @azure/arm-datafactory', () => {
  let sb: Sandbox;
  before(async () => {
    sb = await startSandbox();
  });
  after(() => sb.close());

  it('lists the pipelines of the repo folder', async () => {
    const names: string[] = [];
    for await (const p of sb.client.pipelines.listByFactory(RESOURCE_GROUP, FACTORY)) {
      names.push(p.name!);
      assert.equal(p.type, 'Microsoft.DataFactory/factories/pipelines');
      assert.equal(p.id, `${FACTORY_PATH}/pipelines/${p.name}`);
    }
    assert.deepEqual(names, ['AwaitApproval', 'CopyIfElse', 'CopyWithFallback', 'Greeting', 'InactiveSteps', 'IngestOrders', 'LongRunning', 'PollUntilReady', 'ProcessFiles', 'RouteByMode', 'RunGreeting', 'RunLongChild', 'ValidateBatch']);
    assert.ok(sb.credential.scopes.includes(`${sb.server.url}/.default`), 'the SDK asked for a token for the sandbox endpoint');
  });

  it('gets one pipeline with its activities and parameters', async () => {
    const p = await sb.client.pipelines.get(RESOURCE_GROUP, FACTORY, 'IngestOrders');
    assert.equal(p.name, 'IngestOrders');
    assert.deepEqual(p.activities?.map((a) => a.name), ['SetRequestLabel', 'PostOrders', 'ReturnJobId']);
    assert.equal(p.parameters?.correlationId.type, 'string');
    assert.equal(p.parameters?.batchSize.defaultValue, 100);
    assert.ok(p.etag);
  });

  it('gets the factory with the global parameters of factory/*.json', async () => {
    const f = await sb.client.factories.get(RESOURCE_GROUP, FACTORY);
    assert.equal(f.name, FACTORY);
    assert.equal(f.globalParameters?.environment.value, 'dev');
    assert.equal(f.globalParameters?.maxBatch.type, 'Int');
  });

  it('maps an unknown pipeline to a 404 RestError with the ARM code', async () => {
    const e = await restError(sb.client.pipelines.get(RESOURCE_GROUP, FACTORY, 'NoSuchPipeline'));
    assert.equal(e.statusCode, 404);
    assert.equal(e.code, 'PipelineNotFound');
    assert.match(e.message, /NoSuchPipeline/);
    const e2 = await restError(sb.client.pipelines.createRun(RESOURCE_GROUP, FACTORY, 'NoSuchPipeline'));
    assert.equal(e2.statusCode, 404);
    assert.equal(e2.code, 'PipelineNotFound');
  });

  it('reads pipeline names without regard to case, as ADF does: get and createRun of "processfiles" are pipeline ProcessFiles', async () => {
    const p = await sb.client.pipelines.get(RESOURCE_GROUP, FACTORY, 'ingestORDERS');
    assert.equal(p.name, 'IngestOrders');
    const { runId } = await sb.client.pipelines.createRun(RESOURCE_GROUP, FACTORY, 'processfiles', { parameters: { files: ['x.csv'] } });
    const run = await waitForRun(sb, runId);
    assert.equal(run.status, 'Succeeded');
    assert.equal(run.pipelineName, 'ProcessFiles');
  });

  it('answers an unknown run id and an unknown factory with 404', async () => {
    const e = await restError(sb.client.pipelineRuns.get(RESOURCE_GROUP, FACTORY, '00000000-0000-0000-0000-000000000000'));
    assert.equal(e.statusCode, 404);
    assert.equal(e.code, 'PipelineRunNotFound');
    const f = await restError(sb.client.pipelines.get(RESOURCE_GROUP, 'other-factory', 'IngestOrders'));
    assert.equal(f.statusCode, 404);
    assert.equal(f.code, 'ResourceNotFound');
  });

  it('rejects a createRun without a required parameter, or with a value of the wrong type', async () => {
    const missing = await restError(sb.client.pipelines.createRun(RESOURCE_GROUP, FACTORY, 'ValidateBatch', { parameters: { batchId: 'b-1' } }));
    assert.equal(missing.statusCode, 400);
    assert.equal(missing.code, 'BadRequest');
    assert.match(missing.message, /rowCount/);
    const wrong = await restError(sb.client.pipelines.createRun(RESOURCE_GROUP, FACTORY, 'ValidateBatch', { parameters: { batchId: 'b-1', rowCount: 'many' } }));
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.message, /rowCount.*int/i);
  });

  it('applies parameter defaults and reports parameters as strings, as ARM does', async () => {
    const { runId } = await sb.client.pipelines.createRun(RESOURCE_GROUP, FACTORY, 'ProcessFiles', { parameters: { files: ['x.csv', 'y.txt'] } });
    const run = await waitForRun(sb, runId);
    assert.equal(run.status, 'Succeeded');
    assert.equal(run.parameters?.files, '["x.csv","y.txt"]');
    assert.equal(run.pipelineName, 'ProcessFiles');
    assert.equal(run.runGroupId, runId);
    assert.equal(run.isLatest, true);
    assert.equal(run.invokedBy?.invokedByType, 'Manual');
    assert.equal(run.invokedBy?.name, 'Manual');
    assert.ok(run.runStart instanceof Date && run.runEnd instanceof Date && run.lastUpdated instanceof Date);
    assert.equal(typeof run.durationInMs, 'number');
  });

  it('rejects other api-versions and a missing api-version with the ARM error', async () => {
    const auth = { Authorization: 'Bearer x' };
    const bad = await rawRequest(sb, 'GET', `${FACTORY_PATH}/pipelines?api-version=2017-09-01-preview`, undefined, auth);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'InvalidApiVersionParameter');
    assert.match(bad.body.error.message, /2018-06-01/);
    const none = await rawRequest(sb, 'GET', `${FACTORY_PATH}/pipelines`, undefined, auth);
    assert.equal(none.status, 400);
    assert.equal(none.body.error.code, 'MissingApiVersionParameter');
  });

  it('asks for a bearer token', async () => {
    const r = await rawRequest(sb, 'GET', `${FACTORY_PATH}/pipelines?api-version=2018-06-01`);
    assert.equal(r.status, 401);
    assert.equal(r.body.error.code, 'AuthenticationFailed');
  });

  it('refuses a client that does not trust the sandbox CA', async () => {
    const untrusting = new DataFactoryManagementClient(new FakeCredential(), SUBSCRIPTION, {
      endpoint: sb.server.url,
      $host: sb.server.url,
      retryOptions: { maxRetries: 0 },
    } as ConstructorParameters<typeof DataFactoryManagementClient>[2]);
    await assert.rejects(untrusting.pipelines.get(RESOURCE_GROUP, FACTORY, 'IngestOrders'), /certificate/);
  });
});
