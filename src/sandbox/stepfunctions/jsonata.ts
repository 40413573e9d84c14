/**
 * Data processing of JSONata states: field values are literals or `{% expression %}` strings
 * (anywhere inside Arguments, Output, Assign, ItemSelector …), evaluated by the `jsonata` package
 * with `$states` (input, result, errorOutput, context), the visible workflow variables, and the
 * functions AWS adds ($partition, $range, $hash, $random, $uuid, $parse). A failing expression, or
 * one that returns nothing, is States.QueryEvaluationError with the field it sits in.
 */
import { createHash, randomUUID } from 'node:crypto';
import jsonata from 'jsonata';
import { QueryEvaluationFailure } from './failure';
import { HASH_ALGORITHMS, seededRandom } from './intrinsics';

/** `$states` of one evaluation. */
export interface StatesVariable {
  input: unknown;
  context: unknown;
  result?: unknown;
  errorOutput?: unknown;
}

export interface JsonataData {
  states: StatesVariable;
  /** Every workflow variable visible to the state, by name. */
  variables: Record<string, unknown>;
}

const EXPRESSION = /^\{%([\s\S]*)%\}$/;

export function isJsonataExpression(value: unknown): value is string {
  return typeof value === 'string' && EXPRESSION.test(value);
}

const compiled = new Map<string, jsonata.Expression>();
const MAX_COMPILED = 500;

function compile(expression: string, location: string): jsonata.Expression {
  let expr = compiled.get(expression);
  if (expr) return expr;
  try {
    expr = jsonata(expression);
  } catch (e) {
    throw new QueryEvaluationFailure(`The JSONata expression '${expression.trim()}' specified for the field '${location}' is not valid JSONata: ${(e as Error).message}`, location);
  }
  if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value as string);
  compiled.set(expression, expr);
  return expr;
}

function queryFailure(cause: string): Error {
  // Thrown inside AWS's functions; turned into QueryEvaluationFailure with the field below.
  return Object.assign(new Error(cause), { code: 'States.QueryEvaluationError' });
}

/** A number argument of AWS's functions: non-integers are rounded towards zero, as AWS does. */
function integerArg(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : undefined;
}

/**
 * The functions Step Functions adds to JSONata. As in AWS, some arguments make a function return
 * nothing (undefined) rather than fail: the field that holds the expression then fails with
 * "returned nothing". `$eval` is not available (AWS disables it; `$parse` replaces it).
 */
const AWS_FUNCTIONS: Record<string, (...args: unknown[]) => unknown> = {
  partition(array: unknown, size: unknown) {
    if (!Array.isArray(array)) throw queryFailure('$partition: the first argument must be an array.');
    const chunk = integerArg(size);
    if (chunk === undefined) throw queryFailure('$partition: the chunk size must be a number.');
    if (chunk <= 0 || array.length === 0) return undefined;
    const out: unknown[][] = [];
    for (let i = 0; i < array.length; i += chunk) out.push(array.slice(i, i + chunk));
    return out;
  },
  range(start: unknown, end: unknown, step: unknown) {
    const [a, b] = [integerArg(start), integerArg(end)];
    if (a === undefined || b === undefined) throw queryFailure('$range: start and end must be numbers.');
    const s = integerArg(step);
    if (s === undefined || s === 0 || (b > a && s < 0) || (b < a && s > 0)) return undefined;
    const out: number[] = [];
    for (let v = a; s > 0 ? v <= b : v >= b; v += s) {
      out.push(v);
      if (out.length > 360_145) throw queryFailure('Expression evaluation memory limit exceeded');
    }
    // A one-element result is the bare number (JSONata sequence semantics), as AWS answers.
    return out.length === 1 ? out[0] : out;
  },
  hash(data: unknown, algorithm: unknown) {
    if (algorithm === undefined) return undefined;
    const name = HASH_ALGORITHMS[String(algorithm)];
    if (!name) throw queryFailure(`$hash: the algorithm must be one of ${Object.keys(HASH_ALGORITHMS).join(', ')}.`);
    return createHash(name)
      .update(typeof data === 'string' ? data : JSON.stringify(data), 'utf8')
      .digest('hex');
  },
  random(seed?: unknown) {
    if (seed === undefined) return Math.random();
    const n = integerArg(seed);
    if (n === undefined) throw queryFailure('$random: the seed must be a number.');
    return seededRandom(n);
  },
  uuid() {
    return randomUUID();
  },
  parse(text: unknown) {
    if (typeof text !== 'string') throw queryFailure('$parse: the argument must be a string of JSON text.');
    try {
      return JSON.parse(text);
    } catch {
      throw queryFailure(`$parse: ${JSON.stringify(text).slice(0, 200)} is not JSON text.`);
    }
  },
  eval() {
    throw Object.assign(new Error('Attempted to invoke a non-function: $eval is not available in Step Functions; use $parse.'), { code: 'T1006' });
  },
};

/** JSONata sequences and `undefined` members become plain JSON (what AWS serializes). */
function toJson(value: unknown, expression: string, location: string): unknown {
  if (typeof value === 'function') throw new QueryEvaluationFailure(`The JSONata expression '${expression}' specified for the field '${location}' returned a function, which is not JSON.`, location);
  if (typeof value === 'number' && !Number.isFinite(value)) throw new QueryEvaluationFailure(`The JSONata expression '${expression}' specified for the field '${location}' returned a number that is not finite.`, location);
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

/** Evaluates one `{% … %}` string. */
export async function evaluateExpression(text: string, data: JsonataData, location: string): Promise<unknown> {
  const expression = EXPRESSION.exec(text)![1].trim();
  const expr = compile(expression, location);
  let value: unknown;
  try {
    value = await expr.evaluate(data.states.input, { ...AWS_FUNCTIONS, ...data.variables, states: data.states });
  } catch (e) {
    const err = e as { message?: string; code?: string };
    throw new QueryEvaluationFailure(`An error occurred while evaluating the JSONata expression '${expression}' specified for the field '${location}': ${err.message ?? String(e)}${err.code && err.code !== 'States.QueryEvaluationError' ? ` (JSONata error ${err.code})` : ''}`, location);
  }
  if (value === undefined) throw new QueryEvaluationFailure(`The JSONata expression '${expression}' specified for the field '${location}' returned nothing (undefined).`, location);
  return toJson(value, expression, location);
}

/** A field's value with every `{% … %}` string in it evaluated (objects and arrays recursively). */
export async function evaluateField(value: unknown, data: JsonataData, location: string): Promise<unknown> {
  if (typeof value === 'string') return isJsonataExpression(value) ? evaluateExpression(value, data, location) : value;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) out.push(await evaluateField(value[i], data, `${location}[${i}]`));
    return out;
  }
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = await evaluateField(v, data, `${location}/${k}`);
    return out;
  }
  return value;
}

/** Like evaluateField, and the result must pass `check` (e.g. "a boolean" for Condition). */
export async function evaluateTyped<T>(value: unknown, data: JsonataData, location: string, check: (v: unknown) => v is T, what: string): Promise<T> {
  const out = await evaluateField(value, data, location);
  if (!check(out)) {
    const source = isJsonataExpression(value) ? EXPRESSION.exec(value)![1].trim() : JSON.stringify(value);
    throw new QueryEvaluationFailure(`The JSONata expression '${source}' specified for the field '${location}' returned an unexpected data type: expected ${what}, got ${JSON.stringify(out)?.slice(0, 200)}.`, location);
  }
  return out;
}
