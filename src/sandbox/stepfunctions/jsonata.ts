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

/** The functions Step Functions adds to JSONata. */
const AWS_FUNCTIONS: Record<string, (...args: unknown[]) => unknown> = {
  partition(array: unknown, size: unknown) {
    if (!Array.isArray(array)) throw queryFailure('$partition: the first argument must be an array.');
    if (typeof size !== 'number' || !Number.isInteger(size) || size <= 0) throw queryFailure('$partition: the chunk size must be a positive integer.');
    const out: unknown[][] = [];
    for (let i = 0; i < array.length; i += size) out.push(array.slice(i, i + size));
    return out;
  },
  range(start: unknown, end: unknown, step: unknown) {
    if (![start, end, step].every((v) => typeof v === 'number' && Number.isInteger(v))) throw queryFailure('$range: start, end and step must be integers.');
    const [a, b, s] = [start, end, step] as number[];
    if (s === 0) throw queryFailure('$range: the step must not be 0.');
    const out: number[] = [];
    for (let v = a; s > 0 ? v <= b : v >= b; v += s) {
      out.push(v);
      if (out.length > 1000) throw queryFailure('$range: the array would have more than 1000 items.');
    }
    return out;
  },
  hash(data: unknown, algorithm: unknown) {
    const name = HASH_ALGORITHMS[String(algorithm)];
    if (!name) throw queryFailure(`$hash: the algorithm must be one of ${Object.keys(HASH_ALGORITHMS).join(', ')}.`);
    return createHash(name)
      .update(typeof data === 'string' ? data : JSON.stringify(data), 'utf8')
      .digest('hex');
  },
  random(seed?: unknown) {
    if (seed === undefined) return Math.random();
    if (typeof seed !== 'number') throw queryFailure('$random: the seed must be a number.');
    return seededRandom(seed);
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
