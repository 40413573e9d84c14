/**
 * ADF's dependency rules: an activity starts when every activity it depends on ended with one of
 * its dependency conditions (Succeeded, Failed, Skipped, Completed), else it is Skipped; a scope
 * fails when a leaf failed (a skipped leaf stands for the activities it depends on). Also the
 * checks ADF makes when a pipeline is saved.
 */
import type { ActivityJson } from './repo';
import { ActivityFailure, isObject, type ActivityResult, type ResultScope, type RunContext, type ScopeOutcome } from './run-context';
import type { ActivityRunStatus } from './types';

const VALID_CONDITIONS = new Set(['Succeeded', 'Failed', 'Skipped', 'Completed']);

/**
 * Runs a list of activities (a pipeline body or a container's branch) with ADF's dependency
 * rules, and applies the leaf rule: the scope fails when any leaf failed, where a skipped leaf
 * is replaced by the activities it depends on. `seeds` are results carried over by a recovery rerun.
 */
export async function runActivities(
  activities: ActivityJson[],
  scope: ResultScope,
  ctx: RunContext,
  runActivity: (activity: ActivityJson, scope: ResultScope, ctx: RunContext) => Promise<ActivityResult>,
  seeds?: Map<string, ActivityResult>,
): Promise<ScopeOutcome> {
  const byName = new Map(activities.map((a) => [a.name, a]));
  for (const a of activities) {
    for (const d of a.dependsOn ?? []) {
      if (!byName.has(d.activity)) throw new ActivityFailure('BadRequest', `Activity '${a.name}' depends on '${d.activity}', which is not an activity at the same level of pipeline '${ctx.run.pipeline.name}'.`);
      for (const c of d.dependencyConditions ?? []) if (!VALID_CONDITIONS.has(c)) throw new ActivityFailure('BadRequest', `Activity '${a.name}' has dependency condition '${c}'; ADF knows Succeeded, Failed, Skipped and Completed.`);
    }
  }
  const status = new Map<string, ActivityRunStatus>();
  const started = new Set<string>();
  if (seeds) for (const [name, r] of seeds) if (byName.has(name)) {
    scope.results.set(name, r);
    status.set(name, r.status);
    started.add(name);
  }
  const running = new Map<string, Promise<void>>();
  const signal = ctx.run.controller.signal;
  for (;;) {
    let progressed = false;
    for (const a of activities) {
      if (started.has(a.name)) continue;
      const deps = a.dependsOn ?? [];
      if (!deps.every((d) => status.has(d.activity))) continue;
      started.add(a.name);
      progressed = true;
      if (signal.aborted) {
        status.set(a.name, 'Cancelled');
        continue;
      }
      const runnable = deps.every((d) => {
        const s = status.get(d.activity)!;
        return (d.dependencyConditions ?? []).some((c) => c === s || (c === 'Completed' && (s === 'Succeeded' || s === 'Failed')));
      });
      if (!runnable) {
        status.set(a.name, 'Skipped');
        scope.results.set(a.name, { name: a.name, status: 'Skipped', output: {} });
        continue;
      }
      const p = runActivity(a, scope, ctx).then((r) => {
        scope.results.set(a.name, r);
        status.set(a.name, r.status);
        running.delete(a.name);
      });
      running.set(a.name, p);
    }
    if (started.size === activities.length && running.size === 0) break;
    if (!progressed) {
      if (running.size === 0) {
        const stuck = activities.filter((a) => !started.has(a.name)).map((a) => a.name);
        throw new ActivityFailure('BadRequest', `Activities ${stuck.join(', ')} of pipeline '${ctx.run.pipeline.name}' depend on each other in a cycle; ADF rejects such pipelines.`);
      }
      await Promise.race(running.values());
    }
  }
  // Leaf rule.
  const hasDependents = new Set<string>();
  for (const a of activities) for (const d of a.dependsOn ?? []) hasDependents.add(d.activity);
  const evaluated = new Map<string, ActivityResult>();
  const visit = (name: string) => {
    const r = scope.results.get(name);
    const s = status.get(name);
    if (s === 'Skipped') {
      for (const d of byName.get(name)?.dependsOn ?? []) visit(d.activity);
      return;
    }
    evaluated.set(name, r ?? { name, status: s ?? 'Cancelled', output: {} });
  };
  for (const a of activities) if (!hasDependents.has(a.name)) visit(a.name);
  const failed = [...evaluated.values()].filter((r) => r.status === 'Failed');
  return { failed };
}

const NESTED_LISTS = ['activities', 'ifTrueActivities', 'ifFalseActivities', 'defaultActivities'];

/** Checks what ADF checks when a pipeline is saved: names, dependencies, conditions, cycles. */
export function validateActivities(activities: unknown, pipeline: string): string | undefined {
  if (activities === undefined) return undefined;
  if (!Array.isArray(activities)) return `Pipeline '${pipeline}': "activities" must be an array.`;
  const names = new Set<string>();
  for (const a of activities) {
    if (!isObject(a) || typeof a.name !== 'string' || typeof a.type !== 'string') return `Pipeline '${pipeline}': every activity needs a string "name" and "type".`;
    if (names.has(a.name)) return `Pipeline '${pipeline}': two activities are named '${a.name}'.`;
    names.add(a.name);
  }
  for (const a of activities as ActivityJson[]) {
    for (const d of a.dependsOn ?? []) {
      if (!names.has(d.activity)) return `Pipeline '${pipeline}': activity '${a.name}' depends on '${d.activity}', which is not an activity at the same level.`;
      for (const c of d.dependencyConditions ?? []) if (!VALID_CONDITIONS.has(c)) return `Pipeline '${pipeline}': activity '${a.name}' has dependency condition '${c}'; ADF knows Succeeded, Failed, Skipped and Completed.`;
    }
  }
  // Cycle check (Kahn).
  const remaining = new Map((activities as ActivityJson[]).map((a) => [a.name, new Set((a.dependsOn ?? []).map((d) => d.activity))]));
  let removed = true;
  while (removed) {
    removed = false;
    for (const [name, deps] of remaining) {
      if ([...deps].every((d) => !remaining.has(d))) {
        remaining.delete(name);
        removed = true;
      }
    }
  }
  if (remaining.size) return `Pipeline '${pipeline}': activities ${[...remaining.keys()].join(', ')} depend on each other in a cycle.`;
  for (const a of activities as ActivityJson[]) {
    const tp = a.typeProperties ?? {};
    const lists: unknown[] = NESTED_LISTS.map((k) => tp[k]);
    if (Array.isArray(tp.cases)) for (const c of tp.cases) if (isObject(c)) lists.push(c.activities);
    for (const l of lists) {
      const problem = validateActivities(l, pipeline);
      if (problem) return problem;
    }
  }
  return undefined;
}
