import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import jsonata from 'jsonata';
import { registerAll as registerAslPathFormats } from 'asl-path-validator';
import { STATE_TYPES, type QueryLanguage, type StateType } from './model';

/**
 * asl-validator's JSON Schemas, compiled once per process.
 *
 * asl-validator itself builds a new Ajv and recompiles every schema on each call (~180-400 ms),
 * and validates the whole definition in one pass whose `oneOf` over eight state types (each a
 * `oneOf` of a JSONPath and a JSONata variant) buries one mistake under dozens of errors. So we
 * load its schema files into one Ajv and compile:
 * - the definition's top level, with each state's schema replaced by "any object", and
 * - one validator per state type and query language (`<type>.json#/oneOf/0` is the JSONPath
 *   variant, `/oneOf/1` the JSONata one, in every state schema of asl-validator 4),
 * so each state is checked once, against the one variant that applies, and its errors are few.
 * Formats are asl-validator's own: asl-path-validator for paths, its ARN check, JSONata parsing.
 */
export interface AslSchemas {
  topLevel: ValidateFunction;
  state: Record<StateType, Record<QueryLanguage, ValidateFunction>>;
  /** The fields each state type allows in each query language (for "did you mean" and hints). */
  fields: Record<StateType, Record<QueryLanguage, string[]>>;
  /** Comparison operators of JSONPath choice rules (StringEquals, NumericLessThanPath, …). */
  choiceOperators: string[];
}

type Schema = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/* Literal requires so that bundlers include the files; asl-validator ships no typings for them. */
const SCHEMA_FILES: Record<string, Schema> = {
  common: require('asl-validator/dist/src/schemas/common.json'),
  paths: require('asl-validator/dist/src/schemas/paths.json'),
  jsonata: require('asl-validator/dist/src/schemas/jsonata.json'),
  errors: require('asl-validator/dist/src/schemas/errors.json'),
  'base-state-machine': require('asl-validator/dist/src/schemas/base-state-machine.json'),
  'state-machine': require('asl-validator/dist/src/schemas/state-machine.json'),
  state: require('asl-validator/dist/src/schemas/state.json'),
  choice: require('asl-validator/dist/src/schemas/choice.json'),
  fail: require('asl-validator/dist/src/schemas/fail.json'),
  map: require('asl-validator/dist/src/schemas/map.json'),
  parallel: require('asl-validator/dist/src/schemas/parallel.json'),
  pass: require('asl-validator/dist/src/schemas/pass.json'),
  succeed: require('asl-validator/dist/src/schemas/succeed.json'),
  task: require('asl-validator/dist/src/schemas/task.json'),
  wait: require('asl-validator/dist/src/schemas/wait.json'),
};

const { isArnFormatValid } = require('asl-validator/dist/src/checks/formats') as { isArnFormatValid: (s: string) => boolean };

const BASE_URI = 'http://asl-validator.cloud/';
const SCHEMA_FILE_OF: Record<StateType, string> = {
  Task: 'task',
  Pass: 'pass',
  Choice: 'choice',
  Wait: 'wait',
  Succeed: 'succeed',
  Fail: 'fail',
  Parallel: 'parallel',
  Map: 'map',
};
const VARIANT: Record<QueryLanguage, number> = { JSONPath: 0, JSONata: 1 };

let compiled: AslSchemas | undefined;

/** The compiled schemas; the first call compiles them (the only slow step), later calls reuse them. */
export function aslSchemas(): AslSchemas {
  return (compiled ??= compileAslSchemas());
}

/** A copy of a state-machine schema whose states are "any value": states are validated one by one. */
function withoutStateSchemas(schema: Schema): Schema {
  const copy = structuredClone(schema);
  const states = copy.properties?.States;
  if (!states?.patternProperties) throw new Error(`asl-validator schema ${schema.$id} changed shape: States.patternProperties is missing`);
  for (const pattern of Object.keys(states.patternProperties)) states.patternProperties[pattern] = {};
  return copy;
}

function compileAslSchemas(): AslSchemas {
  const schemas = Object.entries(SCHEMA_FILES).map(([name, s]) =>
    name === 'state-machine' || name === 'base-state-machine' ? withoutStateSchemas(s) : s,
  );
  const ajv = new Ajv({ schemas, allowUnionTypes: true, allErrors: true, strict: false, logger: false });
  addFormats(ajv);
  ajv.addFormat('jsonata_string', (value: string) => isJsonata(value));
  ajv.addFormat('maybe_jsonata_string', (value: string) => {
    const t = value.trim();
    return t.startsWith('{%') || t.endsWith('%}') ? isJsonata(t) : true;
  });
  // asl-path-validator parses each path with a PEG parser and then queries the AST with
  // jsonpath-plus: the slowest step of a validation. Paths repeat ("$", "$.result") across
  // states and files, and a format check depends only on the string, so results are cached.
  registerAslPathFormats(memoizingFormats(ajv));
  ajv.addFormat('asl_arn', (value: string) => isArnFormatValid(value));

  const topLevel = ajv.compile({ $ref: `${BASE_URI}state-machine.json#` });
  const state = {} as AslSchemas['state'];
  const fields = {} as AslSchemas['fields'];
  for (const type of STATE_TYPES) {
    const file = SCHEMA_FILE_OF[type];
    state[type] = {} as Record<QueryLanguage, ValidateFunction>;
    fields[type] = {} as Record<QueryLanguage, string[]>;
    for (const lang of ['JSONPath', 'JSONata'] as const) {
      const variant = SCHEMA_FILES[file].oneOf?.[VARIANT[lang]];
      const declared = variant?.properties?.QueryLanguage?.$ref as string | undefined;
      const expected = lang === 'JSONPath' ? 'paths.json' : 'jsonata.json';
      if (!declared?.startsWith(expected)) throw new Error(`asl-validator schema ${file}.json changed shape: oneOf/${VARIANT[lang]} is not the ${lang} variant`);
      state[type][lang] = ajv.compile({ $ref: `${BASE_URI}${file}.json#/oneOf/${VARIANT[lang]}` });
      fields[type][lang] = Object.keys(variant.properties);
    }
  }
  const dataTests = SCHEMA_FILES.choice.definitions?.ChoiceRules?.DataTest ?? {};
  const choiceOperators = Object.keys(dataTests).filter((k) => !k.startsWith('_') && k !== 'DataTestExpression');
  return { topLevel, state, fields, choiceOperators };
}

const FORMAT_CACHE_LIMIT = 20_000;

/** An Ajv whose `addFormat` wraps each validator function in a per-format cache of results. */
function memoizingFormats(ajv: Ajv): Ajv {
  const addFormat = ajv.addFormat.bind(ajv);
  const proxy = Object.create(ajv) as Ajv;
  proxy.addFormat = ((name: string, format: unknown) => {
    if (typeof format !== 'function') return addFormat(name, format as never);
    const check = format as (value: string) => boolean;
    const cache = new Map<string, boolean>();
    return addFormat(name, (value: string) => {
      let ok = cache.get(value);
      if (ok === undefined) {
        ok = check(value);
        if (cache.size >= FORMAT_CACHE_LIMIT) cache.clear();
        cache.set(value, ok);
      }
      return ok;
    });
  }) as Ajv['addFormat'];
  return proxy;
}

/** asl-validator's JSONata check: the text between `{%` and `%}` parses as JSONata. */
function isJsonata(value: string): boolean {
  let expr = value.trim();
  if (expr.startsWith('{%')) expr = expr.slice(2);
  if (expr.endsWith('%}')) expr = expr.slice(0, -2);
  try {
    jsonata(expr);
    return true;
  } catch {
    return false;
  }
}
