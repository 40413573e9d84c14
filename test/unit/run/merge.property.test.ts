/**
 * The run stream's merge under random interleavings: sources polled in any order, events seen
 * again and again (every poll re-reads overlapping windows), and stragglers that show up after
 * their source claimed to be complete. Whatever happens: each event exactly once, the ones in
 * order in time order, and only true stragglers marked late.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RunEventMerger } from '../../../src/core/run/merge';
import type { RunEvent, RunEventSource } from '../../../src/core/run/events';

const SOURCES: RunEventSource[] = ['adf', 'sfn', 'gateway'];

interface Spec {
  source: RunEventSource;
  id: string;
  t: number;
  /** How long after it happened the event becomes visible to a read. */
  delay: number;
}

const LAG = 50;

const specs = fc
  .array(fc.record({ source: fc.constantFrom(...SOURCES), t: fc.integer({ min: 0, max: 2000 }), delay: fc.oneof(fc.integer({ min: 0, max: LAG }), fc.integer({ min: 0, max: 600 })) }), { maxLength: 120 })
  .map((list) => list.map((s, i): Spec => ({ ...s, id: `e${i}` })));

function eventOf(s: Spec): RunEvent {
  return { type: 'event', correlationId: 'c', source: s.source, id: s.id, time: new Date(s.t).toISOString(), kind: 'x' };
}

interface Scenario {
  events: Spec[];
  /** Poll times, increasing. */
  polls: number[];
  /** Per poll: the order the sources are read in, and how many old events each read repeats. */
  seed: number;
}

const scenarios = fc.record({
  events: specs,
  polls: fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 40 }).map((steps) => steps.reduce<number[]>((acc, s) => [...acc, (acc[acc.length - 1] ?? 0) + s], [])),
  seed: fc.integer(),
});

function run(s: Scenario): { out: RunEvent[]; addedAt: Map<string, number>; frontAtAdd: Map<string, number> } {
  const merger = new RunEventMerger();
  const out: RunEvent[] = [];
  let rnd = s.seed >>> 0;
  const random = () => ((rnd = (Math.imul(rnd ^ (rnd >>> 15), 2246822507) + 0x9e3779b9) >>> 0) / 4294967296);
  const frontAtAdd = new Map<string, number>();
  const addedAt = new Map<string, number>();
  let front = -Infinity;
  const deliver = (e: Spec) => {
    const key = `${e.source} ${e.id}`;
    if (!frontAtAdd.has(key)) frontAtAdd.set(key, front);
    merger.add(eventOf(e), e.t);
  };
  for (const p of s.polls) {
    const order = [...SOURCES].sort(() => random() - 0.5);
    for (const source of order) {
      const visible = s.events.filter((e) => e.source === source && e.t + e.delay <= p);
      // A read returns what is visible, in any order, some of it twice.
      for (const e of [...visible].sort(() => random() - 0.5)) {
        deliver(e);
        if (random() < 0.3) deliver(e);
      }
      merger.advance(source, p - LAG);
    }
    for (const e of merger.release(p)) {
      out.push(e);
      if (!e.late) front = Math.max(front, Date.parse(e.time));
    }
  }
  // The run is over: every source is read to the end, then everything still held comes out.
  for (const e of s.events) deliver(e);
  out.push(...merger.flush());
  return { out, addedAt, frontAtAdd };
}

test('property: every event exactly once, whatever the interleaving and the repeats', () => {
  fc.assert(
    fc.property(scenarios, (s) => {
      const { out } = run(s);
      const keys = out.map((e) => `${e.source} ${e.id}`);
      assert.equal(new Set(keys).size, keys.length, 'no event twice');
      assert.deepEqual([...keys].sort(), s.events.map((e) => `${e.source} ${e.id}`).sort(), 'no event dropped');
    }),
    { numRuns: 300 },
  );
});

test('property: events not marked late come out in time order', () => {
  fc.assert(
    fc.property(scenarios, (s) => {
      const { out } = run(s);
      let last = -Infinity;
      for (const e of out) {
        if (e.late) continue;
        const t = Date.parse(e.time);
        assert.ok(t >= last, `${e.id} at ${t} after an event at ${last}`);
        last = t;
      }
    }),
    { numRuns: 300 },
  );
});

test('property: an event is late only when a later event was already printed before it arrived', () => {
  fc.assert(
    fc.property(scenarios, (s) => {
      const { out, frontAtAdd } = run(s);
      for (const e of out) {
        if (!e.late) continue;
        const front = frontAtAdd.get(`${e.source} ${e.id}`)!;
        assert.ok(Date.parse(e.time) < front, `${e.id} marked late though nothing later had been printed`);
      }
    }),
    { numRuns: 300 },
  );
});

test('property: with no stragglers (each source as complete as it claims) nothing is late and all is in order', () => {
  fc.assert(
    fc.property(scenarios, (s) => {
      const punctual = { ...s, events: s.events.map((e) => ({ ...e, delay: Math.min(e.delay, LAG) })) };
      const { out } = run(punctual);
      assert.ok(out.every((e) => !e.late));
      const times = out.map((e) => Date.parse(e.time));
      assert.deepEqual(times, [...times].sort((a, b) => a - b));
    }),
    { numRuns: 300 },
  );
});

test('a source that falls behind holds the stream only for maxHoldMs; what it brings later is late, once', () => {
  const merger = new RunEventMerger({ maxHoldMs: 1000 });
  const ev = (source: RunEventSource, id: string, t: number): RunEvent => ({ type: 'event', correlationId: 'c', source, id, time: new Date(t).toISOString(), kind: 'x' });
  merger.add(ev('adf', 'a1', 100), 100);
  merger.advance('adf', 5000);
  merger.advance('sfn', 0);
  assert.deepEqual(merger.release(500).map((e) => e.id), [], 'held while sfn is behind');
  assert.deepEqual(merger.release(1200).map((e) => e.id), ['a1'], 'released after maxHoldMs');
  merger.add(ev('sfn', 's1', 50), 50);
  merger.add(ev('sfn', 's1', 50), 50);
  const late = merger.release(1300);
  assert.deepEqual(late.map((e) => [e.id, e.late]), [['s1', true]]);
  assert.deepEqual(merger.flush(), []);
});
