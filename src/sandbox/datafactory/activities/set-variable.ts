/** SetVariable: sets a declared pipeline variable, or the pipeline return value (setSystemVariable). */
import { evaluateDeep, evaluateString, type EvaluationScope } from '../expressions';
import type { ActivityJson } from '../repo';
import { ActivityFailure, type ActivityHandler, type ExecContext, isObject } from '../run-context';
import { checkVariableType } from '../parameters';

function evaluateReturnValue(spec: Record<string, unknown>, scope: EvaluationScope): unknown {
  const type = String(spec.type ?? 'String');
  const content = spec.content;
  switch (type) {
    case 'Expression':
      return typeof content === 'string' ? evaluateString(content.startsWith('@') ? content : `@${content}`, scope) : content;
    case 'Null':
      return null;
    case 'Array':
      return Array.isArray(content) ? content.map((c) => (isObject(c) ? evaluateReturnValue(c, scope) : c)) : content;
    case 'Object':
      if (Array.isArray(content)) {
        const o: Record<string, unknown> = {};
        for (const e of content) if (isObject(e) && typeof e.key === 'string') o[e.key] = isObject(e.value) ? evaluateReturnValue(e.value, scope) : e.value;
        return o;
      }
      return content;
    default:
      return evaluateDeep(content, scope);
  }
}

export function setVariable(activity: ActivityJson, tp: Record<string, unknown>, exec: ExecContext): unknown {
  const name = String(tp.variableName ?? '');
  if (name === 'pipelineReturnValue' || tp.setSystemVariable === true) {
    const entries = Array.isArray(tp.value) ? tp.value : [];
    const value: Record<string, unknown> = {};
    for (const e of entries) {
      if (!isObject(e) || typeof e.key !== 'string') continue;
      const spec = isObject(e.value) ? e.value : { type: 'String', content: e.value };
      value[e.key] = evaluateReturnValue(spec, exec.evalScope);
    }
    exec.record.arm.input = { variableName: 'pipelineReturnValue', value: tp.value };
    exec.run.returnValue = { ...(exec.run.returnValue ?? {}), ...value };
    return { name: 'pipelineReturnValue', value };
  }
  if (!exec.run.variableTypes.has(name)) {
    throw new ActivityFailure('BadRequest', `SetVariable '${activity.name}' sets variable '${name}', which pipeline '${exec.run.pipeline.name}' does not declare. Declare it under properties.variables.`);
  }
  const value = evaluateDeep(tp.value, exec.evalScope);
  exec.record.arm.input = { variableName: name, value };
  checkVariableType(name, exec.run.variableTypes.get(name)!, value);
  exec.run.variables.set(name, value);
  return { name, value };
}

export const setVariableActivity: ActivityHandler = { control: true, run: setVariable };
