/**
 * Runtime values of the ADF expression language and the helpers every function needs:
 * the typed evaluation error, type names, stringification and deep equality as ADF does them.
 *
 * Values are plain JSON: string, number, boolean, null, arrays and plain objects. ADF tells
 * integers and floats apart; here a number is an integer when `Number.isInteger` says so, so a
 * float that happens to be whole (`2.0`) behaves as an integer (e.g. in `div`).
 */
import type { Span } from './ast';

/** ADF reports expression failures with this error code (activity error `InvalidTemplate`). */
export const EVALUATION_ERROR_CODE = 'InvalidTemplate';

/**
 * The only error the evaluator throws. `offset`/`length` locate the failing part in the decoded
 * string value when known.
 */
export class ExpressionEvaluationError extends Error {
  readonly code: string = EVALUATION_ERROR_CODE;
  offset: number | undefined;
  length: number | undefined;
  /** The text of the whole string value being evaluated, when known. */
  source: string | undefined;

  constructor(message: string, span?: Span, source?: string) {
    super(message);
    this.name = 'ExpressionEvaluationError';
    this.offset = span?.offset;
    this.length = span?.length;
    this.source = source;
  }
}

export type AdfTypeName = 'String' | 'Integer' | 'Float' | 'Boolean' | 'Null' | 'Array' | 'Object';

export function typeName(v: unknown): AdfTypeName {
  if (v === null || v === undefined) return 'Null';
  if (typeof v === 'string') return 'String';
  if (typeof v === 'number') return Number.isInteger(v) ? 'Integer' : 'Float';
  if (typeof v === 'boolean') return 'Boolean';
  if (Array.isArray(v)) return 'Array';
  return 'Object';
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The text ADF produces for a value in `string()`, `concat()` and `@{…}` interpolation:
 * strings as they are, null as '', booleans as .NET writes them (`True`/`False`), numbers in
 * invariant culture, arrays and objects as compact JSON.
 */
export function stringify(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return formatNumber(v);
  return JSON.stringify(v);
}

function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity';
  // .NET writes exponents as E+21, not e+21.
  return String(n).replace('e', 'E');
}

/** Deep equality as `equals()` does it: case-sensitive strings, numbers by value, true == 1. */
export function deepEquals(a: unknown, b: unknown): boolean {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (typeof a === 'boolean' && typeof b === 'number') return (a ? 1 : 0) === b;
  if (typeof a === 'number' && typeof b === 'boolean') return a === (b ? 1 : 0);
  if (a === null || b === null) return a === b;
  if (typeof a !== typeof b) return false;
  if (typeof a !== 'object') return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEquals(a[i], b[i])) return false;
    return true;
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao);
  const bk = Object.keys(bo);
  if (ak.length !== bk.length) return false;
  for (const k of ak) {
    if (!Object.prototype.hasOwnProperty.call(bo, k) || !deepEquals(ao[k], bo[k])) return false;
  }
  return true;
}

/** A short rendering of a value for error messages. */
export function preview(v: unknown, max = 60): string {
  let s: string;
  try {
    s = typeof v === 'string' ? v : v === undefined ? 'null' : JSON.stringify(v);
  } catch {
    s = String(v);
  }
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** Own-property lookup: exact name first, then case-insensitively (ADF property names ignore case). */
export function getProperty(obj: Record<string, unknown>, name: string): { found: boolean; value: unknown } {
  if (Object.prototype.hasOwnProperty.call(obj, name)) return { found: true, value: obj[name] };
  const lower = name.toLowerCase();
  for (const k of Object.keys(obj)) {
    if (k.toLowerCase() === lower) return { found: true, value: obj[k] };
  }
  return { found: false, value: undefined };
}
