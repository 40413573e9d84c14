/** Filter: keeps the items for which the condition is true. */
import { evaluateDeep } from '../expressions';
import type { ActivityJson } from '../repo';
import { ActivityFailure, type ActivityHandler, describeType, type ExecContext, ResultScope } from '../run-context';

export function filter(_activity: ActivityJson, tp: Record<string, unknown>, exec: ExecContext): unknown {
  const items = evaluateDeep(tp.items, exec.evalScope);
  if (!Array.isArray(items)) throw new ActivityFailure('InvalidTemplate', `The items of a Filter evaluated to ${describeType(items)}; Filter needs an Array.`);
  const kept: unknown[] = [];
  for (const item of items) {
    const scope = new ResultScope(exec.scope, { value: item });
    const v = evaluateDeep(tp.condition, exec.host.evaluationScope(exec.run, scope, exec.repo.globalParameters));
    if (typeof v !== 'boolean') throw new ActivityFailure('InvalidTemplate', `The condition of a Filter evaluated to ${JSON.stringify(v)} for item ${JSON.stringify(item)}; it must be a Boolean.`);
    if (v) kept.push(item);
  }
  exec.record.arm.input = {};
  return { ItemsCount: items.length, FilteredItemsCount: kept.length, Value: kept, value: kept };
}

export const filterActivity: ActivityHandler = { control: true, run: filter };
