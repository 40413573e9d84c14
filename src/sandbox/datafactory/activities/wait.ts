/** Wait: waits waitTimeInSeconds (scaled by the sandbox's wait scale). */
import { evaluateDeep } from '../expressions';
import type { ActivityJson } from '../repo';
import { ActivityFailure, type ActivityHandler, type ExecContext } from '../run-context';

export async function wait(_activity: ActivityJson, tp: Record<string, unknown>, exec: ExecContext): Promise<unknown> {
  const seconds = evaluateDeep(tp.waitTimeInSeconds, exec.evalScope);
  const n = typeof seconds === 'string' ? Number(seconds) : seconds;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) throw new ActivityFailure('InvalidTemplate', `waitTimeInSeconds evaluated to ${JSON.stringify(seconds)}; it must be a non-negative number of seconds.`);
  exec.record.arm.input = { waitTimeInSeconds: n };
  await exec.host.sleep(n * 1000, exec.signal);
  return {};
}

export const waitActivity: ActivityHandler = { control: true, run: wait };
