import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { RunEvent, RunLine } from '../../../src/core/run/events';
import { layoutTimeline, splitRuns, type TimelineModel } from '../../../src/core/timeline/layout';
import { historyThreads } from '../../../src/core/timeline/threads';
import { crossCloudRun, longRun, RunStream, T0 } from './fixtures';

const rowOf = (m: TimelineModel, label: string) => {
  const i = m.rows.findIndex((r) => r.label === label);
  assert.ok(i >= 0, `no row "${label}" in ${m.rows.map((r) => r.label).join(', ')}`);
  return i;
};
const barsIn = (m: TimelineModel, row: number) => m.bars.filter((b) => b.row === row);

describe('layoutTimeline: one cross-cloud run', () => {
  const m = layoutTimeline(crossCloudRun());

  test('groups by run: the pipeline run, the gateway, the execution, each with its lanes under it', () => {
    const top = m.rows.filter((r) => r.depth === 0).map((r) => `${r.cloud}:${r.label}`);
    assert.deepEqual(top, ['adf:Pipeline IngestAndRetrain', 'gateway:API Gateway', 'sfn:Execution Retrain']);
    const lanes = (parent: string) => m.rows.filter((r) => r.parent === parent).map((r) => r.label);
    assert.deepEqual(lanes('adf:run-ingest'), ['CopyToCurated', 'WaitForLanding', 'RunCleanup', 'StartRetrain']);
    assert.deepEqual(lanes(`sfn:arn:aws:states:eu-west-1:123456789012:execution:Retrain:01JDTIMELINE0000000000000`), ['Validate', 'ScoreBatches', 'Notify', 'Cooldown', 'Done']);
  });

  test('the child pipeline run nests under the ExecutePipeline activity that started it', () => {
    const child = m.rows[rowOf(m, 'Pipeline Cleanup')];
    assert.equal(child.parent, 'adf:run-ingest/activity:RunCleanup');
    assert.equal(child.depth, 2);
    assert.equal(m.rows[rowOf(m, 'DeleteStaging')].parent, 'adf:run-cleanup');
  });

  test('the gateway request is the hop: from the Web activity to the gateway, from the gateway to the execution', () => {
    const web = rowOf(m, 'StartRetrain');
    const gateway = rowOf(m, 'API Gateway');
    const exec = rowOf(m, 'Execution Retrain');
    assert.deepEqual(m.hops.map((h) => [h.from.row, h.to.row]), [[web, gateway], [gateway, exec]]);
    const [request] = barsIn(m, gateway);
    assert.equal(request.kind, 'request');
    assert.equal(request.end - request.start, 42, 'a request lasts its latency');
    assert.match(request.label, /HTTP 200/);
  });

  test('retries are separate attempts with the retry interval between them', () => {
    const bars = barsIn(m, rowOf(m, 'Validate'));
    const attempts = bars.filter((b) => b.attempt !== undefined && b.kind === 'state');
    assert.deepEqual(attempts.map((b) => [b.attempt, b.status]), [[0, 'failed'], [1, 'succeeded']]);
    assert.equal(attempts[0].error?.code, 'States.Timeout');
    const wait = bars.find((b) => b.kind === 'retry-wait');
    assert.ok(wait);
    assert.equal(wait.start, attempts[0].end);
    assert.equal(wait.end, attempts[1].start);
    assert.equal(wait.end - wait.start, 400);
    assert.ok(bars.find((b) => b.attempt === undefined)?.envelope, 'the state visit around its attempts is an outline');
  });

  test('waits are visible as waits on both sides', () => {
    assert.equal(barsIn(m, rowOf(m, 'WaitForLanding'))[0].kind, 'wait');
    const cooldown = barsIn(m, rowOf(m, 'Cooldown'))[0];
    assert.equal(cooldown.kind, 'wait');
    assert.equal(cooldown.end - cooldown.start, 1000);
  });

  test('Map iterations and Parallel branches are nested rows with their states', () => {
    const map = m.rows[rowOf(m, 'ScoreBatches')];
    const iterations = m.rows.filter((r) => r.parent === map.id);
    assert.deepEqual(iterations.map((r) => `${r.label}: ${r.detail}`), ['iteration 0: Score → Collect', 'iteration 1: Score → Collect', 'iteration 2: Score → Collect']);
    for (const it of iterations) assert.deepEqual(barsIn(m, m.rows.indexOf(it)).map((b) => b.name), ['Score', 'Collect']);
    const notify = m.rows[rowOf(m, 'Notify')];
    const branches = m.rows.filter((r) => r.parent === notify.id);
    assert.deepEqual(branches.map((r) => `${r.label}: ${r.detail}`), ['branch 1: EmailTeam', 'branch 2: UpdateDashboard']);
  });

  test('the run is finished: its status, one time axis from the first start to the last end', () => {
    assert.equal(m.status, 'Succeeded');
    assert.equal(m.live, false);
    assert.equal(m.startedAt, T0);
    assert.equal(m.t0, T0 + 120, 'the pipeline run started 120 ms after the run was asked for');
    assert.equal(m.t1, Math.max(...m.bars.map((b) => b.end)));
    assert.ok(m.bars.every((b) => !b.open));
  });
});

describe('layoutTimeline: failures, folding, live runs', () => {
  test('a failed iteration is red with its error, the run says why, and it stays in sight when the rest fold', () => {
    const m = layoutTimeline(crossCloudRun({ iterations: 30, failIteration: 20 }));
    assert.equal(m.status, 'Failed');
    assert.match(m.reason ?? '', /batch 20/);
    const failed = m.bars.filter((b) => b.status === 'failed' && b.name === 'Score');
    assert.equal(failed.length, 1);
    assert.equal(failed[0].error?.message, 'batch 20: model endpoint returned 500');
    assert.equal(m.rows[failed[0].row].label, 'iteration 20');
    assert.equal(m.rows[failed[0].row].overflowOf, undefined, 'the failed iteration is not folded away');
    const more = m.rows.find((r) => r.kind === 'more');
    assert.ok(more);
    assert.equal(more.label, '12 more iterations');
    assert.equal(more.hidden, 12);
    assert.equal(m.rows.filter((r) => r.overflowOf === more.id).length, 12);
    const summary = barsIn(m, m.rows.indexOf(more))[0];
    assert.equal(summary.kind, 'summary');
    assert.equal(summary.status, 'succeeded');
    assert.equal(barsIn(m, rowOf(m, 'Execution Retrain'))[0].status, 'failed');
  });

  test('collapseAfter sets how many iterations show before the rest fold', () => {
    const m = layoutTimeline(crossCloudRun({ iterations: 5 }), { collapseAfter: 2 });
    const more = m.rows.find((r) => r.kind === 'more');
    assert.equal(more?.hidden, 3);
    assert.equal(layoutTimeline(crossCloudRun({ iterations: 5 })).rows.some((r) => r.kind === 'more'), false);
  });

  test('a live run: open spans run up to now, and grow as now moves on', () => {
    const lines = crossCloudRun({ live: true });
    const m = layoutTimeline(lines);
    assert.equal(m.live, true);
    assert.equal(m.status, undefined);
    const train = barsIn(m, rowOf(m, 'TrainModel'))[0];
    assert.equal(train.open, true);
    assert.equal(train.status, 'running');
    assert.match(train.label, /so far/);
    const later = layoutTimeline(lines, { now: m.t1 + 5000 });
    const trainLater = barsIn(later, rowOf(later, 'TrainModel'))[0];
    assert.equal(trainLater.end - train.end, 5000);
    assert.equal(barsIn(later, rowOf(later, 'Pipeline IngestAndRetrain'))[0].open, true);
  });

  test('the same events in another order (late arrivals) give the same picture', () => {
    const lines = crossCloudRun({ iterations: 4 });
    const shuffled = [lines[0], ...lines.slice(1, -1).reverse().map((l) => (l.type === 'event' ? { ...l, late: true as const } : l)), lines[lines.length - 1]];
    const a = layoutTimeline(lines);
    const b = layoutTimeline(shuffled);
    const shape = (m: TimelineModel) => m.rows.map((r, i) => `${r.id}|${barsIn(m, i).map((x) => `${x.name}@${x.start}-${x.end}:${x.status}`).sort().join(',')}`);
    assert.deepEqual(shape(b), shape(a));
  });

  test('an end mark alone (an activity run reported once already over) is a whole bar', () => {
    const s = new RunStream();
    const p = s.pipeline('P', 'run-1').start();
    s.advance(900);
    s.event({ source: 'adf', kind: 'activity', name: 'Quick', status: 'Succeeded', pipelineRunId: 'run-1', activityRunId: 'a1', activityType: 'Lookup', span: { key: 'a1', phase: 'instant', of: 'activity', start: new Date(T0 + 100).toISOString(), outcome: 'Succeeded' } });
    p.end();
    const m = layoutTimeline(s.summary('Succeeded').lines);
    const bar = barsIn(m, rowOf(m, 'Quick'))[0];
    assert.equal(bar.start, T0 + 100);
    assert.equal(bar.end, T0 + 900);
    assert.equal(bar.status, 'succeeded');
  });

  test('a throttled gateway request is a failed request and starts nothing', () => {
    const s = new RunStream();
    const p = s.pipeline('P', 'run-1').start();
    const web = p.begin('CallAws', 'WebActivity');
    s.advance(10);
    s.request('POST /retrain', 429, 3, true);
    web.end(20, 'Failed', { code: '2108', message: 'Too Many Requests' });
    p.end('Failed');
    const m = layoutTimeline(s.summary('Failed', 'CallAws failed: 429').lines);
    const req = barsIn(m, rowOf(m, 'API Gateway'))[0];
    assert.equal(req.status, 'failed');
    assert.match(req.label, /HTTP 429 \(throttled\)/);
    assert.equal(m.hops.length, 1, 'a hop into the gateway, none out of it');
  });

  test('sfn-to-adf: the HTTP task that was running when the pipeline run started is the hop', () => {
    const s = new RunStream('01JDSFNTOADF', 'ingest-landing');
    const exec = s.execution('StartIngest', 'x').start();
    s.advance(5);
    const t = exec.root;
    exec.emit('TaskStateEntered', t.last, { name: 'StartIngest', span: { key: 'st1', phase: 'start', of: 'state' } });
    s.advance(30);
    const p = s.pipeline('IngestLanding', 'run-9').start();
    s.advance(10);
    exec.emit('TaskStateExited', t.last + 1, { name: 'StartIngest', span: { key: 'st1', phase: 'end', of: 'state', outcome: 'Succeeded' } });
    p.activity('Copy', 'Copy', 100);
    p.end();
    exec.end();
    const m = layoutTimeline(s.summary('Succeeded').lines);
    assert.deepEqual(m.hops.map((h) => [m.rows[h.from.row].label, m.rows[h.to.row].label]), [['StartIngest', 'Pipeline IngestLanding']]);
  });
});

describe('layoutTimeline: size', () => {
  test('a run of 1,000 states: one lane per state in order, every state a bar', () => {
    const m = layoutTimeline(longRun(1000));
    assert.equal(m.rows.length, 1001);
    assert.equal(m.bars.length, 1001);
    assert.deepEqual(m.rows.slice(1, 4).map((r) => r.label), ['Step0000', 'Step0001', 'Step0002']);
    assert.equal(m.rows[1000].label, 'Step0999');
    assert.equal(m.bars.filter((b) => b.kind === 'wait').length, 100);
    for (let i = 2; i < m.rows.length; i++) assert.ok(barsIn(m, i)[0].start >= barsIn(m, i - 1)[0].end, `row ${i} starts after row ${i - 1} ends`);
  });

  test('a Map of 1,000 iterations folds to a few rows and one "more" row', () => {
    const m = layoutTimeline(crossCloudRun({ iterations: 1000 }));
    const more = m.rows.find((r) => r.kind === 'more');
    assert.equal(more?.hidden, 992);
    assert.equal(m.rows.filter((r) => r.kind === 'thread' && !r.overflowOf && r.detail === 'Score → Collect').length, 8);
  });
});

describe('splitRuns', () => {
  test('keeps each run\'s lines together, runs in the order they started', () => {
    const a = crossCloudRun();
    const b = longRun(3);
    const interleaved: RunLine[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (a[i]) interleaved.push(a[i]);
      if (b[i]) interleaved.push(b[i]);
    }
    const runs = splitRuns(interleaved);
    assert.deepEqual(runs.map((r) => r.length), [a.length, b.length]);
    assert.deepEqual(runs[1], b);
  });
});

describe('historyThreads', () => {
  const ev = (eventId: number, previousEventId: number, kind: string, name?: string): RunEvent => ({
    type: 'event', correlationId: 'c', source: 'sfn', id: String(eventId), time: '2026-01-01T00:00:00.000Z', kind, eventId, previousEventId, name, executionArn: 'arn',
  });
  test('a Map inside a Parallel branch: each state in its own iteration of its own branch; the state after the Parallel back on the execution', () => {
    const events = [
      ev(1, 0, 'ExecutionStarted'),
      ev(2, 0, 'ParallelStateEntered', 'Fan'),
      ev(3, 2, 'ParallelStateStarted'),
      ev(4, 3, 'PassStateEntered', 'Left'),
      ev(5, 4, 'PassStateExited', 'Left'),
      ev(6, 3, 'MapStateEntered', 'Each'),
      ev(7, 6, 'MapStateStarted'),
      ev(8, 7, 'MapIterationStarted', 'Each'),
      ev(9, 8, 'TaskStateEntered', 'Work'),
      ev(10, 9, 'TaskStateExited', 'Work'),
      ev(11, 10, 'MapIterationSucceeded', 'Each'),
      ev(12, 11, 'MapIterationStarted', 'Each'),
      ev(13, 12, 'TaskStateEntered', 'Work'),
      ev(14, 13, 'TaskStateExited', 'Work'),
      ev(15, 14, 'MapIterationSucceeded', 'Each'),
      ev(16, 15, 'MapStateSucceeded'),
      ev(17, 15, 'MapStateExited', 'Each'),
      ev(18, 17, 'ParallelStateSucceeded'),
      ev(19, 17, 'ParallelStateExited', 'Fan'),
      ev(20, 19, 'SucceedStateEntered', 'Done'),
    ];
    const threads = historyThreads([...events].reverse());
    const describe = (id: number) => {
      const parts: string[] = [];
      for (let t = threads.get(id); t && t.kind !== 'execution'; t = t.parent) parts.unshift(`${t.kind}${t.index}`);
      return parts.join('/') || 'execution';
    };
    assert.equal(describe(4), 'branch0');
    assert.equal(describe(6), 'branch1');
    assert.equal(describe(9), 'branch1/iteration0');
    assert.equal(describe(13), 'branch1/iteration1');
    assert.equal(describe(17), 'branch1');
    assert.equal(describe(19), 'execution');
    assert.equal(describe(20), 'execution');
  });
});

describe('layoutTimeline: streams of the engine (bridge run --sandbox samples --format jsonl)', () => {
  const read = (name: string): RunLine[] =>
    readFileSync(path.resolve(__dirname, '../../../../test/fixtures/timeline', name), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as RunLine);

  test('the samples: adf-to-sfn with its gateway hop, sfn-to-adf with the HTTP task as the hop, s3-to-sfn alone', () => {
    const runs = splitRuns(read('samples-all-links.jsonl'));
    assert.equal(runs.length, 3);
    const [retrain, ingest, landing] = runs.map((r) => layoutTimeline(r));
    assert.deepEqual(retrain.rows.filter((r) => r.depth === 0).map((r) => r.label), ['Pipeline RetrainModel', 'API Gateway', 'Execution Retrain']);
    assert.deepEqual(retrain.hops.map((h) => [retrain.rows[h.from.row].label, retrain.rows[h.to.row].label]), [['StartRetrain', 'API Gateway'], ['API Gateway', 'Execution Retrain']]);
    assert.deepEqual(ingest.hops.map((h) => [ingest.rows[h.from.row].label, ingest.rows[h.to.row].label]), [['StartIngestPipeline', 'Pipeline IngestLanding']]);
    assert.equal(landing.hops.length, 0);
    for (const m of [retrain, ingest, landing]) {
      assert.equal(m.status, 'Succeeded');
      assert.ok(m.bars.every((b) => b.status === 'succeeded' && !b.open), `${m.link}: every bar is over and succeeded`);
    }
  });

  test('a state retried twice: three attempts, two failed with the throttling error, the retry intervals between', () => {
    const m = layoutTimeline(read('retrain-throttled-twice.jsonl'));
    const bars = barsIn(m, rowOf(m, 'TrainModel'));
    const attempts = bars.filter((b) => b.attempt !== undefined && b.kind === 'state').sort((a, b) => a.attempt! - b.attempt!);
    assert.deepEqual(attempts.map((b) => [b.attempt, b.status, b.error?.code]), [[0, 'failed', 'ThrottlingException'], [1, 'failed', 'ThrottlingException'], [2, 'succeeded', undefined]]);
    assert.equal(bars.filter((b) => b.kind === 'retry-wait').length, 2);
    assert.ok(bars.find((b) => b.attempt === undefined)?.envelope);
  });

  test('a state that fails on every attempt, caught into a Fail state: the Fail state and the execution fail with the error', () => {
    const m = layoutTimeline(read('retrain-training-fails.jsonl'));
    assert.equal(m.status, 'Failed');
    const attempts = barsIn(m, rowOf(m, 'TrainModel')).filter((b) => b.attempt !== undefined && b.kind === 'state');
    assert.equal(attempts.length, 4);
    assert.ok(attempts.every((b) => b.status === 'failed' && b.error?.code === 'SageMaker.AmazonSageMakerException'));
    const fail = barsIn(m, rowOf(m, 'TrainingFailed'))[0];
    assert.equal(fail.status, 'failed', 'the Fail state the execution ended in is failed, not left running');
    assert.equal(fail.open, false);
    assert.equal(barsIn(m, rowOf(m, 'Execution Retrain'))[0].status, 'failed');
    assert.ok(rowOf(m, 'API Gateway') < rowOf(m, 'Execution Retrain'), 'the gateway row comes before the execution it started');
  });
});
