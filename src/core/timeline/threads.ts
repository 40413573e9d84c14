/**
 * Which run of states a Step Functions history event belongs to: the execution itself, one Map
 * iteration or one Parallel branch. History threads chain through `previousEventId` (see the
 * sandbox's src/sandbox/stepfunctions/run.ts for the rules observed in recorded AWS histories):
 *
 * - an iteration starts at its `MapIterationStarted` event; its first state follows that event;
 * - a Parallel branch's first state follows the `ParallelStateStarted` event;
 * - the closing events of a Map or Parallel state (`MapStateSucceeded`, `ParallelStateExited` …)
 *   follow an event inside it, yet belong to the thread that entered the state.
 *
 * Computed from the contract's fields alone (`kind`, `name`, `eventId`, `previousEventId`), so the
 * timeline needs nothing of the engine beyond the run stream.
 */
import type { RunEvent } from '../run/events';

export interface HistoryThread {
  /** `exec` for an execution's own thread; otherwise unique within the execution. */
  id: string;
  kind: 'execution' | 'iteration' | 'branch';
  /** The thread that ran the Map or Parallel state; undefined for the execution's thread. */
  parent?: HistoryThread;
  /** The Map or Parallel state's name, and the event id of the `*StateEntered` that opened it. */
  container?: { name: string; enteredEventId: number };
  /** Iteration or branch number, counted from 0 in the order the history shows them. */
  index: number;
}

const CONTAINER_CLOSE = /^(Map|Parallel)State(Started|Succeeded|Exited|Failed|Aborted)$/;
const CONTAINER_ENTER = /^(Map|Parallel)StateEntered$/;

/**
 * Threads of one execution's events (events of other executions are ignored). Events may come in
 * any order; an event whose predecessor is unknown (still on its way while the run is live) is
 * put in the execution's thread until it arrives.
 */
export function historyThreads(events: readonly RunEvent[]): Map<number, HistoryThread> {
  const byId = new Map<number, RunEvent>();
  for (const e of events) if (typeof e.eventId === 'number') byId.set(e.eventId, e);
  const root: HistoryThread = { id: 'exec', kind: 'execution', index: 0 };
  const threadOf = new Map<number, HistoryThread>();
  /** Per thread: the containers it entered, by state name (the latest entry wins). */
  const entered = new Map<HistoryThread, Map<string, number>>();
  const childCount = new Map<string, number>();
  /** A Parallel branch is identified by its first event. */
  const branchOf = new Map<number, HistoryThread>();

  const containerThread = (from: HistoryThread, name: string): HistoryThread | undefined => {
    for (let t: HistoryThread | undefined = from; t; t = t.parent) if (entered.get(t)?.has(name)) return t;
    return undefined;
  };
  const newChild = (owner: HistoryThread, kind: 'iteration' | 'branch', name: string): HistoryThread => {
    const enteredEventId = entered.get(owner)?.get(name) ?? -1;
    const countKey = `${enteredEventId}`;
    const index = childCount.get(countKey) ?? 0;
    childCount.set(countKey, index + 1);
    return { id: `${name}@${enteredEventId}/${index}`, kind, parent: owner, container: { name, enteredEventId }, index };
  };

  // Ids grow along every chain, so visiting events by id sees each predecessor before its follower.
  const ids = [...byId.keys()].sort((a, b) => a - b);
  for (const id of ids) {
    const e = byId.get(id)!;
    const prevId = e.previousEventId ?? 0;
    const prev = byId.get(prevId);
    const prevThread = (prev && threadOf.get(prevId)) || root;
    let thread = prevThread;
    if (e.kind === 'MapIterationStarted' && e.name) {
      const owner = containerThread(prevThread, e.name);
      if (owner) thread = newChild(owner, 'iteration', e.name);
    } else if (CONTAINER_CLOSE.test(e.kind) && e.name) {
      thread = containerThread(prevThread, e.name) ?? prevThread;
    } else if (!e.name && CONTAINER_CLOSE.test(e.kind)) {
      // AWS writes no name on MapStateStarted, MapStateSucceeded, ParallelStateSucceeded …: right
      // after the entry it is the entering thread, otherwise the one that contains the thread inside.
      thread = prev && CONTAINER_ENTER.test(prev.kind) ? prevThread : (prevThread.parent ?? prevThread);
    } else if (prev?.kind === 'ParallelStateStarted') {
      const owner = (prev.name && containerThread(prevThread, prev.name)) || prevThread;
      const name = prev.name ?? [...(entered.get(owner)?.keys() ?? [])].pop() ?? 'Parallel';
      thread = branchOf.get(id) ?? newChild(owner, 'branch', name);
      branchOf.set(id, thread);
    }
    if (CONTAINER_ENTER.test(e.kind) && e.name) {
      let names = entered.get(thread);
      if (!names) entered.set(thread, (names = new Map()));
      names.set(e.name, id);
    }
    threadOf.set(id, thread);
  }
  return threadOf;
}
