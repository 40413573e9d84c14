/** Until: runs its activities until the expression is true or the timeout passes. */
import { evaluateDeep } from '../expressions';
import type { ActivityJson } from '../repo';
import { ActivityFailure, type ActivityHandler, evaluateCondition, type ExecContext, ResultScope, runInner } from '../run-context';
import { parseTimeSpan } from '../timespan';

export async function until(activity: ActivityJson, tp: Record<string, unknown>, exec: ExecContext): Promise<unknown> {
  const timeoutText = tp.timeout === undefined ? '7.00:00:00' : evaluateDeep(tp.timeout, exec.evalScope);
  const timeoutMs = parseTimeSpan(timeoutText);
  if (timeoutMs === undefined) throw new ActivityFailure('BadRequest', `The timeout of Until '${activity.name}' is ${JSON.stringify(timeoutText)}; write it as d.hh:mm:ss (e.g. "0.01:00:00").`);
  const deadline = Date.now() + Math.max(1, Math.round(timeoutMs * exec.host.settings.waitScale));
  exec.record.arm.input = {};
  for (let iteration = 1; ; iteration++) {
    const scope = new ResultScope(exec.scope);
    await runInner(activity, tp.activities, exec, scope);
    const done = evaluateCondition(activity, tp.expression, { ...exec, evalScope: exec.host.evaluationScope(exec.run, scope, exec.repo.globalParameters) }, 'expression');
    if (done) return {};
    if (Date.now() >= deadline) {
      throw new ActivityFailure('ActivityTimedOut', `Until '${activity.name}' timed out after ${timeoutText} (${iteration} iterations) before its expression became true.`);
    }
    // Let other work (callbacks, cancellation) in between iterations.
    await new Promise((r) => setImmediate(r));
  }
}

export const untilActivity: ActivityHandler = { control: true, run: until };
