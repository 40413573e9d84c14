/**
 * The timeline of one correlated run as plain data: rows (grouped by run, nested for child
 * pipeline runs, Map iterations and Parallel branches) and bars on one time axis, plus the hops
 * between the clouds. Pure: the webview, the CLI's HTML file and the tests all call it.
 *
 * Bars come from the events' span marks (`RunEvent.span`): one bar per span key, from its start
 * mark to its end mark (an `instant` mark carries both). A span still open is drawn up to `now`.
 * What the marks do not say is read from the contract's own fields: the cloud (`source`), the run
 * (`pipelineRunId`, `executionArn`), the history thread of a state (`eventId`/`previousEventId`,
 * see threads.ts), a wait (`WaitStateEntered`, activity type `Wait`), a gateway request (`kind`
 * `request`, with or without a span: its `latencyMs` is its length).
 */
import { executionArnParts } from '../config/arn';
import type { RunEvent, RunLine, RunStartLine, RunSummaryLine } from '../run/events';
import { historyThreads, type HistoryThread } from './threads';

export type TimelineCloud = 'adf' | 'sfn' | 'gateway';
export type BarStatus = 'succeeded' | 'failed' | 'cancelled' | 'skipped' | 'running';
export type BarKind = 'pipeline' | 'activity' | 'execution' | 'state' | 'request' | 'wait' | 'retry-wait' | 'summary';

export interface TimelineRow {
  /** Stable across re-layouts of the same run (live updates keep expansion and focus). */
  id: string;
  label: string;
  /** Secondary text: the activity type, the state type, the run id. */
  detail?: string;
  depth: number;
  cloud: TimelineCloud;
  kind: 'run' | 'lane' | 'thread' | 'more';
  /** The row this one nests under (collapsing it hides this one). */
  parent?: string;
  hasChildren: boolean;
  /** Hidden until the "more" row with this id is expanded. */
  overflowOf?: string;
  /** On a "more" row: how many rows it stands for. */
  hidden?: number;
}

export interface TimelineBar {
  /** Index in `bars`. */
  index: number;
  /** Index in `rows`. */
  row: number;
  /** Milliseconds since the epoch. */
  start: number;
  end: number;
  /** Still running: `end` is the layout's `now`. */
  open: boolean;
  status: BarStatus;
  /** The outcome as the cloud wrote it (Succeeded, TimedOut, 429 …). */
  outcome?: string;
  kind: BarKind;
  cloud: TimelineCloud;
  name: string;
  /** 0 the first attempt; set on retried states and their attempts. */
  attempt?: number;
  /** A failed attempt that was retried (its error is in the card, not written beside it). */
  retried?: boolean;
  /** A state visit whose attempts are drawn as bars of their own: drawn as an outline around them. */
  envelope?: boolean;
  error?: { code?: string; message?: string };
  /** The ids of the events that opened and closed it (what "reveal in the log" goes to). */
  eventIds: string[];
  /** Where the activity or state is defined: its pipeline, or its execution. */
  pipelineName?: string;
  executionArn?: string;
  /** One sentence for screen readers and the hover card. */
  label: string;
}

export interface TimelineHop {
  from: { row: number; time: number };
  to: { row: number; time: number };
  label: string;
}

export interface TimelineModel {
  correlationId: string;
  link?: string;
  config?: string;
  trigger?: string;
  target?: string;
  /** Undefined while the run is live (no summary line yet). */
  status?: RunSummaryLine['status'];
  reason?: string;
  live: boolean;
  /** When the run was asked for (the `run` line): before t0 when the clouds took time to start. */
  startedAt?: number;
  t0: number;
  t1: number;
  rows: TimelineRow[];
  bars: TimelineBar[];
  hops: TimelineHop[];
  eventCount: number;
}

export interface TimelineOptions {
  /** Open spans are drawn up to this time (ms); default the latest event's time. */
  now?: number;
  /** Iterations/branches of one Map or Parallel shown before the rest fold into a "more" row. */
  collapseAfter?: number;
}

export const DEFAULT_COLLAPSE_AFTER = 8;

/** The lines of each run, by correlation id, in the order the runs started. */
export function splitRuns(lines: readonly RunLine[]): RunLine[][] {
  const runs = new Map<string, RunLine[]>();
  for (const line of lines) {
    let run = runs.get(line.correlationId);
    if (!run) runs.set(line.correlationId, (run = []));
    run.push(line);
  }
  return [...runs.values()];
}

interface Span {
  key: string;
  of: string;
  source: TimelineCloud;
  name: string;
  parent?: string;
  start?: number;
  end?: number;
  outcome?: string;
  attempt?: number;
  error?: { code?: string; message?: string };
  first: RunEvent;
  startEvent?: RunEvent;
  endEvent?: RunEvent;
  eventIds: string[];
  order: number;
}

interface Node {
  id: string;
  label: string;
  detail?: string;
  cloud: TimelineCloud;
  kind: TimelineRow['kind'];
  spans: Span[];
  children: Node[];
  childIds: Map<string, Node>;
  first: number;
  /** Iteration/branch rows (collapsible past the count). */
  thread?: HistoryThread;
}

const FAILED = new Set(['Failed', 'TimedOut']);

function statusOf(span: Span): BarStatus {
  const o = span.outcome;
  if (o === undefined) return span.end === undefined ? 'running' : 'succeeded';
  if (/^\d+$/.test(o)) return Number(o) >= 400 ? 'failed' : 'succeeded';
  if (FAILED.has(o)) return 'failed';
  if (o === 'Cancelled' || o === 'Canceled' || o === 'Aborted') return 'cancelled';
  if (o === 'Skipped') return 'skipped';
  if (o === 'InProgress' || o === 'Queued') return 'running';
  return 'succeeded';
}

const time = (iso: string | undefined): number | undefined => {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : undefined;
};

/** Lays out one run (the first correlation id among `lines`). */
export function layoutTimeline(lines: readonly RunLine[], options: TimelineOptions = {}): TimelineModel {
  const collapseAfter = Math.max(1, options.collapseAfter ?? DEFAULT_COLLAPSE_AFTER);
  const correlationId = lines[0]?.correlationId ?? '';
  let start: RunStartLine | undefined;
  let summary: RunSummaryLine | undefined;
  const events: RunEvent[] = [];
  for (const line of lines) {
    if (line.correlationId !== correlationId) continue;
    if (line.type === 'run') start = line;
    else if (line.type === 'summary') summary = line;
    else events.push(line);
  }

  // 1. Spans, by key, from their marks.
  const spans = new Map<string, Span>();
  let latest = time(start?.startedAt) ?? 0;
  for (const e of events) {
    const t = time(e.time);
    if (t === undefined) continue;
    if (t > latest) latest = t;
    const mark = e.span ?? (e.source === 'gateway' ? { key: `request:${e.id}`, phase: 'instant' as const, of: 'request' as const } : undefined);
    if (!mark) continue;
    let span = spans.get(mark.key);
    if (!span) {
      span = { key: mark.key, of: mark.of, source: e.source, name: e.name ?? e.route ?? mark.of, first: e, eventIds: [], order: spans.size };
      spans.set(mark.key, span);
    }
    span.eventIds.push(e.id);
    if (mark.parent !== undefined) span.parent = mark.parent;
    if (mark.attempt !== undefined) span.attempt = mark.attempt;
    if (e.name && span.name === mark.of) span.name = e.name;
    if (span.name === 'execution' && e.executionArn) span.name = executionArnParts(e.executionArn)?.name ?? span.name;
    if (mark.phase === 'start') {
      span.start = t;
      span.startEvent = e;
    } else {
      span.endEvent = e;
      if (mark.phase === 'instant' && e.source === 'gateway' && !e.span) {
        span.start = t;
        span.end = t + Math.max(0, e.latencyMs ?? 0);
        span.outcome = e.status === undefined ? undefined : String(e.status);
      } else {
        span.end = t;
        span.start = span.start ?? time(mark.start) ?? t;
        span.outcome = mark.outcome ?? (typeof e.status === 'string' ? e.status : e.status !== undefined ? String(e.status) : undefined);
        if (mark.of === 'request') {
          // The HTTP status says more than Succeeded/Failed; a request lasts its latency.
          if (typeof e.status === 'number') span.outcome = String(e.status);
          if (span.end - span.start < (e.latencyMs ?? 0)) span.end = span.start + e.latencyMs!;
        }
      }
      if (e.error) span.error = e.error;
    }
    if (span.end !== undefined && span.end > latest) latest = span.end;
  }
  const now = Math.max(options.now ?? latest, latest);

  // 2. History threads per execution (for Map iterations and Parallel branches).
  const byExecution = new Map<string, RunEvent[]>();
  for (const e of events) {
    if (e.source !== 'sfn' || !e.executionArn) continue;
    let list = byExecution.get(e.executionArn);
    if (!list) byExecution.set(e.executionArn, (list = []));
    list.push(e);
  }
  const threads = new Map<string, Map<number, HistoryThread>>();
  for (const [arn, list] of byExecution) {
    const threadOf = historyThreads(list);
    threads.set(arn, threadOf);
    readStateVisits(list, threadOf, spans);
  }

  // 3. The row tree.
  const roots: Node[] = [];
  const nodes = new Map<string, Node>();
  const nodeOfSpan = new Map<string, Node>();
  const makeNode = (id: string, init: Omit<Node, 'id' | 'spans' | 'children' | 'childIds' | 'first'>, parent?: Node): Node => {
    let node = nodes.get(id);
    if (node) return node;
    node = { id, ...init, spans: [], children: [], childIds: new Map(), first: Infinity };
    nodes.set(id, node);
    if (parent) parent.children.push(node);
    else roots.push(node);
    return node;
  };
  const runNodeId = (e: RunEvent): string =>
    e.source === 'adf' ? `adf:${e.pipelineRunId ?? ''}` : e.source === 'sfn' ? `sfn:${e.executionArn ?? ''}` : `gateway:${e.route ?? ''}`;
  const runLabel = (e: RunEvent, span?: Span): { label: string; detail?: string } => {
    if (e.source === 'adf') return { label: `Pipeline ${e.pipelineName ?? (span?.of === 'pipeline' ? span.name : '') ?? ''}`.trim(), detail: e.pipelineRunId ? `run ${e.pipelineRunId}` : undefined };
    if (e.source === 'sfn') {
      const parts = executionArnParts(e.executionArn ?? '');
      return { label: `Execution ${parts?.stateMachine ?? ''}`.trim(), detail: parts?.name };
    }
    return { label: 'API Gateway', detail: e.route };
  };

  const ordered = [...spans.values()].sort((a, b) => (a.start ?? a.end ?? 0) - (b.start ?? b.end ?? 0) || a.order - b.order);
  // Run rows first (pipelines, executions), so child spans find their run's row.
  const runRow = (e: RunEvent, span?: Span): Node => {
    const id = runNodeId(e);
    const existing = nodes.get(id);
    if (existing) return existing;
    const { label, detail } = runLabel(e, span);
    return makeNode(id, { label, detail, cloud: e.source, kind: 'run' });
  };
  for (const span of ordered) {
    if (span.of !== 'pipeline' && span.of !== 'execution') continue;
    const node = runRow(span.first, span);
    node.spans.push(span);
    nodeOfSpan.set(span.key, node);
  }
  const laneFor = (span: Span): Node => {
    const e = span.startEvent ?? span.first;
    const run = runRow(e);
    if (span.of === 'request') return run;
    if (e.source === 'adf') {
      return makeNode(`${run.id}/activity:${span.name}`, { label: span.name, detail: e.activityType, cloud: 'adf', kind: 'lane' }, run);
    }
    // A state: its lane in the execution's thread, or its iteration's/branch's row.
    const thread = e.eventId !== undefined ? threads.get(e.executionArn ?? '')?.get(e.eventId) : undefined;
    return threadNode(run, thread, span.name, e);
  };
  const threadNode = (run: Node, thread: HistoryThread | undefined, stateName: string, e: RunEvent): Node => {
    if (!thread || thread.kind === 'execution') {
      return makeNode(`${run.id}/state:${stateName}`, { label: stateName, detail: stateType(e), cloud: 'sfn', kind: 'lane' }, run);
    }
    const id = `${run.id}/thread:${thread.id}`;
    const existing = nodes.get(id);
    if (existing) return existing;
    const owner = threadNode(run, thread.parent, thread.container!.name, e);
    const label = thread.kind === 'iteration' ? `iteration ${thread.index}` : `branch ${thread.index + 1}`;
    const node = makeNode(id, { label, detail: thread.container!.name, cloud: 'sfn', kind: 'thread', thread }, owner);
    return node;
  };
  for (const span of ordered) {
    if (span.of === 'pipeline' || span.of === 'execution') continue;
    const node = laneFor(span);
    node.spans.push(span);
    nodeOfSpan.set(span.key, node);
  }
  // Child runs (ExecutePipeline, nested executions) move under the row of the span that started them.
  for (const span of ordered) {
    if (span.of !== 'pipeline' && span.of !== 'execution') continue;
    const node = nodeOfSpan.get(span.key)!;
    let parent = span.parent !== undefined ? nodeOfSpan.get(span.parent) : undefined;
    if (!parent && span.first.parentPipelineRunId) parent = nodes.get(`adf:${span.first.parentPipelineRunId}`);
    if (!parent || parent === node || isInside(parent, node)) continue;
    const i = roots.indexOf(node);
    if (i < 0) continue;
    roots.splice(i, 1);
    parent.children.push(node);
  }

  // 4. Flatten to rows, folding long lists of iterations/branches.
  const rows: TimelineRow[] = [];
  const bars: TimelineBar[] = [];
  const firstStart = (n: Node): number => {
    if (n.first !== Infinity) return n.first;
    let t = Infinity;
    for (const s of n.spans) t = Math.min(t, s.start ?? s.end ?? Infinity);
    for (const c of n.children) t = Math.min(t, firstStart(c));
    n.first = t;
    return t;
  };
  // At the same start, the gateway comes before the run its request starts.
  const rank = (n: Node) => (n.cloud === 'gateway' ? -1 : 0);
  const sortNodes = (list: Node[]) =>
    list.sort((a, b) =>
      a.thread && b.thread && a.thread.container?.enteredEventId === b.thread.container?.enteredEventId
        ? a.thread.index - b.thread.index
        : firstStart(a) - firstStart(b) || rank(a) - rank(b),
    );
  const emit = (node: Node, depth: number, parent?: string, overflowOf?: string): void => {
    const row = rows.length;
    const detail = node.thread ? threadDetail(node) : node.detail;
    rows.push({ id: node.id, label: node.label, detail, depth, cloud: node.cloud, kind: node.kind, parent, hasChildren: node.children.length > 0, overflowOf });
    const firstBar = bars.length;
    for (const span of node.spans) addBar(span, row);
    addRetryWaits(row, firstBar);
    const children = sortNodes(node.children);
    const threadChildren = children.filter((c) => c.thread);
    const shown = new Set<Node>();
    if (threadChildren.length > collapseAfter) {
      for (const c of threadChildren.slice(0, collapseAfter)) shown.add(c);
      // Failures and live iterations stay in sight, whatever their number.
      for (const c of threadChildren) if (shown.size < collapseAfter * 2 && subtreeHas(c, (s) => statusOf(s) !== 'succeeded')) shown.add(c);
    }
    let moreId: string | undefined;
    const folded = shown.size ? threadChildren.filter((c) => !shown.has(c)) : [];
    const foldedSet = new Set(folded);
    for (const c of children) if (!foldedSet.has(c)) emit(c, depth + 1, node.id, overflowOf);
    if (folded.length) {
      moreId = `${node.id}/more`;
      const kindWord = folded[0].thread?.kind === 'branch' ? 'branches' : 'iterations';
      const moreRow = rows.length;
      const counts = new Map<BarStatus, number>();
      let s0 = Infinity;
      let s1 = -Infinity;
      let open = false;
      for (const c of folded) {
        const st = subtreeStatus(c);
        counts.set(st, (counts.get(st) ?? 0) + 1);
        walkSpans(c, (s) => {
          s0 = Math.min(s0, s.start ?? s.end ?? Infinity);
          s1 = Math.max(s1, s.end ?? now);
          if (s.end === undefined) open = true;
        });
      }
      const tally = [...counts].map(([st, n]) => `${n} ${st}`).join(', ');
      rows.push({ id: moreId, label: `${folded.length} more ${kindWord}`, detail: tally, depth: depth + 1, cloud: node.cloud, kind: 'more', parent: node.id, hasChildren: true, hidden: folded.length, overflowOf });
      if (s0 !== Infinity) {
        const status: BarStatus = counts.get('failed') ? 'failed' : open ? 'running' : 'succeeded';
        bars.push({
          index: bars.length, row: moreRow, start: s0, end: Math.max(s0, s1), open, status, kind: 'summary', cloud: node.cloud,
          name: `${folded.length} more ${kindWord}`, eventIds: [],
          label: `${folded.length} more ${kindWord} of ${node.label}: ${tally}, ${formatDuration(Math.max(0, s1 - s0))} from first start to last end`,
        });
      }
      for (const c of folded) emit(c, depth + 1, node.id, moreId);
    }
  };
  const addBar = (span: Span, row: number): void => {
    const e = span.startEvent ?? span.first;
    const begin = span.start ?? span.end ?? now;
    const open = span.end === undefined;
    const end = open ? now : span.end!;
    const isWait = e.kind === 'WaitStateEntered' || (span.of === 'activity' && (e.activityType ?? span.endEvent?.activityType) === 'Wait');
    const kind: BarKind = isWait ? 'wait' : (span.of as BarKind);
    const status = open ? 'running' : statusOf(span);
    const error = span.error ?? (status === 'failed' ? span.endEvent?.error : undefined);
    const bar: TimelineBar = {
      index: bars.length, row, start: begin, end: Math.max(begin, end), open, status, outcome: span.outcome, kind, cloud: span.source,
      name: span.name, attempt: span.attempt, error, eventIds: span.eventIds,
      pipelineName: e.source === 'adf' ? e.pipelineName ?? (span.of === 'pipeline' ? span.name : undefined) : undefined,
      executionArn: e.executionArn, label: '',
    };
    bar.label = barLabel(bar, e, span);
    bars.push(bar);
  };
  /** Between two attempts of the same state: the retry interval, drawn as a wait. */
  const addRetryWaits = (row: number, firstBar: number): void => {
    const own = bars.slice(firstBar);
    const attempts = own.filter((b) => b.attempt !== undefined).sort((a, b) => a.start - b.start);
    for (const b of own) if (b.attempt === undefined && attempts.some((a) => a.name === b.name && a.start >= b.start && a.start <= b.end)) b.envelope = true;
    for (let i = 1; i < attempts.length; i++) {
      const prev = attempts[i - 1];
      const next = attempts[i];
      if (next.name !== prev.name || next.attempt! !== prev.attempt! + 1) continue;
      prev.retried = true;
      if (next.start <= prev.end) continue;
      bars.push({
        index: bars.length, row, start: prev.end, end: next.start, open: false, status: 'succeeded', kind: 'retry-wait', cloud: prev.cloud,
        name: prev.name, attempt: next.attempt, eventIds: [], executionArn: prev.executionArn, pipelineName: prev.pipelineName,
        label: `${prev.name}: retry interval before attempt ${next.attempt! + 1}, ${formatDuration(next.start - prev.end)}`,
      });
    }
  };
  for (const root of sortNodes(roots)) emit(root, 0);

  // 5. Hops between the clouds.
  const hops = findHops(rows, bars);

  // The axis starts at the first bar: the time the run took to get going is said in words (startedAt).
  let t0 = Infinity;
  let t1 = -Infinity;
  for (const b of bars) {
    if (b.start < t0) t0 = b.start;
    if (b.end > t1) t1 = b.end;
  }
  if (t0 === Infinity) t0 = time(start?.startedAt) ?? now;
  if (t1 < t0) t1 = t0;
  if (t1 === t0) t1 = t0 + 1000;
  return {
    startedAt: time(start?.startedAt),
    correlationId, link: start?.link, config: start?.config, trigger: start?.trigger, target: start?.target,
    status: summary?.status, reason: summary?.reason, live: !summary, t0, t1, rows, bars, hops, eventCount: events.length,
  };
}

/** An iteration's or branch's states, in order: "Score → Collect". */
function threadDetail(node: Node): string {
  const names: string[] = [];
  for (const s of [...node.spans].sort((a, b) => (a.start ?? 0) - (b.start ?? 0))) if (s.attempt === undefined && !names.includes(s.name)) names.push(s.name);
  return names.length > 4 ? `${names.slice(0, 4).join(' → ')} → …` : names.join(' → ');
}

const ATTEMPT_START = /^(Task|LambdaFunction|Activity)Scheduled$/;
const ATTEMPT_END = /^(Task|LambdaFunction|Activity)(Succeeded|Failed|TimedOut|StartFailed|SubmitFailed|ScheduleFailed)$/;
const STATE_FAILURE = /^(?!Execution|MapIteration)\w*(Failed|TimedOut)$/;

interface Visit {
  span: Span;
  thread: HistoryThread | undefined;
  attempts: { start: RunEvent; end?: RunEvent }[];
  failure?: RunEvent;
}

/**
 * What the span marks of a state visit leave to the history: its attempts (each Scheduled …
 * Succeeded/Failed is one; a retried state gets a span per attempt, numbered from 0), its failure
 * and error (a failed Task or Map never exits), and its end when the execution ended first.
 */
function readStateVisits(events: readonly RunEvent[], threadOf: Map<number, HistoryThread>, spans: Map<string, Span>): void {
  const sorted = events.filter((e) => typeof e.eventId === 'number').sort((a, b) => a.eventId! - b.eventId!);
  const current = new Map<HistoryThread | undefined, Visit>();
  const visits: Visit[] = [];
  let executionEnd: { time: number; outcome?: string; event: RunEvent } | undefined;
  for (const e of sorted) {
    const thread = threadOf.get(e.eventId!);
    const mark = e.span;
    if (mark?.of === 'state' && mark.phase === 'start' && mark.attempt === undefined) {
      const span = spans.get(mark.key);
      if (span) {
        const visit: Visit = { span, thread, attempts: [] };
        current.set(thread, visit);
        visits.push(visit);
      }
      continue;
    }
    if (mark?.of === 'state' && mark.phase === 'end' && mark.attempt === undefined) {
      if (current.get(thread)?.span.key === mark.key) current.delete(thread);
      continue;
    }
    if (mark?.of === 'execution' && mark.phase === 'end') {
      executionEnd = { time: time(e.time) ?? 0, outcome: mark.outcome, event: e };
      continue;
    }
    const visit = current.get(thread);
    if (!visit) continue;
    if (ATTEMPT_START.test(e.kind)) {
      visit.attempts.push({ start: e });
      visit.failure = undefined; // a retry: the failure before it did not end the state
    }
    else if (ATTEMPT_END.test(e.kind)) {
      const open = visit.attempts[visit.attempts.length - 1];
      if (open && !open.end) open.end = e;
      else visit.attempts.push({ start: e, end: e });
    }
    if (STATE_FAILURE.test(e.kind) && (!visit.failure || e.error)) visit.failure = e;
  }
  for (const visit of visits) {
    const { span } = visit;
    if (span.end === undefined && (visit.failure || executionEnd)) {
      // Never exited: it failed (a Task without Catch, a failed Map), or the execution ended in it
      // (a Fail state: the execution's failure is its own), or the execution ended around it.
      const endedIn = !visit.failure && executionEnd!.outcome !== 'Succeeded' && (!visit.thread || visit.thread.kind === 'execution');
      const closing = visit.failure ?? (endedIn ? executionEnd!.event : undefined);
      if (closing?.error && !span.error) span.error = closing.error;
      span.end = visit.failure ? time(visit.failure.time) : executionEnd!.time;
      span.outcome = visit.failure ? 'Failed' : endedIn ? (executionEnd!.outcome ?? 'Failed') : executionEnd!.outcome === 'Succeeded' ? 'Succeeded' : 'Aborted';
      if (closing) {
        span.endEvent = closing;
        span.eventIds.push(closing.id);
      }
    }
    if (visit.attempts.length < 2 || [...spans.values()].some((s) => s.parent === span.key && s.attempt !== undefined)) continue;
    visit.attempts.forEach((attempt, i) => {
      const end = attempt.end;
      const failed = end && /(Failed|TimedOut)$/.test(end.kind);
      const key = `${span.key}#attempt${i}`;
      spans.set(key, {
        key, of: 'state', source: 'sfn', name: span.name, parent: span.key, attempt: i,
        start: time(attempt.start.time), end: end ? time(end.time) : undefined,
        outcome: end ? (failed ? (end.kind.endsWith('TimedOut') ? 'TimedOut' : 'Failed') : 'Succeeded') : undefined,
        error: failed ? end.error : undefined,
        first: attempt.start, startEvent: attempt.start, endEvent: end,
        eventIds: end && end !== attempt.start ? [attempt.start.id, end.id] : [attempt.start.id],
        order: spans.size,
      });
    });
  }
}

function isInside(node: Node, ancestor: Node): boolean {
  for (const c of ancestor.children) if (c === node || isInside(node, c)) return true;
  return false;
}

function walkSpans(node: Node, f: (s: Span) => void): void {
  for (const s of node.spans) f(s);
  for (const c of node.children) walkSpans(c, f);
}

function subtreeHas(node: Node, test: (s: Span) => boolean): boolean {
  if (node.spans.some(test)) return true;
  return node.children.some((c) => subtreeHas(c, test));
}

function subtreeStatus(node: Node): BarStatus {
  if (subtreeHas(node, (s) => statusOf(s) === 'failed')) return 'failed';
  if (subtreeHas(node, (s) => s.end === undefined)) return 'running';
  if (subtreeHas(node, (s) => statusOf(s) === 'cancelled')) return 'cancelled';
  return 'succeeded';
}

function stateType(e: RunEvent): string | undefined {
  const m = /^(Task|Pass|Choice|Wait|Succeed|Fail|Parallel|Map)State/.exec(e.kind);
  return m ? m[1] : undefined;
}

const CLOUD_NAMES: Record<TimelineCloud, string> = { adf: 'Data Factory', sfn: 'Step Functions', gateway: 'API Gateway' };
const KIND_WORDS: Record<BarKind, string> = {
  pipeline: 'pipeline run', activity: 'activity', execution: 'execution', state: 'state', request: 'request', wait: 'wait',
  'retry-wait': 'retry interval', summary: 'iterations',
};

function barLabel(bar: TimelineBar, e: RunEvent, span: Span): string {
  const parts = [`${bar.name}: ${CLOUD_NAMES[bar.cloud]} ${KIND_WORDS[bar.kind]}`];
  if (bar.kind === 'request' && e.route) parts[0] += ` ${e.route}`;
  if (bar.attempt) parts.push(`attempt ${bar.attempt + 1}`);
  parts.push(bar.open ? 'running' : bar.outcome && /^\d+$/.test(bar.outcome) ? `HTTP ${bar.outcome}${e.throttled ? ' (throttled)' : ''}` : (bar.outcome ?? bar.status));
  parts.push(`${formatDuration(bar.end - bar.start)}${bar.open ? ' so far' : ''}`);
  parts.push(`started ${new Date(bar.start).toISOString().slice(11, 23)}`);
  if (bar.error) parts.push(`error ${[bar.error.code, bar.error.message].filter(Boolean).join(': ')}`);
  if (span.of === 'request' && e.caller) parts.push(`caller ${e.caller}`);
  return parts.join(', ');
}

/** 850 ms, 1.25 s, 42.0 s, 3 min 12 s, 2 h 05 min. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/**
 * The hops: a gateway request from the activity that made it and to the execution it started;
 * without a gateway (an HTTP task starting a pipeline run), from the bar of the other cloud that
 * was running when the run started.
 */
function findHops(rows: TimelineRow[], bars: TimelineBar[]): TimelineHop[] {
  const hops: TimelineHop[] = [];
  const runBars = bars.filter((b) => rows[b.row].kind === 'run' && (b.kind === 'pipeline' || b.kind === 'execution'));
  const topRuns = runBars.filter((b) => rows[b.row].depth === 0).sort((a, b) => a.start - b.start);
  const targeted = new Set<TimelineBar>();
  const callerAt = (cloud: TimelineCloud, t: number, prefer: RegExp): TimelineBar | undefined => {
    let best: TimelineBar | undefined;
    let bestScore = -Infinity;
    for (const b of bars) {
      if (b.cloud !== cloud || b.kind === 'summary' || b.kind === 'retry-wait' || b.kind === 'pipeline' || b.kind === 'execution') continue;
      if (b.start > t || b.end < t) continue;
      const score = (prefer.test(rows[b.row].detail ?? '') ? 1e15 : 0) + b.start;
      if (score > bestScore) {
        best = b;
        bestScore = score;
      }
    }
    return best;
  };
  for (const req of bars.filter((b) => b.kind === 'request').sort((a, b) => a.start - b.start)) {
    const caller = callerAt('adf', req.start, /Web/) ?? callerAt('sfn', req.start, /Task/);
    if (caller) hops.push({ from: { row: caller.row, time: req.start }, to: { row: req.row, time: req.start }, label: `${caller.name} calls the gateway` });
    if (req.status === 'failed') continue;
    const callee = topRuns.find((r) => !targeted.has(r) && r.cloud !== 'gateway' && r.cloud !== caller?.cloud && r.start >= req.start - 5);
    if (callee) {
      targeted.add(callee);
      const leaves = Math.min(req.end, Math.max(req.start, callee.start));
      hops.push({ from: { row: req.row, time: leaves }, to: { row: callee.row, time: callee.start }, label: `the gateway starts ${rows[callee.row].label}` });
    }
  }
  for (const run of topRuns) {
    if (targeted.has(run) || run === topRuns[0]) continue;
    const other = run.cloud === 'adf' ? 'sfn' : 'adf';
    const caller = callerAt(other, run.start, /Task|Web/);
    if (!caller) continue;
    targeted.add(run);
    hops.push({ from: { row: caller.row, time: run.start }, to: { row: run.row, time: run.start }, label: `${caller.name} starts ${rows[run.row].label}` });
  }
  return hops;
}
