/** Fail: fails with the given message and error code. */
import { evaluateDeep } from '../expressions';
import type { ActivityJson } from '../repo';
import { ActivityFailure, type ActivityHandler, type ExecContext } from '../run-context';

export function fail(_activity: ActivityJson, tp: Record<string, unknown>, exec: ExecContext): never {
  const message = evaluateDeep(tp.message, exec.evalScope);
  const errorCode = evaluateDeep(tp.errorCode, exec.evalScope);
  exec.record.arm.input = { message, errorCode };
  throw new ActivityFailure(String(errorCode ?? ''), String(message ?? ''), 'UserError');
}

export const failActivity: ActivityHandler = { control: true, run: fail };
