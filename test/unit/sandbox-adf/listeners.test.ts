/**
 * A wide ForEach in one pipeline run: every concurrent activity attempt must not hang its own
 * 'abort' listener on the run's signal (Node then prints MaxListenersExceededWarning to the user's
 * terminal on `bridge run --sandbox`, and the listeners pile up with the width of the fan-out).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { ActivityRun } from '@azure/arm-datafactory';
import { activityQueryWindow, FIXTURE_REPO, RESOURCE_GROUP, FACTORY, SUBSCRIPTION, startSandbox, waitForRun, type Sandbox } from './helpers';

// The run-stream workspace's Fanout pipeline: ForEach over range(1, 160), batchCount 40, a Wait inside,
// then an ExecutePipeline.
const RUN_STREAM_REPO = join(FIXTURE_REPO, '..', '..', 'run-stream', 'adf');

describe('ADF sandbox: a wide ForEach leaves no listener pile-up on the run signal', () => {
  let sb: Sandbox;
  const warnings: Error[] = [];
  const onWarning = (w: Error) => warnings.push(w);

  before(async () => {
    process.on('warning', onWarning);
    sb = await startSandbox({ factories: [{ subscriptionId: SUBSCRIPTION, resourceGroup: RESOURCE_GROUP, factoryName: FACTORY, repoRoot: RUN_STREAM_REPO }] });
  });
  after(async () => {
    process.off('warning', onWarning);
    await sb?.close();
  });

  it('runs 160 iterations, 40 at a time, without a MaxListenersExceededWarning', async () => {
    const { runId } = await sb.client.pipelines.createRun(RESOURCE_GROUP, FACTORY, 'Fanout', { parameters: { correlationId: 'listeners-1' } });
    await waitForRun(sb, runId, 60_000);
    // (The run then fails at its WebActivity, which calls a non-loopback URL: not what this test is about.)
    const acts: ActivityRun[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await sb.client.activityRuns.queryByPipelineRun(RESOURCE_GROUP, FACTORY, runId, { ...activityQueryWindow(), continuationToken });
      acts.push(...page.value);
      continuationToken = page.continuationToken;
    } while (continuationToken);
    assert.equal(acts.filter((a) => a.activityName === 'WaitItem' && a.status === 'Succeeded').length, 160);
    assert.equal(acts.find((a) => a.activityName === 'EachItem')?.status, 'Succeeded');
    // Warnings are emitted on the next tick: let one pass before reading them.
    await new Promise((r) => setImmediate(r));
    const leaks = warnings.filter((w) => w.name === 'MaxListenersExceededWarning');
    assert.deepEqual(leaks.map((w) => w.message), []);
  });
});
