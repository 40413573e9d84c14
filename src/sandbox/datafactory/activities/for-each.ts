/** ForEach: runs its activities once per item, batchCount at a time (or sequentially). */
import { evaluateDeep } from '../expressions';
import type { ActivityJson } from '../repo';
import { ActivityFailure, type ActivityHandler, type ActivityResult, CancelledError, describeType, type ExecContext, innerFailure, ResultScope } from '../run-context';

export async function forEach(activity: ActivityJson, tp: Record<string, unknown>, exec: ExecContext): Promise<unknown> {
  const items = evaluateDeep(tp.items, exec.evalScope);
  if (!Array.isArray(items)) throw new ActivityFailure('InvalidTemplate', `The items of ForEach '${activity.name}' evaluated to ${describeType(items)}; ForEach needs an Array.`);
  const sequential = tp.isSequential === true;
  const batchCount = sequential ? 1 : Math.min(50, Math.max(1, Number(tp.batchCount ?? 20) || 20));
  exec.record.arm.input = {};
  const failures: ActivityResult[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length && !exec.signal.aborted) {
      const i = next++;
      const scope = new ResultScope(exec.scope, { value: items[i] });
      const outcome = await exec.host.runActivities(Array.isArray(tp.activities) ? (tp.activities as ActivityJson[]) : [], scope, exec);
      failures.push(...outcome.failed);
    }
  };
  await Promise.all(Array.from({ length: Math.min(batchCount, Math.max(1, items.length)) }, worker));
  if (exec.signal.aborted) throw new CancelledError();
  if (failures.length) throw innerFailure(failures);
  return {};
}

export const forEachActivity: ActivityHandler = { control: true, run: forEach };
