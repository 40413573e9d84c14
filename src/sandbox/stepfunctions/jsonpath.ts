/**
 * Data processing of JSONPath states: paths over the state input (`$.a`), the context object
 * (`$$.Execution.Id`) and variables (`$name.a`); payload templates (Parameters, ResultSelector,
 * ItemSelector, Assign: keys ending in `.$` take a path or an intrinsic function); ResultPath.
 * JSONPath itself is jsonpath-plus; a path that selects nothing is States.Runtime, as in AWS.
 */
import { JSONPath } from 'jsonpath-plus';
import { runtimeFailure } from './failure';
import { evaluateIntrinsic, isIntrinsicCall } from './intrinsics';

/** What paths can read in one state. */
export interface PathData {
  input: unknown;
  context: unknown;
  /** The value of a workflow variable, or `undefined` if no such variable is visible. */
  variable(name: string): { value: unknown } | undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A path with wildcards, recursive descent, filters, unions or slices selects a list. */
function isIndefinite(rest: string): boolean {
  return /\*|\.\.|\?\(|\[[^\]'"]*[,:][^\]'"]*\]/.test(rest);
}

/** The value `path` selects; throws States.Runtime (naming `field`) when it selects nothing. */
export function readPath(path: string, data: PathData, field: string): unknown {
  let root: unknown;
  let rest: string;
  const variable = /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(path);
  if (path.startsWith('$$')) {
    root = data.context;
    rest = path.slice(2);
  } else if (variable) {
    const found = data.variable(variable[1]);
    if (!found) throw runtimeFailure(`The ${field} path '${path}' references the variable $${variable[1]}, which is not assigned in this scope.`);
    root = found.value;
    rest = path.slice(variable[0].length);
  } else if (path.startsWith('$')) {
    root = data.input;
    rest = path.slice(1);
  } else {
    throw runtimeFailure(`The ${field} value '${path}' is not a path (it must start with $).`);
  }
  if (rest === '') return root;
  const json = root as null | boolean | number | string | object;
  if (isIndefinite(rest)) return JSONPath({ path: `$${rest}`, json, wrap: true }) as unknown[];
  const value: unknown = JSONPath({ path: `$${rest}`, json, wrap: false });
  if (value === undefined) throw runtimeFailure(`Invalid path '${path}' in the ${field} field: no value found in ${JSON.stringify(root)?.slice(0, 200) ?? 'nothing'}.`);
  return value;
}

/** Reads `path` when it is a string; undefined when the field is absent. */
export function readOptionalPath(path: unknown, data: PathData, field: string): unknown {
  return typeof path === 'string' ? readPath(path, data, field) : undefined;
}

/** A payload template: keys ending in `.$` are replaced by what their path or intrinsic selects. */
export function applyTemplate(template: unknown, data: PathData, field: string): unknown {
  if (Array.isArray(template)) return template.map((v) => applyTemplate(v, data, field));
  if (!isObject(template)) return template;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$') && typeof value === 'string') {
      const name = key.slice(0, -2);
      out[name] = isIntrinsicCall(value) ? evaluateIntrinsic(value, (p) => readPath(p, data, `${field}.${key}`)) : readPath(value, data, `${field}.${key}`);
    } else {
      out[key] = applyTemplate(value, data, field);
    }
  }
  return out;
}

/** InputPath / OutputPath: null discards (gives {}); absent keeps the value. */
export function applyFilterPath(path: unknown, value: unknown, data: Omit<PathData, 'input'>, field: string): unknown {
  if (path === null) return {};
  if (typeof path !== 'string') return value;
  return readPath(path, { ...data, input: value }, field);
}

const SEGMENT = /^(?:\.([A-Za-z_$][\w$-]*)|\[\s*(\d+)\s*\]|\[\s*'((?:[^'\\]|\\.)*)'\s*\]|\[\s*"((?:[^"\\]|\\.)*)"\s*\])/;

/** The segments of a reference path (`$.a[0]['b']`): no wildcards or filters. */
function referenceSegments(path: string, field: string): (string | number)[] {
  if (!path.startsWith('$') || path.startsWith('$$')) throw runtimeFailure(`The ${field} '${path}' is not a reference path into the state input.`);
  let rest = path.slice(1);
  const out: (string | number)[] = [];
  while (rest.length > 0) {
    const m = SEGMENT.exec(rest);
    if (!m) throw runtimeFailure(`The ${field} '${path}' is not a valid reference path (near "${rest}").`);
    rest = rest.slice(m[0].length);
    out.push(m[2] !== undefined ? Number(m[2]) : (m[1] ?? m[3] ?? m[4]));
  }
  return out;
}

/** ResultPath: where the result goes in the state input (`$` replaces it, null discards the result). */
export function applyResultPath(resultPath: unknown, input: unknown, result: unknown): unknown {
  if (resultPath === undefined || resultPath === '$') return result;
  if (resultPath === null) return input;
  const segments = referenceSegments(String(resultPath), 'ResultPath');
  if (segments.length === 0) return result;
  const copy: unknown = structuredClone(input);
  let target: unknown = copy;
  for (let i = 0; i < segments.length; i++) {
    const key = segments[i];
    const last = i === segments.length - 1;
    if (typeof key === 'number') {
      if (!Array.isArray(target) || key >= target.length) throw runtimeFailure(`Unable to apply ResultPath '${String(resultPath)}': index ${key} is not in the state input.`);
      if (last) target[key] = result;
      else target = target[key];
    } else {
      if (!isObject(target)) throw runtimeFailure(`Unable to apply ResultPath '${String(resultPath)}' to the state input ${JSON.stringify(input)?.slice(0, 200)}: it is not an object at "${key}".`);
      if (last) target[key] = result;
      else {
        if (!(key in target)) target[key] = {};
        target = target[key];
      }
    }
  }
  return copy;
}
