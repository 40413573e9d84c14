/** IfCondition: runs ifTrueActivities or ifFalseActivities. */
import type { ActivityJson } from '../repo';
import { type ActivityHandler, evaluateCondition, type ExecContext, ResultScope, runInner } from '../run-context';

export async function ifCondition(activity: ActivityJson, tp: Record<string, unknown>, exec: ExecContext): Promise<unknown> {
  const result = evaluateCondition(activity, tp.expression, exec, 'expression');
  exec.record.arm.input = {};
  await runInner(activity, result ? tp.ifTrueActivities : tp.ifFalseActivities, exec, new ResultScope(exec.scope));
  return {};
}

export const ifConditionActivity: ActivityHandler = { control: true, run: ifCondition };
