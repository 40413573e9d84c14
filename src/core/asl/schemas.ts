import type { ValidateFunction } from 'ajv';
import type { QueryLanguage, StateType } from './model';
import { stateValidatorName } from './validator-names';

/**
 * asl-validator's JSON Schemas as validators: compiled at build time into
 * src/core/asl/generated/validators.ts (see src/core/asl/compile-schemas.ts for what is compiled
 * and why), loaded on the first linked definition. A CLI run that never meets an ASL file, and
 * the extension's activation, do not load them.
 */
export interface AslSchemas {
  topLevel: ValidateFunction;
  /** The validator for one state type in one query language. */
  state(type: StateType, lang: QueryLanguage): ValidateFunction;
  /** The fields a state type allows in a query language (for "did you mean" and hints). */
  fields(type: StateType, lang: QueryLanguage): string[];
  /** Comparison operators of JSONPath choice rules (StringEquals, NumericLessThanPath, …). */
  choiceOperators: string[];
}

type Generated = Record<string, ValidateFunction> & { FIELDS: Record<string, string[]>; CHOICE_OPERATORS: string[] };

let loaded: AslSchemas | undefined;

export function aslSchemas(): AslSchemas {
  return (loaded ??= load());
}

function load(): AslSchemas {
  const generated = require('./generated/validators') as Generated;
  return {
    topLevel: generated.topLevel,
    state: (type, lang) => generated[stateValidatorName(type, lang)],
    fields: (type, lang) => generated.FIELDS[stateValidatorName(type, lang)] ?? [],
    choiceOperators: generated.CHOICE_OPERATORS,
  };
}
