/** ADF expression language: parser, references, JSON walk and evaluator. */
export * from './ast';
export * from './catalog';
export * from './parse';
export * from './references';
export * from './json-strings';
export * from './evaluate';
export { stringify as stringifyAdfValue, deepEquals as adfEquals, typeName as adfTypeName } from './values';
