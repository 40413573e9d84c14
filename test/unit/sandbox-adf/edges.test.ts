import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join, dirname } from 'node:path';
import { RestError } from '@azure/core-rest-pipeline';
import type { PipelineRun } from '@azure/arm-datafactory';
import { startSandbox, waitForRun, until, activityQueryWindow, FIXTURE_REPO, RESOURCE_GROUP, FACTORY, SUBSCRIPTION, type Sandbox } from './helpers';
import type { DataFactoryRunEvent } from '../../../src/sandbox/datafactory';

const BROKEN_REPO = join(dirname(FIXTURE_REPO), 'broken-repo');

async function childOf(sb: Sandbox, parentRunId: string): Promise<PipelineRun> {
  return until('the child run', async () => {
    const page = await sb.client.pipelineRuns.queryByFactory(RESOURCE_GROUP, FACTORY, {
      ...activityQueryWindow(),
      filters: [{ operand: 'PipelineName', operator: 'Equals', values: ['LongRunning'] }],
    });
    return page.value.find((r) => r.invokedBy?.pipelineRunId === parentRunId && r.status === 'InProgress');
  });
}

describe('ADF sandbox: cancellation, mocks and broken input', () => {
  it('cancels a parent and, with isRecursive, the child run it waits on', async () => {
    const sb = await startSandbox();
    try {
      const { runId } = await sb.client.pipelines.createRun(RESOURCE_GROUP, FACTORY, 'RunLongChild');
      const child = await childOf(sb, runId);
      await sb.client.pipelineRuns.cancel(RESOURCE_GROUP, FACTORY, runId, { isRecursive: true });
      assert.equal((await waitForRun(sb, runId)).status, 'Cancelled');
      assert.equal((await waitForRun(sb, child.runId!)).status, 'Cancelled');
    } finally {
      await sb.close();
    }
  });

  it('leaves the child running when the cancel is not recursive', async () => {
    const sb = await startSandbox();
    try {
      const { runId } = await sb.client.pipelines.createRun(RESOURCE_GROUP, FACTORY, 'RunLongChild');
      const child = await childOf(sb, runId);
      await sb.client.pipelineRuns.cancel(RESOURCE_GROUP, FACTORY, runId);
      assert.equal((await waitForRun(sb, runId)).status, 'Cancelled');
      assert.equal((await sb.client.pipelineRuns.get(RESOURCE_GROUP, FACTORY, child.runId!)).status, 'InProgress');
      await sb.client.pipelineRuns.cancel(RESOURCE_GROUP, FACTORY, child.runId!);
      assert.equal((await waitForRun(sb, child.runId!)).status, 'Cancelled');
    } finally {
      await sb.close();
    }
  });

  it('uses mocked outputs from the mockedActivityOutputs option over the repo *.sandbox.json', async () => {
    const sb = await startSandbox({
      mockedActivityOutputs: { pipelines: { CopyWithFallback: { activities: { CopySales: { output: { rowsCopied: 1200, rowsRead: 1200 } } } } } },
    });
    try {
      const { runId } = await sb.client.pipelines.createRun(RESOURCE_GROUP, FACTORY, 'CopyWithFallback');
      const run = await waitForRun(sb, runId);
      assert.equal(run.status, 'Succeeded', run.message);
      const acts = (await sb.client.activityRuns.queryByPipelineRun(RESOURCE_GROUP, FACTORY, runId, activityQueryWindow())).value;
      assert.deepEqual(acts.map((a) => `${a.activityName}:${a.status}`), ['CopySales:Succeeded', 'PublishReport:Succeeded']);
      assert.equal(acts[0].output.rowsCopied, 1200);
      assert.equal(acts[0].input.source.type, 'DelimitedTextSource', 'the input is the evaluated typeProperties');
      assert.equal(acts[1].output.value, '1200');
    } finally {
      await sb.close();
    }
  });

  it('does not run inactive activities and gives them their onInactiveMarkAs status', async () => {
    const sb = await startSandbox();
    try {
      const { runId } = await sb.client.pipelines.createRun(RESOURCE_GROUP, FACTORY, 'InactiveSteps');
      const run = await waitForRun(sb, runId);
      assert.equal(run.status, 'Succeeded', run.message);
      const acts = (await sb.client.activityRuns.queryByPipelineRun(RESOURCE_GROUP, FACTORY, runId, activityQueryWindow())).value;
      assert.deepEqual(acts.map((a) => `${a.activityName}:${a.status}`).sort(), ['AfterNotify:Succeeded', 'OnLegacyCheckFailed:Succeeded']);
    } finally {
      await sb.close();
    }
  });

  it('reports broken pipeline files instead of dropping them, and refuses to run them', async () => {
    const events: DataFactoryRunEvent[] = [];
    const sb = await startSandbox({
      factories: [{ subscriptionId: SUBSCRIPTION, resourceGroup: RESOURCE_GROUP, factoryName: FACTORY, repoRoot: BROKEN_REPO }],
      hooks: { onEvent: (e) => events.push(e) },
    });
    try {
      const names: string[] = [];
      for await (const p of sb.client.pipelines.listByFactory(RESOURCE_GROUP, FACTORY)) names.push(p.name!);
      assert.deepEqual(names, ['BadExpression', 'Circular']);
      const problem = events.find((e) => e.type === 'repoProblem');
      assert.ok(problem && problem.type === 'repoProblem');
      assert.match(problem.file, /Truncated\.json$/);
      assert.match(problem.message, /Not valid JSON/);
      await assert.rejects(
        sb.client.pipelines.createRun(RESOURCE_GROUP, FACTORY, 'Truncated'),
        (e: unknown) => e instanceof RestError && e.statusCode === 400 && /Truncated\.json/.test(e.message),
      );
      await assert.rejects(
        sb.client.pipelines.createRun(RESOURCE_GROUP, FACTORY, 'Circular'),
        (e: unknown) => e instanceof RestError && e.statusCode === 400 && /cycle/.test(e.message),
      );
    } finally {
      await sb.close();
    }
  });

  it('fails an activity whose expression cannot be evaluated with InvalidTemplate', async () => {
    const sb = await startSandbox({ factories: [{ subscriptionId: SUBSCRIPTION, resourceGroup: RESOURCE_GROUP, factoryName: FACTORY, repoRoot: BROKEN_REPO }] });
    try {
      const { runId } = await sb.client.pipelines.createRun(RESOURCE_GROUP, FACTORY, 'BadExpression');
      const run = await waitForRun(sb, runId);
      assert.equal(run.status, 'Failed');
      const [act] = (await sb.client.activityRuns.queryByPipelineRun(RESOURCE_GROUP, FACTORY, runId, activityQueryWindow())).value;
      assert.equal(act.error.errorCode, 'InvalidTemplate');
      assert.match(act.error.message, /doesNotExist/);
    } finally {
      await sb.close();
    }
  });
});
