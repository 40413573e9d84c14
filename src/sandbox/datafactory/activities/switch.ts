/** Switch: runs the activities of the case whose value matches `on`, else defaultActivities. */
import { evaluateDeep } from '../expressions';
import type { ActivityJson } from '../repo';
import { type ActivityHandler, type ExecContext, ResultScope, runInner } from '../run-context';

export async function switchActivity(activity: ActivityJson, tp: Record<string, unknown>, exec: ExecContext): Promise<unknown> {
  const on = evaluateDeep(tp.on, exec.evalScope);
  const key = typeof on === 'string' ? on : JSON.stringify(on);
  const cases = Array.isArray(tp.cases) ? (tp.cases as { value?: unknown; activities?: unknown }[]) : [];
  const hit = cases.find((c) => String(c.value) === key);
  exec.record.arm.input = {};
  await runInner(activity, hit ? hit.activities : tp.defaultActivities, exec, new ResultScope(exec.scope));
  return {};
}

export const switchActivityHandler: ActivityHandler = { control: true, run: switchActivity };
