/**
 * `npm run bench:stream`: what the run stream costs.
 *  - merge throughput: events/s through RunEventMerger (three sources, repeats, watermarks);
 *  - following a 5,000-event execution live in the embedded sandbox with the real SDK client:
 *    GetExecutionHistory calls per poll (once caught up) and in total;
 *  - the delay from the run's last event to its summary, in poll intervals.
 * Targets (issue 8): ≥ 1 M events/s; ≤ 1 call a poll once caught up; ≤ 2 poll intervals.
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import { RunEventMerger } from '../src/core/run/merge';
import type { RunEvent, RunEventSource } from '../src/core/run/events';
import { readBridgeConfig } from '../src/core/config/model';
import { startSandbox } from '../src/sandbox/index';
import { startRun, SANDBOX_TIMING, type CallCounts } from '../src/cloud/index';
import { median } from './stats';

process.env.AWS_EC2_METADATA_DISABLED = 'true';
// The in-process sandbox's Map iterations each listen on their execution's signal.
setMaxListeners(0);
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

function mergeThroughput(): number {
  const sources: RunEventSource[] = ['adf', 'sfn', 'gateway'];
  const total = 1_000_000;
  const batch = 1_000;
  const events: { e: RunEvent; t: number }[] = [];
  const t0 = Date.parse('2026-11-23T10:00:00.000Z');
  for (let i = 0; i < total; i++) {
    const source = sources[i % 3];
    // Sources interleave with jitter: each batch is out of order across sources.
    const t = t0 + i + ((i * 7919) % 50);
    events.push({ e: { type: 'event', correlationId: 'c', source, id: `${source}-${i}`, time: '', kind: 'x' }, t });
  }
  const runs: number[] = [];
  for (let r = 0; r < 5; r++) {
    const merger = new RunEventMerger();
    let out = 0;
    const start = performance.now();
    for (let i = 0; i < total; i += batch) {
      for (let j = i; j < i + batch; j++) merger.add(events[j].e, events[j].t);
      // Every tenth event is read again by the next poll (overlapping windows).
      for (let j = i; j < i + batch; j += 10) merger.add(events[j].e, events[j].t);
      const mark = events[i + batch - 1].t - 50;
      for (const s of sources) merger.advance(s, mark);
      out += merger.release(Number.NEGATIVE_INFINITY).length;
    }
    out += merger.flush().length;
    const seconds = (performance.now() - start) / 1000;
    if (out !== total) throw new Error(`merge lost events: ${out} of ${total}`);
    runs.push(total / seconds);
  }
  return median(runs);
}

function workspace(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bridge-bench-stream-'));
  mkdirSync(path.join(dir, 'statemachines'));
  // 1,248 Map iterations of 4 events each, 10 at a time, each waiting: ~5,000 events over seconds.
  writeFileSync(
    path.join(dir, 'statemachines', 'long.asl.json'),
    JSON.stringify({
      StartAt: 'Items',
      States: {
        Items: { Type: 'Pass', Result: Array.from({ length: 1248 }, (_, i) => i), ResultPath: '$.items', Next: 'Each' },
        Each: { Type: 'Map', ItemsPath: '$.items', MaxConcurrency: 16, ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Pause', States: { Pause: { Type: 'Wait', Seconds: 1, End: true } } }, ResultPath: null, End: true },
      },
    }),
  );
  writeFileSync(
    path.join(dir, 'bench.bridge.jsonc'),
    JSON.stringify({
      version: 1,
      aws: { accountId: '123456789012', region: 'eu-west-1' },
      environments: { dev: {} },
      links: { long: { trigger: 's3-to-sfn', stateMachine: { arn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:Long', definition: './statemachines/long.asl.json' }, s3: { bucket: 'b' }, identity: { awsRoleArn: 'arn:aws:iam::123456789012:role/r' } } },
    }),
  );
  return dir;
}

async function followLive(): Promise<{ events: number; polls: number[]; total: number; delayMs: number }> {
  const dir = workspace();
  let lastEventAt = 0;
  const sandbox = await startSandbox({ paths: [dir], waitScale: 0.05, onSfnEvent: () => (lastEventAt = performance.now()) });
  try {
    const file = path.join(dir, 'bench.bridge.jsonc');
    const config = readBridgeConfig(file, readFileSync(file, 'utf8'));
    const counts: CallCounts = new Map();
    const perPoll: number[] = [];
    let before = 0;
    let summaryAt = 0;
    let events = 0;
    const handle = startRun(
      {
        config,
        link: config.links[0],
        target: 'sandbox',
        sandbox: { stepFunctions: sandbox.stepFunctions, dataFactory: sandbox.dataFactory, caPem: sandbox.caPem },
        observer: { onEvent: () => events++, onSummary: () => (summaryAt = performance.now()) },
      },
      {
        callCounts: counts,
        onPoll: () => {
          const n = counts.get('sfn.GetExecutionHistory') ?? 0;
          perPoll.push(n - before);
          before = n;
        },
      },
    );
    const summary = await handle.result;
    if (summary.status !== 'Succeeded') throw new Error(`the bench run ended ${summary.status}: ${summary.reason}`);
    return { events, polls: perPoll, total: counts.get('sfn.GetExecutionHistory') ?? 0, delayMs: summaryAt - lastEventAt };
  } finally {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** ns per iteration of a trivial loop: how loaded this machine is (an idle modern core: about 1 ns). */
function calibration(): number {
  let x = 0;
  const n = 20_000_000;
  const start = performance.now();
  for (let i = 0; i < n; i++) x += i % 7;
  const ns = ((performance.now() - start) * 1e6) / n;
  return x > 0 ? ns : ns;
}

/** Adds/s of 1 M string ids into a bare Set: the floor under any merge that drops repeats by id. */
function setFloor(): number {
  const ids = Array.from({ length: 1_000_000 }, (_, i) => `sfn-${i}`);
  const runs: number[] = [];
  for (let r = 0; r < 3; r++) {
    const set = new Set<string>();
    const start = performance.now();
    for (const id of ids) set.add(id);
    runs.push(ids.length / ((performance.now() - start) / 1000));
  }
  return median(runs);
}

async function main(): Promise<void> {
  const loop = calibration();
  const floor = setFloor();
  const rate = mergeThroughput();
  console.log(`merge throughput: ${(rate / 1e6).toFixed(2)} M events/s (target ≥ 1 M/s)`);
  console.log(`  for scale, on this machine: a bare Set takes ${(floor / 1e6).toFixed(2)} M string ids/s (the merge is ${(rate / floor * 100).toFixed(0)}% of that), a trivial loop ${loop.toFixed(1)} ns/iteration (an idle core: about 1 ns)`);
  const live = await followLive();
  const caughtUp = live.polls.slice(1);
  console.log(`following a ${live.events}-event execution live: ${live.polls.length} polls, ${live.total} GetExecutionHistory calls in total`);
  console.log(`  calls per poll: first ${live.polls[0]}, then max ${Math.max(...caughtUp)}, mean ${(caughtUp.reduce((a, b) => a + b, 0) / Math.max(1, caughtUp.length)).toFixed(2)} (target ≤ 1 once caught up)`);
  console.log(`last event → summary: ${live.delayMs.toFixed(0)} ms = ${(live.delayMs / SANDBOX_TIMING.maxMs).toFixed(2)} idle poll intervals of ${SANDBOX_TIMING.maxMs} ms (${(live.delayMs / SANDBOX_TIMING.minMs).toFixed(2)} of the ${SANDBOX_TIMING.minMs} ms busy interval; target ≤ 2)`);
}

void main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
