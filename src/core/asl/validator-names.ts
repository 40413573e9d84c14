import type { QueryLanguage, StateType } from './model';

/** The export name of a state type's validator in one query language (e.g. `Task_JSONPath`). */
export function stateValidatorName(type: StateType, lang: QueryLanguage): string {
  return `${type}_${lang}`;
}
