import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { RestError } from '@azure/core-rest-pipeline';
import type { PipelineRun, RunFilterParameters } from '@azure/arm-datafactory';
import { startSandbox, waitForRun, activityQueryWindow, RESOURCE_GROUP, FACTORY, type Sandbox } from './helpers';

describe('ADF sandbox: queryByFactory, queryByPipelineRun and reruns', () => {
  let sb: Sandbox;
  const ids: Record<string, string> = {};

  async function start(key: string, pipeline: string, parameters: Record<string, unknown>) {
    ids[key] = (await sb.client.pipelines.createRun(RESOURCE_GROUP, FACTORY, pipeline, { parameters })).runId;
    return waitForRun(sb, ids[key]);
  }

  async function queryAll(filter: Omit<RunFilterParameters, 'lastUpdatedAfter' | 'lastUpdatedBefore'>): Promise<{ runs: PipelineRun[]; pages: number }> {
    const runs: PipelineRun[] = [];
    let continuationToken: string | undefined;
    let pages = 0;
    do {
      const page = await sb.client.pipelineRuns.queryByFactory(RESOURCE_GROUP, FACTORY, { ...activityQueryWindow(), ...filter, continuationToken });
      pages++;
      runs.push(...page.value);
      continuationToken = page.continuationToken;
      assert.ok(pages < 20, 'paging terminates');
    } while (continuationToken);
    return { runs, pages };
  }

  before(async () => {
    sb = await startSandbox({ pageSize: 2 });
    // Started one after the other so their runStart order is known.
    await start('full', 'RouteByMode', { mode: 'full' });
    await start('delta', 'RouteByMode', { mode: 'delta' });
    await start('bad', 'RouteByMode', { mode: 'sideways' });
    await start('empty', 'ValidateBatch', { batchId: 'B-1', rowCount: 0 });
    await start('valid', 'ValidateBatch', { batchId: 'B-2', rowCount: 5 });
  });
  after(() => sb.close());

  it('filters by PipelineName and pages with continuationToken', async () => {
    const { runs, pages } = await queryAll({ filters: [{ operand: 'PipelineName', operator: 'Equals', values: ['RouteByMode'] }] });
    assert.equal(pages, 2, 'three runs at two per page');
    assert.deepEqual(runs.map((r) => r.runId), [ids.full, ids.delta, ids.bad]);
  });

  it('filters by Status with In / NotIn and combines filters', async () => {
    const failed = await queryAll({ filters: [{ operand: 'Status', operator: 'In', values: ['Failed'] }] });
    assert.deepEqual(failed.runs.map((r) => r.runId).sort(), [ids.bad, ids.empty].sort());
    const notFailedRoutes = await queryAll({
      filters: [
        { operand: 'Status', operator: 'NotIn', values: ['Failed', 'Cancelled'] },
        { operand: 'PipelineName', operator: 'NotEquals', values: ['ValidateBatch'] },
      ],
    });
    assert.deepEqual(notFailedRoutes.runs.map((r) => r.runId), [ids.full, ids.delta]);
  });

  it('orders by RunStart DESC and by PipelineName', async () => {
    const desc = await queryAll({ orderBy: [{ orderBy: 'RunStart', order: 'DESC' }] });
    assert.deepEqual(desc.runs.map((r) => r.runId), [ids.valid, ids.empty, ids.bad, ids.delta, ids.full]);
    const byName = await queryAll({ orderBy: [{ orderBy: 'PipelineName', order: 'DESC' }, { orderBy: 'RunStart', order: 'ASC' }] });
    assert.deepEqual(byName.runs.map((r) => r.runId), [ids.empty, ids.valid, ids.full, ids.delta, ids.bad]);
  });

  it('honours the lastUpdated window', async () => {
    const page = await sb.client.pipelineRuns.queryByFactory(RESOURCE_GROUP, FACTORY, {
      lastUpdatedAfter: new Date(Date.now() - 7_200_000),
      lastUpdatedBefore: new Date(Date.now() - 3_600_000),
    });
    assert.deepEqual(page.value, []);
    assert.equal(page.continuationToken, undefined);
  });

  it('rejects a bad operand and a continuationToken from another query', async () => {
    await assert.rejects(
      sb.client.pipelineRuns.queryByFactory(RESOURCE_GROUP, FACTORY, { ...activityQueryWindow(), filters: [{ operand: 'ActivityName', operator: 'Equals', values: ['x'] }] }),
      (e: unknown) => e instanceof RestError && e.statusCode === 400 && /ActivityName/.test(e.message),
    );
    const first = await sb.client.pipelineRuns.queryByFactory(RESOURCE_GROUP, FACTORY, activityQueryWindow());
    assert.ok(first.continuationToken);
    await assert.rejects(
      sb.client.pipelineRuns.queryByFactory(RESOURCE_GROUP, FACTORY, {
        ...activityQueryWindow(),
        filters: [{ operand: 'Status', operator: 'Equals', values: ['Succeeded'] }],
        continuationToken: first.continuationToken,
      }),
      (e: unknown) => e instanceof RestError && e.statusCode === 400 && /continuationToken/.test(e.message),
    );
  });

  it('queries activity runs with filters and paging', async () => {
    const { runId } = await sb.client.pipelines.createRun(RESOURCE_GROUP, FACTORY, 'ProcessFiles', { parameters: { files: ['a.csv', 'b.csv', 'c.txt'] } });
    await waitForRun(sb, runId);
    const names: string[] = [];
    let continuationToken: string | undefined;
    let pages = 0;
    do {
      const page = await sb.client.activityRuns.queryByPipelineRun(RESOURCE_GROUP, FACTORY, runId, {
        ...activityQueryWindow(),
        filters: [{ operand: 'ActivityType', operator: 'Equals', values: ['AppendVariable'] }],
        continuationToken,
      });
      pages++;
      for (const a of page.value) {
        assert.equal(a.activityType, 'AppendVariable');
        assert.equal(a.pipelineRunId, runId);
        assert.equal(a.pipelineName, 'ProcessFiles');
        names.push(a.activityName!);
      }
      continuationToken = page.continuationToken;
    } while (continuationToken && pages < 10);
    assert.equal(names.length, 6, 'three RecordFile and three RecordOrder');
    assert.equal(pages, 3);
    const filters = await sb.client.activityRuns.queryByPipelineRun(RESOURCE_GROUP, FACTORY, runId, {
      ...activityQueryWindow(),
      filters: [{ operand: 'ActivityName', operator: 'In', values: ['KeepCsv', 'ReturnSummary'] }],
      orderBy: [{ orderBy: 'ActivityName', order: 'DESC' }],
    });
    assert.deepEqual(filters.value.map((a) => a.activityName), ['ReturnSummary', 'KeepCsv']);
    assert.equal(filters.value[1].output.FilteredItemsCount, 2);
  });

  it('reruns a failed run from the failure (isRecovery, startFromFailure) in the same run group', async () => {
    const rerun = await sb.client.pipelines.createRun(RESOURCE_GROUP, FACTORY, 'ValidateBatch', {
      referencePipelineRunId: ids.empty,
      isRecovery: true,
      startFromFailure: true,
      parameters: { batchId: 'B-1', rowCount: 9 },
    });
    const run = await waitForRun(sb, rerun.runId);
    assert.equal(run.status, 'Succeeded', run.message);
    assert.equal(run.runGroupId, ids.empty);
    assert.equal(run.isLatest, true);
    assert.equal((await sb.client.pipelineRuns.get(RESOURCE_GROUP, FACTORY, ids.empty)).isLatest, false);
    const group = await queryAll({ filters: [{ operand: 'RunGroupId', operator: 'Equals', values: [ids.empty] }] });
    assert.deepEqual(group.runs.map((r) => r.runId), [ids.empty, rerun.runId]);
    const latest = await queryAll({
      filters: [
        { operand: 'RunGroupId', operator: 'Equals', values: [ids.empty] },
        { operand: 'LatestOnly', operator: 'Equals', values: ['true'] },
      ],
    });
    assert.deepEqual(latest.runs.map((r) => r.runId), [rerun.runId]);
  });

  it('reuses the parameters of referencePipelineRunId and rejects an unknown one', async () => {
    const again = await sb.client.pipelines.createRun(RESOURCE_GROUP, FACTORY, 'RouteByMode', { referencePipelineRunId: ids.full });
    const run = await waitForRun(sb, again.runId);
    assert.equal(run.parameters?.mode, 'full');
    assert.equal(run.runGroupId, again.runId, 'without isRecovery it is a new run group');
    await assert.rejects(
      sb.client.pipelines.createRun(RESOURCE_GROUP, FACTORY, 'RouteByMode', { referencePipelineRunId: '11111111-2222-3333-4444-555555555555' }),
      (e: unknown) => e instanceof RestError && e.statusCode === 400 && e.code === 'ReferencedPipelineRunNotValid',
    );
  });
});
