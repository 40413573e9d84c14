/**
 * BUILD TIME ONLY: compiles asl-validator's JSON Schemas into standalone validator code
 * (scripts/generate-asl-validators.mjs writes it to src/core/asl/generated/validators.ts, which
 * `npm run build` and `npm run compile` regenerate). Compiling them at run time cost ~500 ms on
 * every cold `bridge lint` and on the editor's first validation; loading the generated code costs
 * a few milliseconds.
 *
 * Why not asl-validator's own entry point: it builds a new Ajv and recompiles every schema on each
 * call, and validates the whole definition in one pass whose `oneOf` over eight state types (each a
 * `oneOf` of a JSONPath and a JSONata variant) buries one mistake under dozens of errors. So the
 * generated module holds:
 * - `topLevel`: the definition's top level, with each state's schema replaced by "any value";
 * - one validator per state type and query language (`<type>.json#/oneOf/0` is the JSONPath
 *   variant, `/oneOf/1` the JSONata one, in every state schema of asl-validator 4), so each state is
 *   checked once, against the one variant that applies;
 * - the fields each variant allows and the Choice comparison operators, for "did you mean" hints.
 * Formats are asl-validator's own (src/core/asl/formats.ts), referenced by name from the code.
 * Where asl-validator's schemas contradict the Step Functions documentation they are corrected
 * first, each correction with its reason (src/core/asl/schema-overlay.ts).
 */
import Ajv, { type AnySchema } from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import { _ } from 'ajv/dist/compile/codegen';
import { STATE_TYPES, QUERY_LANGUAGES, type QueryLanguage, type StateType } from './model';
import { aslFormats } from './formats';
import { stateValidatorName } from './validator-names';
import { applySchemaOverlays, ASL_SCHEMA_OVERLAYS } from './schema-overlay';

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
const SCHEMA_FILES = ['common', 'paths', 'jsonata', 'errors', 'base-state-machine', 'state-machine', 'state', ...Object.values(SCHEMA_FILE_OF)];

function loadSchemaFiles(): Record<string, Schema> {
  return Object.fromEntries(SCHEMA_FILES.map((name) => [name, require(`asl-validator/dist/src/schemas/${name}.json`) as Schema]));
}

/** A copy of a state-machine schema whose states are "any value": states are validated one by one. */
function withoutStateSchemas(schema: Schema): Schema {
  const copy = structuredClone(schema);
  const states = copy.properties?.States;
  if (!states?.patternProperties) throw new Error(`asl-validator schema ${schema.$id} changed shape: States.patternProperties is missing`);
  for (const pattern of Object.keys(states.patternProperties)) states.patternProperties[pattern] = {};
  return copy;
}

function variantSchema(files: Record<string, Schema>, type: StateType, lang: QueryLanguage): Schema {
  const file = SCHEMA_FILE_OF[type];
  const variant = files[file].oneOf?.[VARIANT[lang]];
  const declared = variant?.properties?.QueryLanguage?.$ref as string | undefined;
  if (!declared?.startsWith(lang === 'JSONPath' ? 'paths.json' : 'jsonata.json')) {
    throw new Error(`asl-validator schema ${file}.json changed shape: oneOf/${VARIANT[lang]} is not the ${lang} variant`);
  }
  return variant;
}

/** The source of the generated module: standalone validators plus the field tables. */
export function standaloneAslValidators(): string {
  const files = applySchemaOverlays(loadSchemaFiles());
  const schemas = Object.entries(files).map(([name, s]) => (name === 'state-machine' || name === 'base-state-machine' ? withoutStateSchemas(s) : s));
  const ajv = new Ajv({
    schemas: schemas as AnySchema[],
    allowUnionTypes: true,
    inlineRefs: false,
    allErrors: true,
    strict: false,
    logger: false,
    code: { source: true, esm: true, formats: _`require("../formats").aslFormats` },
  });
  for (const [name, format] of Object.entries(aslFormats)) ajv.addFormat(name, format as never);

  const exports: Record<string, string> = { topLevel: 'bridge:topLevel' };
  ajv.addSchema({ $id: 'bridge:topLevel', $ref: `${BASE_URI}state-machine.json#` });
  const fields: Record<string, string[]> = {};
  for (const type of STATE_TYPES) {
    for (const lang of QUERY_LANGUAGES) {
      const name = stateValidatorName(type, lang);
      fields[name] = Object.keys(variantSchema(files, type, lang).properties ?? {});
      ajv.addSchema({ $id: `bridge:${name}`, $ref: `${BASE_URI}${SCHEMA_FILE_OF[type]}.json#/oneOf/${VARIANT[lang]}` });
      exports[name] = `bridge:${name}`;
    }
  }
  const dataTests = files.choice.definitions?.ChoiceRules?.DataTest ?? {};
  const choiceOperators = Object.keys(dataTests).filter((k) => !k.startsWith('_') && k !== 'DataTestExpression');
  const asl = require('asl-validator/package.json') as { version: string };

  return [
    '// @ts-nocheck',
    `// GENERATED by scripts/generate-asl-validators.mjs from asl-validator ${asl.version}'s schemas (src/core/asl/compile-schemas.ts). Do not edit.`,
    ...ASL_SCHEMA_OVERLAYS.map((o) => `// overlay ${o.file}.json#${o.pointer}: ${o.reason.replace(/\s+/g, ' ')}`),
    `export const FIELDS = ${JSON.stringify(fields)};`,
    `export const CHOICE_OPERATORS = ${JSON.stringify(choiceOperators)};`,
    standaloneCode(ajv, exports),
    '',
  ].join('\n');
}
