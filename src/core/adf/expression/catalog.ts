/**
 * The functions of the ADF pipeline expression language, with their argument counts.
 *
 * Source: "Expressions and functions in Azure Data Factory and Azure Synapse Analytics"
 * (learn.microsoft.com, control-flow-expression-language-functions), plus the context functions
 * pipelines and triggers use (`pipeline()`, `activity()`, `variables()`, `item()`, `dataset()`,
 * `linkedService()`, `trigger()`, `triggerBody()`, `triggerOutputs()`).
 *
 * Names are case-insensitive in ADF (`utcnow()` and `utcNow()` both work); `canonicalFunctionName`
 * resolves any spelling to the one below. Mapping data flow functions are a different language
 * and are not listed here.
 */

export type FunctionCategory = 'string' | 'collection' | 'logical' | 'conversion' | 'math' | 'date' | 'context';

export interface FunctionSignature {
  name: string;
  category: FunctionCategory;
  minArgs: number;
  /** `Infinity` for variadic functions. */
  maxArgs: number;
  /** How the arguments read, for messages: `substring(text, startIndex, length?)`. */
  usage: string;
}

const MANY = Infinity;

function sig(name: string, category: FunctionCategory, minArgs: number, maxArgs: number, params: string): FunctionSignature {
  return { name, category, minArgs, maxArgs, usage: `${name}(${params})` };
}

export const ADF_FUNCTIONS: readonly FunctionSignature[] = [
  // String functions
  sig('concat', 'string', 1, MANY, 'text1, text2, ...'),
  sig('endsWith', 'string', 2, 2, 'text, searchText'),
  sig('guid', 'string', 0, 1, "format?"),
  sig('indexOf', 'string', 2, 2, 'text, searchText'),
  sig('lastIndexOf', 'string', 2, 2, 'text, searchText'),
  sig('replace', 'string', 3, 3, 'text, oldText, newText'),
  sig('split', 'string', 2, 2, 'text, delimiter'),
  sig('startsWith', 'string', 2, 2, 'text, searchText'),
  sig('substring', 'string', 2, 3, 'text, startIndex, length?'),
  sig('toLower', 'string', 1, 1, 'text'),
  sig('toUpper', 'string', 1, 1, 'text'),
  sig('trim', 'string', 1, 1, 'text'),
  // Collection functions
  sig('contains', 'collection', 2, 2, 'collection, value'),
  sig('empty', 'collection', 1, 1, 'collection'),
  sig('first', 'collection', 1, 1, 'collection'),
  sig('intersection', 'collection', 1, MANY, 'collection1, collection2, ...'),
  sig('join', 'collection', 2, 2, 'array, delimiter'),
  sig('last', 'collection', 1, 1, 'collection'),
  sig('length', 'collection', 1, 1, 'collection'),
  sig('skip', 'collection', 2, 2, 'collection, count'),
  sig('take', 'collection', 2, 2, 'collection, count'),
  sig('union', 'collection', 1, MANY, 'collection1, collection2, ...'),
  // Logical functions
  sig('and', 'logical', 2, MANY, 'expression1, expression2, ...'),
  sig('equals', 'logical', 2, 2, 'value1, value2'),
  sig('greater', 'logical', 2, 2, 'value, compareTo'),
  sig('greaterOrEquals', 'logical', 2, 2, 'value, compareTo'),
  sig('if', 'logical', 3, 3, 'expression, valueIfTrue, valueIfFalse'),
  sig('less', 'logical', 2, 2, 'value, compareTo'),
  sig('lessOrEquals', 'logical', 2, 2, 'value, compareTo'),
  sig('not', 'logical', 1, 1, 'expression'),
  sig('or', 'logical', 2, MANY, 'expression1, expression2, ...'),
  // Conversion functions
  sig('array', 'conversion', 1, 1, 'value'),
  sig('base64', 'conversion', 1, 1, 'value'),
  sig('base64ToBinary', 'conversion', 1, 1, 'value'),
  sig('base64ToString', 'conversion', 1, 1, 'value'),
  sig('binary', 'conversion', 1, 1, 'value'),
  sig('bool', 'conversion', 1, 1, 'value'),
  sig('coalesce', 'conversion', 1, MANY, 'value1, value2, ...'),
  sig('createArray', 'conversion', 1, MANY, 'value1, value2, ...'),
  sig('dataUri', 'conversion', 1, 1, 'value'),
  sig('dataUriToBinary', 'conversion', 1, 1, 'value'),
  sig('dataUriToString', 'conversion', 1, 1, 'value'),
  sig('decodeBase64', 'conversion', 1, 1, 'value'),
  sig('decodeDataUri', 'conversion', 1, 1, 'value'),
  sig('decodeUriComponent', 'conversion', 1, 1, 'value'),
  sig('encodeUriComponent', 'conversion', 1, 1, 'value'),
  sig('float', 'conversion', 1, 1, 'value'),
  sig('int', 'conversion', 1, 1, 'value'),
  sig('json', 'conversion', 1, 1, 'value'),
  sig('string', 'conversion', 1, 1, 'value'),
  sig('uriComponent', 'conversion', 1, 1, 'value'),
  sig('uriComponentToBinary', 'conversion', 1, 1, 'value'),
  sig('uriComponentToString', 'conversion', 1, 1, 'value'),
  sig('xml', 'conversion', 1, 1, 'value'),
  sig('xpath', 'conversion', 2, 2, 'xml, xpath'),
  // Math functions
  sig('add', 'math', 2, 2, 'summand1, summand2'),
  sig('div', 'math', 2, 2, 'dividend, divisor'),
  sig('max', 'math', 1, MANY, 'number1, number2, ... | array'),
  sig('min', 'math', 1, MANY, 'number1, number2, ... | array'),
  sig('mod', 'math', 2, 2, 'dividend, divisor'),
  sig('mul', 'math', 2, 2, 'multiplicand1, multiplicand2'),
  sig('rand', 'math', 2, 2, 'minValue, maxValue'),
  sig('range', 'math', 2, 2, 'startIndex, count'),
  sig('sub', 'math', 2, 2, 'minuend, subtrahend'),
  // Date functions
  sig('addDays', 'date', 2, 3, 'timestamp, days, format?'),
  sig('addHours', 'date', 2, 3, 'timestamp, hours, format?'),
  sig('addMinutes', 'date', 2, 3, 'timestamp, minutes, format?'),
  sig('addSeconds', 'date', 2, 3, 'timestamp, seconds, format?'),
  sig('addToTime', 'date', 3, 4, 'timestamp, interval, timeUnit, format?'),
  sig('convertFromUtc', 'date', 2, 3, 'timestamp, destinationTimeZone, format?'),
  sig('convertTimeZone', 'date', 3, 4, 'timestamp, sourceTimeZone, destinationTimeZone, format?'),
  sig('convertToUtc', 'date', 2, 3, 'timestamp, sourceTimeZone, format?'),
  sig('dayOfMonth', 'date', 1, 1, 'timestamp'),
  sig('dayOfWeek', 'date', 1, 1, 'timestamp'),
  sig('dayOfYear', 'date', 1, 1, 'timestamp'),
  sig('formatDateTime', 'date', 1, 2, 'timestamp, format?'),
  sig('getFutureTime', 'date', 2, 3, 'interval, timeUnit, format?'),
  sig('getPastTime', 'date', 2, 3, 'interval, timeUnit, format?'),
  sig('startOfDay', 'date', 1, 2, 'timestamp, format?'),
  sig('startOfHour', 'date', 1, 2, 'timestamp, format?'),
  sig('startOfMonth', 'date', 1, 2, 'timestamp, format?'),
  sig('subtractFromTime', 'date', 3, 4, 'timestamp, interval, timeUnit, format?'),
  sig('ticks', 'date', 1, 1, 'timestamp'),
  sig('utcNow', 'date', 0, 1, 'format?'),
  // Context functions: what the pipeline, its activities and its trigger provide.
  sig('pipeline', 'context', 0, 0, ''),
  sig('activity', 'context', 1, 1, 'activityName'),
  sig('variables', 'context', 1, 1, 'variableName'),
  sig('item', 'context', 0, 0, ''),
  sig('dataset', 'context', 0, 0, ''),
  sig('linkedService', 'context', 0, 0, ''),
  sig('trigger', 'context', 0, 0, ''),
  sig('triggerBody', 'context', 0, 0, ''),
  sig('triggerOutputs', 'context', 0, 0, ''),
];

const BY_LOWER_NAME = new Map<string, FunctionSignature>(ADF_FUNCTIONS.map((f) => [f.name.toLowerCase(), f]));

/** The signature of a function, looked up case-insensitively. */
export function lookupFunction(name: string): FunctionSignature | undefined {
  return BY_LOWER_NAME.get(name.toLowerCase());
}

export function canonicalFunctionName(name: string): string | undefined {
  return lookupFunction(name)?.name;
}

/**
 * The properties of the object `pipeline()` returns: the system variables plus `parameters` and
 * `globalParameters` (see "System variables supported by Azure Data Factory").
 */
export const PIPELINE_SYSTEM_VARIABLES = [
  'DataFactory',
  'Pipeline',
  'RunId',
  'TriggerType',
  'TriggerId',
  'TriggerName',
  'TriggerTime',
  'GroupId',
  'TriggeredByPipelineName',
  'TriggeredByPipelineRunId',
] as const;

export type PipelineSystemVariable = (typeof PIPELINE_SYSTEM_VARIABLES)[number];

const SYSTEM_VARIABLE_BY_LOWER = new Map<string, PipelineSystemVariable>(
  PIPELINE_SYSTEM_VARIABLES.map((v) => [v.toLowerCase(), v]),
);

/** The canonical spelling of a `pipeline()` system variable, case-insensitively. */
export function canonicalSystemVariable(name: string): PipelineSystemVariable | undefined {
  return SYSTEM_VARIABLE_BY_LOWER.get(name.toLowerCase());
}

/** The closest known name to `name` (edit distance ≤ 2, or a case/prefix match), for "did you mean". */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(lower, c.toLowerCase(), 3);
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return bestDistance <= Math.min(2, Math.max(1, Math.floor(name.length / 3))) ? best : undefined;
}

/** Levenshtein distance, giving up (returning `limit + 1`) once it exceeds `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    prev = cur;
  }
  return prev[b.length];
}
