import type Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import { STATE_TYPES, type QueryLanguage, type StateType } from './model';

/**
 * asl-validator's JSON Schemas, compiled once per process.
 *
 * asl-validator itself builds a new Ajv and recompiles every schema on each call (~180-400 ms),
 * and validates the whole definition in one pass whose `oneOf` over eight state types (each a
 * `oneOf` of a JSONPath and a JSONata variant) buries one mistake under dozens of errors. So we
 * load its schema files into one Ajv and compile:
 * - the definition's top level, with each state's schema replaced by "any value", and
 * - one validator per state type and query language (`<type>.json#/oneOf/0` is the JSONPath
 *   variant, `/oneOf/1` the JSONata one, in every state schema of asl-validator 4), each on
 *   first use, so each state is checked once, against the one variant that applies.
 * Formats are asl-validator's own: asl-path-validator for paths, its ARN check, JSONata parsing.
 *
 * Everything heavy (ajv, jsonata, the schema files) is required on first use, not at import:
 * a CLI run that never meets an ASL file does not pay for it.
 */
export interface AslSchemas {
  topLevel: ValidateFunction;
  /** The validator for one state type in one query language (compiled on first use). */
  state(type: StateType, lang: QueryLanguage): ValidateFunction;
  /** The fields a state type allows in a query language (for "did you mean" and hints). */
  fields(type: StateType, lang: QueryLanguage): string[];
  /** Comparison operators of JSONPath choice rules (StringEquals, NumericLessThanPath, …). */
  choiceOperators: string[];
}

type Schema = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

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
const FORMAT_CACHE_LIMIT = 20_000;

let compiled: AslSchemas | undefined;

/** The compiled schemas; the first call loads and compiles (the only slow step), later calls reuse them. */
export function aslSchemas(): AslSchemas {
  return (compiled ??= compileAslSchemas());
}

/* Literal requires so that bundlers include the files; asl-validator ships no typings for them. */
function loadSchemaFiles(): Record<string, Schema> {
  return {
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
  const AjvClass = (require('ajv') as { default: typeof Ajv }).default;
  const addFormats = (require('ajv-formats') as { default: (ajv: Ajv) => Ajv }).default;
  const { registerAll } = require('asl-path-validator') as { registerAll: (ajv: Ajv) => void };
  const { isArnFormatValid } = require('asl-validator/dist/src/checks/formats') as { isArnFormatValid: (s: string) => boolean };
  const files = loadSchemaFiles();

  const schemas = Object.entries(files).map(([name, s]) => (name === 'state-machine' || name === 'base-state-machine' ? withoutStateSchemas(s) : s));
  const ajv = new AjvClass({ schemas, allowUnionTypes: true, allErrors: true, strict: false, logger: false });
  addFormats(ajv);
  ajv.addFormat('jsonata_string', (value: string) => isJsonata(value));
  ajv.addFormat('maybe_jsonata_string', (value: string) => {
    const t = value.trim();
    return t.startsWith('{%') || t.endsWith('%}') ? isJsonata(t) : true;
  });
  // asl-path-validator parses each path with a PEG parser and then queries the AST with
  // jsonpath-plus: the slowest step of a validation. Paths repeat ("$", "$.result") across
  // states and files, and a format check depends only on the string, so results are cached.
  registerAll(memoizingFormats(ajv));
  ajv.addFormat('asl_arn', (value: string) => isArnFormatValid(value));

  const variants = new Map<string, ValidateFunction>();
  const variantSchema = (type: StateType, lang: QueryLanguage): Schema => {
    const file = SCHEMA_FILE_OF[type];
    const variant = files[file].oneOf?.[VARIANT[lang]];
    const declared = variant?.properties?.QueryLanguage?.$ref as string | undefined;
    if (!declared?.startsWith(lang === 'JSONPath' ? 'paths.json' : 'jsonata.json')) {
      throw new Error(`asl-validator schema ${file}.json changed shape: oneOf/${VARIANT[lang]} is not the ${lang} variant`);
    }
    return variant;
  };
  // Check the shape of every variant now, so a changed asl-validator fails loudly on first use.
  for (const type of STATE_TYPES) for (const lang of ['JSONPath', 'JSONata'] as const) variantSchema(type, lang);

  const dataTests = files.choice.definitions?.ChoiceRules?.DataTest ?? {};
  return {
    topLevel: ajv.compile({ $ref: `${BASE_URI}state-machine.json#` }),
    state(type, lang) {
      const key = `${type}/${lang}`;
      let validate = variants.get(key);
      if (!validate) {
        validate = ajv.compile({ $ref: `${BASE_URI}${SCHEMA_FILE_OF[type]}.json#/oneOf/${VARIANT[lang]}` });
        variants.set(key, validate);
      }
      return validate;
    },
    fields: (type, lang) => Object.keys(variantSchema(type, lang).properties ?? {}),
    choiceOperators: Object.keys(dataTests).filter((k) => !k.startsWith('_') && k !== 'DataTestExpression'),
  };
}

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

let jsonataParse: ((expr: string) => unknown) | undefined;

/** asl-validator's JSONata check: the text between `{%` and `%}` parses as JSONata. */
function isJsonata(value: string): boolean {
  let expr = value.trim();
  if (expr.startsWith('{%')) expr = expr.slice(2);
  if (expr.endsWith('%}')) expr = expr.slice(0, -2);
  jsonataParse ??= require('jsonata') as (expr: string) => unknown;
  try {
    jsonataParse(expr);
    return true;
  } catch {
    return false;
  }
}
