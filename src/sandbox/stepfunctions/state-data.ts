/**
 * What one state computes from its data, with no thread or history involved: the JSONPath and
 * JSONata processing shared by the state types (InputPath / Arguments, ResultSelector, ResultPath,
 * OutputPath / Output, Assign), and the states that are pure data (Pass, Choice, Fail's error, a
 * Map's item inputs, the numbers read from …Path fields or JSONata). interpreter.ts runs them.
 */
import { choiceRuleMatches } from './choice-rules';
import { runtimeFailure, StatesFailure } from './failure';
import { jsonText } from './history';
import { evaluateIntrinsic, isIntrinsicCall } from './intrinsics';
import { evaluateField, evaluateTyped, isJsonataExpression, type JsonataData } from './jsonata';
import { applyFilterPath, applyResultPath, applyTemplate, readPath, type PathData } from './jsonpath';
import type { VariableScope } from './variables';

export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Everything a state's expressions can read, computed once at state entry. */
export interface StateData {
  jsonata: boolean;
  raw: unknown;
  context: Json;
  variables: Record<string, unknown>;
  scope: VariableScope;
}

/** The outcome of one state: its output and where the thread goes next (nothing: the thread ends). */
export interface StateOutcome {
  output: unknown;
  next?: string;
  assigned?: Record<string, unknown>;
}

export function pathData(data: StateData, input: unknown, extra?: Json): PathData {
  const states: Json = { input: data.raw, context: data.context, ...extra };
  return {
    input,
    context: data.context,
    variable: (name) => (name === 'states' ? { value: states } : data.scope.lookup(name)),
  };
}

export function jsonataData(data: StateData, extra?: Partial<JsonataData['states']>): JsonataData {
  return { states: { input: data.raw, context: data.context, ...extra }, variables: data.variables };
}

/** JSONPath: InputPath. JSONata: the input as is. */
export function effectiveInput(def: Json, data: StateData): unknown {
  return data.jsonata ? data.raw : applyFilterPath(def.InputPath, data.raw, pathData(data, data.raw), 'InputPath');
}

/** JSONPath Assign: `$` is the state's result (or effective input); values are read before any is set. */
export async function assignments(assign: unknown, data: StateData, value: unknown, states: Partial<JsonataData['states']>, location = 'Assign'): Promise<Record<string, unknown> | undefined> {
  if (!isObject(assign)) return undefined;
  if (data.jsonata) return (await evaluateField(assign, jsonataData(data, states), location)) as Record<string, unknown>;
  return applyTemplate(assign, pathData(data, value, states), 'Assign') as Record<string, unknown>;
}

/**
 * The end of a state that produced `result`: JSONPath ResultSelector → Assign → ResultPath →
 * OutputPath; JSONata Output (default `$states.result`, or the input) and Assign, both evaluated
 * with the variables as they were at state entry.
 */
export async function finishWithResult(def: Json, data: StateData, effectiveInput: unknown, result: unknown, hasResult: boolean): Promise<{ output: unknown; assigned?: Record<string, unknown> }> {
  if (data.jsonata) {
    const states = hasResult ? { result } : {};
    const jd = jsonataData(data, states);
    const output = 'Output' in def ? await evaluateField(def.Output, jd, 'Output') : hasResult ? result : data.raw;
    const assigned = await assignments(def.Assign, data, undefined, states);
    return assigned ? { output, assigned } : { output };
  }
  let selected = result;
  if (hasResult && isObject(def.ResultSelector)) selected = applyTemplate(def.ResultSelector, pathData(data, result), 'ResultSelector');
  const assigned = await assignments(def.Assign, data, hasResult ? selected : effectiveInput, hasResult ? { result: selected } : {});
  const combined = hasResult ? applyResultPath(def.ResultPath, data.raw, selected) : effectiveInput;
  const output = applyFilterPath(def.OutputPath, combined, pathData(data, combined), 'OutputPath');
  return assigned ? { output, assigned } : { output };
}

export function nextOf(def: Json): string | undefined {
  return def.End === true || typeof def.Next !== 'string' ? undefined : def.Next;
}

export async function passState(def: Json, data: StateData): Promise<StateOutcome> {
  const next = nextOf(def);
  if (data.jsonata) return { ...(await finishWithResult(def, data, data.raw, undefined, false)), next };
  const effective = effectiveInput(def, data);
  const result = 'Result' in def ? def.Result : isObject(def.Parameters) ? applyTemplate(def.Parameters, pathData(data, effective), 'Parameters') : effective;
  const finished = await finishWithResult({ ...def, ResultSelector: undefined }, data, effective, result, true);
  return { ...finished, next };
}

export async function failStateError(def: Json, data: StateData): Promise<StatesFailure> {
  const text = async (field: 'Error' | 'Cause'): Promise<string | undefined> => {
    if (data.jsonata) return def[field] === undefined ? undefined : evaluateTyped(def[field], jsonataData(data), field, (v): v is string => typeof v === 'string', 'a string');
    const path = def[`${field}Path`];
    if (typeof path === 'string') {
      const pd = pathData(data, data.raw);
      const value = isIntrinsicCall(path) ? evaluateIntrinsic(path, (p) => readPath(p, pd, `${field}Path`)) : readPath(path, pd, `${field}Path`);
      if (typeof value !== 'string') throw runtimeFailure(`The ${field}Path '${path}' of the Fail state must select a string; it selected ${jsonText(value)}.`);
      return value;
    }
    return typeof def[field] === 'string' ? (def[field] as string) : undefined;
  };
  const error = await text('Error');
  const cause = await text('Cause');
  return new StatesFailure(error ?? 'States.Fail', cause ?? '');
}

export async function choiceState(def: Json, data: StateData): Promise<StateOutcome> {
  const rules = Array.isArray(def.Choices) ? def.Choices.filter(isObject) : [];
  if (data.jsonata) {
    const jd = jsonataData(data);
    let chosen: Json | undefined;
    let at = -1;
    for (let i = 0; i < rules.length && !chosen; i++) {
      const holds = await evaluateTyped(rules[i].Condition, jd, `Choices[${i}]/Condition`, (v): v is boolean => typeof v === 'boolean', 'a boolean');
      if (holds) {
        chosen = rules[i];
        at = i;
      }
    }
    const next = chosen ? String(chosen.Next) : typeof def.Default === 'string' ? def.Default : undefined;
    if (next === undefined) throw new StatesFailure('States.NoChoiceMatched', 'No Matches!');
    // A matched rule's Output/Assign win; the state's own apply when Default is taken.
    const ruleOutput = chosen !== undefined && 'Output' in chosen;
    const outputField = ruleOutput ? chosen!.Output : def.Output;
    const output = outputField !== undefined ? await evaluateField(outputField, jd, ruleOutput ? `Choices[${at}]/Output` : 'Output') : data.raw;
    const assigned = await assignments((chosen ?? def).Assign, data, undefined, {}, chosen ? `Choices[${at}]/Assign` : 'Assign');
    return assigned ? { output, next, assigned } : { output, next };
  }
  const effective = effectiveInput(def, data);
  const pd = pathData(data, effective);
  const chosen = rules.find((r) => choiceRuleMatches(r, pd));
  const next = chosen ? String(chosen.Next) : typeof def.Default === 'string' ? def.Default : undefined;
  if (next === undefined) throw new StatesFailure('States.NoChoiceMatched', 'No Matches!');
  const assigned = await assignments((chosen ?? def).Assign, data, effective, {});
  const output = applyFilterPath(def.OutputPath, effective, pathData(data, effective), 'OutputPath');
  return assigned ? { output, next, assigned } : { output, next };
}

export async function secondsField(def: Json, data: StateData, field: 'TimeoutSeconds' | 'HeartbeatSeconds', effective: unknown): Promise<number | undefined> {
  const isPositive = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;
  const value = def[field];
  if (data.jsonata && isJsonataExpression(value)) return evaluateTyped(value, jsonataData(data), field, isPositive, 'a positive integer');
  if (typeof value === 'number') return value;
  const path = def[`${field}Path`];
  if (typeof path === 'string') {
    const v = readPath(path, pathData(data, effective), `${field}Path`);
    if (!isPositive(v)) throw runtimeFailure(`The ${field}Path '${path}' selected ${jsonText(v)}, not a positive integer.`);
    return v;
  }
  return undefined;
}

/** MaxConcurrency / ToleratedFailureCount / ToleratedFailurePercentage: a number, a …Path, or JSONata. */
export async function mapNumber(def: Json, data: StateData, field: string, effective: unknown): Promise<number | undefined> {
  const value = def[field];
  const isCount = (v: unknown): v is number => typeof v === 'number' && v >= 0;
  if (data.jsonata && isJsonataExpression(value)) return evaluateTyped(value, jsonataData(data), field, isCount, 'a non-negative number');
  if (typeof value === 'number') return value;
  const path = def[`${field}Path`];
  if (typeof path === 'string') {
    const v = readPath(path, pathData(data, effective), `${field}Path`);
    if (!isCount(v)) throw runtimeFailure(`The ${field}Path '${path}' selected ${jsonText(v)}, not a non-negative number.`);
    return v;
  }
  return undefined;
}

/** Each iteration's input: ItemBatcher batches, then ItemSelector (or the legacy Parameters). */
export async function mapItemInputs(def: Json, data: StateData, effective: unknown, items: unknown[]): Promise<unknown[]> {
  let units: unknown[] = items;
  if (isObject(def.ItemBatcher)) {
    const batcher = def.ItemBatcher;
    const jd = jsonataData(data);
    const pd = pathData(data, effective);
    const numberOf = async (field: string): Promise<number | undefined> => {
      const v = data.jsonata && isJsonataExpression(batcher[field]) ? await evaluateField(batcher[field], jd, `ItemBatcher/${field}`) : typeof batcher[`${field}Path`] === 'string' ? readPath(String(batcher[`${field}Path`]), pd, `ItemBatcher.${field}Path`) : batcher[field];
      return typeof v === 'number' && v > 0 ? v : undefined;
    };
    const maxItems = (await numberOf('MaxItemsPerBatch')) ?? Infinity;
    const maxBytes = (await numberOf('MaxInputBytesPerBatch')) ?? 256 * 1024;
    const batchInput = 'BatchInput' in batcher ? (data.jsonata ? await evaluateField(batcher.BatchInput, jd, 'ItemBatcher/BatchInput') : applyTemplate(batcher.BatchInput, pd, 'ItemBatcher.BatchInput')) : undefined;
    const batches: unknown[] = [];
    let current: unknown[] = [];
    const size = (list: unknown[]) => Buffer.byteLength(jsonText(batchInput === undefined ? { Items: list } : { BatchInput: batchInput, Items: list }));
    for (const item of items) {
      if (current.length > 0 && (current.length >= maxItems || size([...current, item]) > maxBytes)) {
        batches.push(current);
        current = [];
      }
      current.push(item);
    }
    if (current.length > 0) batches.push(current);
    units = batches.map((list) => (batchInput === undefined ? { Items: list } : { BatchInput: batchInput, Items: list }));
  }
  const selector = def.ItemSelector ?? def.Parameters;
  if (selector === undefined) return units;
  const out: unknown[] = [];
  for (let index = 0; index < units.length; index++) {
    const context = { ...data.context, Map: { Item: { Index: index, Value: units[index] } } };
    const itemData: StateData = { ...data, context };
    if (data.jsonata) out.push(await evaluateField(selector, jsonataData(itemData), 'ItemSelector'));
    else out.push(applyTemplate(selector, pathData(itemData, effective), 'ItemSelector'));
  }
  return out;
}
