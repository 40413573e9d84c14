/** Pipeline parameters and variables: createRun's parameters bound to their declared types, variable type checks. */
import { ArmRequestError } from './arm-error';
import type { LoadedPipeline } from './repo';
import { ActivityFailure, describeType, isObject } from './run-context';

/** Applies defaults and checks createRun's parameters against the pipeline's declared types. */
export function bindParameters(pipeline: LoadedPipeline, given: Record<string, unknown>): Record<string, unknown> {
  const declared = pipeline.json.properties.parameters ?? {};
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(declared)) {
    const type = String(spec?.type ?? 'String');
    if (Object.prototype.hasOwnProperty.call(given, name) && given[name] !== undefined) {
      out[name] = coerceParameter(pipeline.name, name, type, given[name]);
    } else if (spec && 'defaultValue' in spec) {
      out[name] = spec.defaultValue;
    } else {
      throw new ArmRequestError(
        400,
        'BadRequest',
        `Missing value for parameter '${name}' (type ${type}) of pipeline '${pipeline.name}': it has no default value, so createRun must pass it in the request body, e.g. {"${name}": …}.`,
      );
    }
  }
  // Parameters the pipeline does not declare are kept (shown on the run, visible to expressions) rather than dropped.
  // Own properties only, defined rather than assigned: "constructor" or "__proto__" is a name like any other.
  for (const [name, value] of Object.entries(given)) {
    if (!Object.hasOwn(out, name) && value !== undefined) Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

const VARIABLE_TYPES: Record<string, (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  bool: (v) => typeof v === 'boolean',
  boolean: (v) => typeof v === 'boolean',
  array: (v) => Array.isArray(v),
  integer: (v) => typeof v === 'number' && Number.isInteger(v),
};

export function checkVariableType(name: string, type: string, value: unknown): void {
  const ok = VARIABLE_TYPES[type.toLowerCase()];
  if (ok && value !== null && !ok(value)) {
    throw new ActivityFailure(
      'InvalidTemplate',
      `The variable '${name}' of type '${type}' cannot be initialized or updated with value of type '${describeType(value)}'. The variable '${name}' only supports values of types '${type}'.`,
    );
  }
}

function coerceParameter(pipeline: string, name: string, type: string, value: unknown): unknown {
  const bad = (expect: string) =>
    new ArmRequestError(400, 'BadRequest', `Parameter '${name}' of pipeline '${pipeline}' is declared ${type}, but createRun passed ${JSON.stringify(value)} (${describeType(value)}). Pass ${expect}.`);
  switch (type.toLowerCase()) {
    case 'string':
    case 'securestring':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      throw bad('a string');
    case 'int':
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value);
      throw bad('an integer');
    case 'float':
      if (typeof value === 'number') return value;
      if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
      throw bad('a number');
    case 'bool':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
      throw bad('true or false');
    case 'array':
    case 'object': {
      let v = value;
      if (typeof v === 'string') {
        try {
          v = JSON.parse(v);
        } catch {
          throw bad(type.toLowerCase() === 'array' ? 'a JSON array' : 'a JSON object');
        }
      }
      if (type.toLowerCase() === 'array' ? Array.isArray(v) : isObject(v)) return v;
      throw bad(type.toLowerCase() === 'array' ? 'a JSON array' : 'a JSON object');
    }
    default:
      return value;
  }
}
