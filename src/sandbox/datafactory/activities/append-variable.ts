/** AppendVariable: appends a value to an Array variable. */
import { evaluateDeep } from '../expressions';
import type { ActivityJson } from '../repo';
import { ActivityFailure, type ActivityHandler, type ExecContext } from '../run-context';

export function appendVariable(activity: ActivityJson, tp: Record<string, unknown>, exec: ExecContext): unknown {
  const name = String(tp.variableName ?? '');
  const type = exec.run.variableTypes.get(name);
  if (!type) throw new ActivityFailure('BadRequest', `AppendVariable '${activity.name}' appends to variable '${name}', which pipeline '${exec.run.pipeline.name}' does not declare.`);
  if (type.toLowerCase() !== 'array') throw new ActivityFailure('BadRequest', `AppendVariable '${activity.name}' appends to variable '${name}' of type ${type}; only Array variables can be appended to.`);
  const value = evaluateDeep(tp.value, exec.evalScope);
  exec.record.arm.input = { variableName: name, value };
  const current = exec.run.variables.get(name);
  exec.run.variables.set(name, [...(Array.isArray(current) ? current : []), value]);
  return { name, value };
}

export const appendVariableActivity: ActivityHandler = { control: true, run: appendVariable };
