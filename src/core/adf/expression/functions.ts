/**
 * The ADF expression function library (string, collection, logical, conversion, math, date and
 * context functions). Semantics follow "Expressions and functions in Azure Data Factory"; error
 * messages follow the wording ADF uses for `InvalidTemplate` failures.
 *
 * `if`, `and` and `or` evaluate their arguments lazily and live in evaluate.ts.
 */
import { randomBytes } from 'node:crypto';
import type { AdfEvalContext } from './context';
import {
  addUnits,
  DateFormatError,
  dayOfMonth,
  dayOfWeek,
  dayOfYear,
  formatTimestamp,
  fromDate,
  isInSupportedRange,
  parseTimeUnit,
  parseTimestamp,
  startOf,
  ticks,
  TIME_UNIT_NAMES,
  utcToZone,
  windowsZoneToIana,
  WINDOWS_ZONE_EXAMPLES,
  zoneToUtc,
  type AdfDateTime,
} from './datetime';
import { deepEquals, getProperty, isPlainObject, preview, stringify, typeName } from './values';

/** What a function implementation gets besides its arguments. */
export interface CallEnv {
  /** Canonical function name. */
  name: string;
  ctx: AdfEvalContext;
  /** Throws an ExpressionEvaluationError located at the call. */
  fail(message: string): never;
}

export type FunctionImpl = (args: unknown[], env: CallEnv) => unknown;

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth'];
const ordinal = (i: number): string => ORDINALS[i] ?? `${i + 1}th`;

function typeError(env: CallEnv, index: number, expected: string, value: unknown): never {
  env.fail(`The template language function '${env.name}' expects its ${ordinal(index)} parameter to be ${expected}. The provided value is of type '${typeName(value)}'.`);
}

function invalidParameter(env: CallEnv, detail: string): never {
  env.fail(`The function '${env.name}' was invoked with a parameter that is not valid. ${detail}`);
}

function str(args: unknown[], i: number, env: CallEnv): string {
  const v = args[i];
  if (typeof v !== 'string') typeError(env, i, 'of type string', v);
  return v;
}

function optStr(args: unknown[], i: number, env: CallEnv): string | undefined {
  return args.length > i && args[i] !== null ? str(args, i, env) : undefined;
}

function num(args: unknown[], i: number, env: CallEnv): number {
  const v = args[i];
  if (typeof v !== 'number') typeError(env, i, 'an integer or a decimal number', v);
  return v;
}

function int(args: unknown[], i: number, env: CallEnv): number {
  const v = args[i];
  if (typeof v !== 'number' || !Number.isInteger(v)) typeError(env, i, 'an integer', v);
  return v;
}

function bool(args: unknown[], i: number, env: CallEnv): boolean {
  const v = args[i];
  if (typeof v !== 'boolean') typeError(env, i, 'of type boolean', v);
  return v;
}

function arr(args: unknown[], i: number, env: CallEnv): unknown[] {
  const v = args[i];
  if (!Array.isArray(v)) typeError(env, i, 'an array', v);
  return v;
}

function timestamp(args: unknown[], i: number, env: CallEnv): AdfDateTime {
  const s = str(args, i, env);
  const dt = parseTimestamp(s);
  if (!dt) {
    invalidParameter(env, `The timestamp '${preview(s)}' could not be parsed: write an ISO 8601 timestamp such as '2018-03-15T13:00:00Z'.`);
  }
  return dt;
}

function format(dt: AdfDateTime, fmt: string | undefined, env: CallEnv): string {
  if (!isInSupportedRange(dt)) invalidParameter(env, 'The resulting timestamp is outside the range 0001-01-01 to 9999-12-31.');
  try {
    return formatTimestamp(dt, fmt);
  } catch (e) {
    if (e instanceof DateFormatError) env.fail(`The function '${env.name}' was given a format that is not valid: ${e.message}`);
    throw e;
  }
}

function timeUnit(args: unknown[], i: number, env: CallEnv) {
  const s = str(args, i, env);
  const u = parseTimeUnit(s);
  if (!u) invalidParameter(env, `The time unit '${preview(s)}' is not valid: use one of ${TIME_UNIT_NAMES.join(', ')}.`);
  return u;
}

function zone(args: unknown[], i: number, env: CallEnv): string {
  const s = str(args, i, env);
  const iana = windowsZoneToIana(s);
  if (!iana) invalidParameter(env, `The time zone '${preview(s)}' is not known: use a Windows time zone name such as ${WINDOWS_ZONE_EXAMPLES.map((z) => `'${z}'`).join(', ')}.`);
  return iana;
}

function now(env: CallEnv): AdfDateTime {
  const d = env.ctx.now ? env.ctx.now() : new Date();
  return fromDate(d);
}

function random(env: CallEnv): number {
  if (env.ctx.random) {
    const r = env.ctx.random();
    return Math.min(Math.max(r, 0), 1 - Number.EPSILON);
  }
  return randomBytes(4).readUInt32BE(0) / 0x100000000;
}

function utf8ToBase64(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64');
}

function base64ToUtf8(s: string, env: CallEnv): string {
  const clean = s.trim();
  if (!/^[A-Za-z0-9+/\-_]*={0,2}$/.test(clean) || clean.replace(/=+$/, '').length % 4 === 1) {
    invalidParameter(env, `The value '${preview(s)}' is not a valid base64 string.`);
  }
  return Buffer.from(clean, 'base64').toString('utf8');
}

/** What ADF returns for binary content. */
function binaryContent(bytes: Buffer, contentType = 'application/octet-stream'): Record<string, unknown> {
  return { '$content-type': contentType, $content: bytes.toString('base64') };
}

function parseDataUri(s: string, env: CallEnv): { contentType: string; bytes: Buffer } {
  const m = /^data:([^,]*?),(.*)$/s.exec(s);
  if (!m) invalidParameter(env, `The value '${preview(s)}' is not a data URI: it must look like 'data:text/plain;charset=utf-8;base64,aGVsbG8='.`);
  const meta = m[1].split(';');
  const isBase64 = meta[meta.length - 1].toLowerCase() === 'base64';
  const contentType = meta.filter((p) => p.toLowerCase() !== 'base64').join(';') || 'text/plain;charset=US-ASCII';
  let bytes: Buffer;
  if (isBase64) bytes = Buffer.from(m[2], 'base64');
  else {
    try {
      bytes = Buffer.from(decodeURIComponent(m[2]), 'utf8');
    } catch {
      invalidParameter(env, `The data URI '${preview(s)}' has invalid percent-escapes.`);
    }
  }
  return { contentType, bytes };
}

/** .NET Uri.EscapeDataString: encodeURIComponent plus the reserved characters it leaves alone. */
function escapeDataString(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function unescapeDataString(s: string, env: CallEnv): string {
  try {
    return decodeURIComponent(s);
  } catch {
    invalidParameter(env, `The value '${preview(s)}' has invalid percent-escapes.`);
  }
}

function toInteger(v: unknown, env: CallEnv): number {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) invalidParameter(env, 'The value cannot be converted to the target type.');
    return Number.isInteger(v) ? v : roundHalfEven(v);
  }
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v)) {
    const n = Number(v.trim());
    if (Number.isSafeInteger(n)) return n;
  }
  invalidParameter(env, `The value ${typeof v === 'string' ? `'${preview(v)}' ` : ''}cannot be converted to the target type.`);
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function toFloat(v: unknown, env: CallEnv): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(v)) return Number(v.trim());
  invalidParameter(env, `The value ${typeof v === 'string' ? `'${preview(v)}' ` : ''}cannot be converted to the target type.`);
}

function toBool(v: unknown, env: CallEnv): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') {
    const t = v.trim().toLowerCase();
    if (t === 'true') return true;
    if (t === 'false') return false;
  }
  invalidParameter(env, `The value ${typeof v === 'string' ? `'${preview(v)}' ` : ''}cannot be converted to a boolean: use true, false, 'true', 'false' or a number.`);
}

function collectionLength(v: unknown, i: number, env: CallEnv): number {
  if (typeof v === 'string' || Array.isArray(v)) return v.length;
  if (isPlainObject(v)) return Object.keys(v).length;
  typeError(env, i, 'an array or a string', v);
}

function compare(args: unknown[], env: CallEnv): number {
  const [a, b] = args;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  env.fail(`The template language function '${env.name}' expects two parameters of matching types: both numbers or both strings. The provided values are of types '${typeName(a)}' and '${typeName(b)}'.`);
}

function arithmetic(args: unknown[], env: CallEnv, op: (a: number, b: number) => number): number {
  const a = num(args, 0, env);
  const b = num(args, 1, env);
  return op(a, b);
}

function numbersOf(args: unknown[], env: CallEnv): number[] {
  const list = args.length === 1 && Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
  if (list.length === 0) invalidParameter(env, 'It needs at least one number.');
  return list.map((v, i) => {
    if (typeof v !== 'number') typeError(env, args.length === 1 ? 0 : i, 'a number or an array of numbers', v);
    return v;
  });
}

function setOperation(args: unknown[], env: CallEnv, mode: 'union' | 'intersection'): unknown {
  if (args.every(Array.isArray)) {
    const lists = args as unknown[][];
    const out: unknown[] = [];
    const push = (v: unknown): void => {
      if (!out.some((o) => deepEquals(o, v))) out.push(v);
    };
    if (mode === 'union') for (const l of lists) for (const v of l) push(v);
    else for (const v of lists[0]) if (lists.every((l) => l.some((o) => deepEquals(o, v)))) push(v);
    return out;
  }
  if (args.every(isPlainObject)) {
    const objs = args as Record<string, unknown>[];
    const out: Record<string, unknown> = {};
    if (mode === 'union') {
      for (const o of objs) Object.assign(out, o);
    } else {
      for (const k of Object.keys(objs[0])) {
        if (objs.every((o) => Object.prototype.hasOwnProperty.call(o, k) && deepEquals(o[k], objs[0][k]))) out[k] = objs[objs.length - 1][k];
      }
    }
    return out;
  }
  env.fail(`The template language function '${env.name}' expects parameters that are all arrays or all objects. The provided values are of types ${args.map((a) => `'${typeName(a)}'`).join(', ')}.`);
}

function guid(format: string | undefined, env: CallEnv): string {
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 16; i++) bytes[i] = Math.floor(random(env) * 256);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  const d = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  switch ((format ?? 'D').toUpperCase()) {
    case 'N':
      return hex;
    case 'D':
      return d;
    case 'B':
      return `{${d}}`;
    case 'P':
      return `(${d})`;
    case 'X': {
      const rest = Array.from({ length: 8 }, (_, i) => `0x${hex.slice(16 + i * 2, 18 + i * 2)}`).join(',');
      return `{0x${hex.slice(0, 8)},0x${hex.slice(8, 12)},0x${hex.slice(12, 16)},{${rest}}}`;
    }
    default:
      invalidParameter(env, `The GUID format '${preview(format)}' is not valid: use 'N', 'D', 'B', 'P' or 'X'.`);
  }
}

/** Largest array `range()` builds; ADF caps it too, and it keeps the sandbox's memory bounded. */
export const MAX_RANGE_COUNT = 100000;

function contextValue(env: CallEnv, key: 'dataset' | 'linkedService' | 'trigger' | 'triggerBody' | 'triggerOutputs', where: string): unknown {
  if (!(key in env.ctx) || env.ctx[key] === undefined) env.fail(`The function '${env.name}()' cannot be used here: it is only available ${where}.`);
  return env.ctx[key];
}

export const FUNCTION_IMPLEMENTATIONS: Record<string, FunctionImpl> = {
  // ---- String functions
  concat: (args) => args.map(stringify).join(''),
  endsWith: (args, env) => str(args, 0, env).toLowerCase().endsWith(str(args, 1, env).toLowerCase()),
  startsWith: (args, env) => str(args, 0, env).toLowerCase().startsWith(str(args, 1, env).toLowerCase()),
  guid: (args, env) => guid(optStr(args, 0, env), env),
  indexOf: (args, env) => str(args, 0, env).toLowerCase().indexOf(str(args, 1, env).toLowerCase()),
  lastIndexOf: (args, env) => {
    const text = str(args, 0, env).toLowerCase();
    const search = str(args, 1, env).toLowerCase();
    return search === '' ? Math.max(0, text.length - 1) : text.lastIndexOf(search);
  },
  replace: (args, env) => {
    const text = str(args, 0, env);
    const oldText = str(args, 1, env);
    const newText = str(args, 2, env);
    if (oldText === '') invalidParameter(env, 'The text to replace (second parameter) cannot be empty.');
    return text.split(oldText).join(newText);
  },
  split: (args, env) => {
    const text = str(args, 0, env);
    const delimiter = str(args, 1, env);
    return delimiter === '' ? [text] : text.split(delimiter);
  },
  substring: (args, env) => {
    const text = str(args, 0, env);
    const start = int(args, 1, env);
    const length = args.length > 2 ? int(args, 2, env) : text.length - start;
    if (start < 0 || start > text.length) {
      invalidParameter(env, `The start index ${start} must be between 0 and the length of the string (${text.length}).`);
    }
    if (length < 0 || start + length > text.length) {
      invalidParameter(env, `The start index ${start} plus the length ${length} must not be negative or exceed the length of the string (${text.length}).`);
    }
    return text.substr(start, length);
  },
  toLower: (args, env) => str(args, 0, env).toLowerCase(),
  toUpper: (args, env) => str(args, 0, env).toUpperCase(),
  trim: (args, env) => str(args, 0, env).trim(),

  // ---- Collection functions
  contains: (args, env) => {
    const [c, v] = args;
    if (typeof c === 'string') {
      if (typeof v !== 'string') typeError(env, 1, 'of type string when the first is a string', v);
      return c.includes(v);
    }
    if (Array.isArray(c)) return c.some((x) => deepEquals(x, v));
    if (isPlainObject(c)) {
      if (typeof v !== 'string') typeError(env, 1, 'a key (string) when the first is an object', v);
      return Object.prototype.hasOwnProperty.call(c, v);
    }
    typeError(env, 0, 'a string, an array or an object', c);
  },
  empty: (args, env) => {
    const v = args[0];
    if (v === null || v === undefined) return true;
    return collectionLength(v, 0, env) === 0;
  },
  first: (args, env) => {
    const v = args[0];
    if (v === null || v === undefined) return null;
    if (typeof v === 'string' || Array.isArray(v)) return v.length ? v[0] : null;
    typeError(env, 0, 'an array or a string', v);
  },
  last: (args, env) => {
    const v = args[0];
    if (v === null || v === undefined) return null;
    if (typeof v === 'string' || Array.isArray(v)) return v.length ? v[v.length - 1] : null;
    typeError(env, 0, 'an array or a string', v);
  },
  intersection: (args, env) => setOperation(args, env, 'intersection'),
  union: (args, env) => setOperation(args, env, 'union'),
  join: (args, env) => {
    const a = arr(args, 0, env);
    const d = str(args, 1, env);
    return a.map(stringify).join(d);
  },
  length: (args, env) => {
    const v = args[0];
    if (typeof v === 'string' || Array.isArray(v)) return v.length;
    typeError(env, 0, 'an array or a string', v);
  },
  skip: (args, env) => {
    const v = args[0];
    const n = int(args, 1, env);
    if (n < 0) invalidParameter(env, `The count ${n} must not be negative.`);
    if (typeof v === 'string' || Array.isArray(v)) return v.slice(n);
    typeError(env, 0, 'an array or a string', v);
  },
  take: (args, env) => {
    const v = args[0];
    const n = int(args, 1, env);
    if (n < 0) invalidParameter(env, `The count ${n} must not be negative.`);
    if (typeof v === 'string' || Array.isArray(v)) return v.slice(0, n);
    typeError(env, 0, 'an array or a string', v);
  },

  // ---- Logical functions (if/and/or are lazy, see evaluate.ts)
  equals: (args) => deepEquals(args[0], args[1]),
  greater: (args, env) => compare(args, env) > 0,
  greaterOrEquals: (args, env) => compare(args, env) >= 0,
  less: (args, env) => compare(args, env) < 0,
  lessOrEquals: (args, env) => compare(args, env) <= 0,
  not: (args, env) => !bool(args, 0, env),

  // ---- Conversion functions
  array: (args) => [args[0]],
  createArray: (args) => [...args],
  base64: (args) => utf8ToBase64(stringify(args[0])),
  base64ToString: (args, env) => base64ToUtf8(str(args, 0, env), env),
  decodeBase64: (args, env) => base64ToUtf8(str(args, 0, env), env),
  base64ToBinary: (args, env) => binaryContent(Buffer.from(base64ToUtf8(str(args, 0, env), env), 'utf8')),
  binary: (args) => binaryContent(Buffer.from(stringify(args[0]), 'utf8')),
  bool: (args, env) => toBool(args[0], env),
  coalesce: (args) => {
    for (const a of args) if (a !== null && a !== undefined) return a;
    return null;
  },
  dataUri: (args) => `data:text/plain;charset=utf-8;base64,${utf8ToBase64(stringify(args[0]))}`,
  dataUriToString: (args, env) => parseDataUri(str(args, 0, env), env).bytes.toString('utf8'),
  dataUriToBinary: (args, env) => {
    const d = parseDataUri(str(args, 0, env), env);
    return binaryContent(d.bytes, d.contentType);
  },
  decodeDataUri: (args, env) => {
    const d = parseDataUri(str(args, 0, env), env);
    return binaryContent(d.bytes, d.contentType);
  },
  uriComponent: (args) => escapeDataString(stringify(args[0])),
  encodeUriComponent: (args) => escapeDataString(stringify(args[0])),
  uriComponentToString: (args, env) => unescapeDataString(str(args, 0, env), env),
  decodeUriComponent: (args, env) => unescapeDataString(str(args, 0, env), env),
  uriComponentToBinary: (args, env) => binaryContent(Buffer.from(unescapeDataString(str(args, 0, env), env), 'utf8')),
  float: (args, env) => toFloat(args[0], env),
  int: (args, env) => toInteger(args[0], env),
  json: (args, env) => {
    const v = args[0];
    if (v === null || v === undefined) return {};
    if (typeof v !== 'string') return JSON.parse(JSON.stringify(v));
    try {
      return JSON.parse(v);
    } catch (e) {
      if (/^\s*</.test(v)) env.fail("The function 'json' was given XML; converting XML is not supported by the sandbox. Pass a JSON string instead.");
      invalidParameter(env, `The provided value '${preview(v)}' cannot be parsed as JSON: ${(e as Error).message}.`);
    }
  },
  string: (args) => stringify(args[0]),
  xml: (_args, env) => env.fail("The function 'xml' is not supported by the sandbox: XML conversion is not emulated. Use json() and string() with JSON values instead."),
  xpath: (_args, env) => env.fail("The function 'xpath' is not supported by the sandbox: XML is not emulated."),

  // ---- Math functions
  add: (args, env) => arithmetic(args, env, (a, b) => a + b),
  sub: (args, env) => arithmetic(args, env, (a, b) => a - b),
  mul: (args, env) => arithmetic(args, env, (a, b) => a * b),
  div: (args, env) =>
    arithmetic(args, env, (a, b) => {
      if (b === 0) env.fail(`The function 'div' cannot divide by zero: the divisor (second parameter) is 0.`);
      return Number.isInteger(a) && Number.isInteger(b) ? Math.trunc(a / b) : a / b;
    }),
  mod: (args, env) =>
    arithmetic(args, env, (a, b) => {
      if (b === 0) env.fail(`The function 'mod' cannot divide by zero: the divisor (second parameter) is 0.`);
      return a % b;
    }),
  max: (args, env) => Math.max(...numbersOf(args, env)),
  min: (args, env) => Math.min(...numbersOf(args, env)),
  range: (args, env) => {
    const start = int(args, 0, env);
    const count = int(args, 1, env);
    if (count < 0) invalidParameter(env, `The count ${count} must not be negative.`);
    if (count > MAX_RANGE_COUNT) invalidParameter(env, `The count ${count} is larger than the maximum of ${MAX_RANGE_COUNT}.`);
    return Array.from({ length: count }, (_, i) => start + i);
  },
  rand: (args, env) => {
    const min = int(args, 0, env);
    const max = int(args, 1, env);
    if (min >= max) invalidParameter(env, `The minimum value ${min} must be less than the maximum value ${max}.`);
    return min + Math.floor(random(env) * (max - min));
  },

  // ---- Date functions
  addDays: (args, env) => format(addUnits(timestamp(args, 0, env), int(args, 1, env), 'Day'), optStr(args, 2, env), env),
  addHours: (args, env) => format(addUnits(timestamp(args, 0, env), int(args, 1, env), 'Hour'), optStr(args, 2, env), env),
  addMinutes: (args, env) => format(addUnits(timestamp(args, 0, env), int(args, 1, env), 'Minute'), optStr(args, 2, env), env),
  addSeconds: (args, env) => format(addUnits(timestamp(args, 0, env), int(args, 1, env), 'Second'), optStr(args, 2, env), env),
  addToTime: (args, env) => format(addUnits(timestamp(args, 0, env), int(args, 1, env), timeUnit(args, 2, env)), optStr(args, 3, env), env),
  subtractFromTime: (args, env) => format(addUnits(timestamp(args, 0, env), -int(args, 1, env), timeUnit(args, 2, env)), optStr(args, 3, env), env),
  getFutureTime: (args, env) => format(addUnits(now(env), int(args, 0, env), timeUnit(args, 1, env)), optStr(args, 2, env), env),
  getPastTime: (args, env) => format(addUnits(now(env), -int(args, 0, env), timeUnit(args, 1, env)), optStr(args, 2, env), env),
  convertFromUtc: (args, env) => format(utcToZone(timestamp(args, 0, env), zone(args, 1, env)), optStr(args, 2, env), env),
  convertToUtc: (args, env) => format(zoneToUtc(timestamp(args, 0, env), zone(args, 1, env)), optStr(args, 2, env), env),
  convertTimeZone: (args, env) => {
    const utc = zoneToUtc(timestamp(args, 0, env), zone(args, 1, env));
    return format(utcToZone(utc, zone(args, 2, env)), optStr(args, 3, env), env);
  },
  dayOfMonth: (args, env) => dayOfMonth(timestamp(args, 0, env)),
  dayOfWeek: (args, env) => dayOfWeek(timestamp(args, 0, env)),
  dayOfYear: (args, env) => dayOfYear(timestamp(args, 0, env)),
  formatDateTime: (args, env) => format(timestamp(args, 0, env), optStr(args, 1, env), env),
  startOfDay: (args, env) => format(startOf(timestamp(args, 0, env), 'Day'), optStr(args, 1, env), env),
  startOfHour: (args, env) => format(startOf(timestamp(args, 0, env), 'Hour'), optStr(args, 1, env), env),
  startOfMonth: (args, env) => format(startOf(timestamp(args, 0, env), 'Month'), optStr(args, 1, env), env),
  ticks: (args, env) => ticks(timestamp(args, 0, env)),
  utcNow: (args, env) => format(now(env), optStr(args, 0, env), env),

  // ---- Context functions
  pipeline: (_args, env) => {
    const p = env.ctx.pipeline ?? {};
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(p)) if (v !== undefined) out[k] = v;
    out.parameters = p.parameters ?? {};
    out.globalParameters = p.globalParameters ?? {};
    return out;
  },
  activity: (args, env) => {
    const name = str(args, 0, env);
    const output = env.ctx.activityOutputs?.(name);
    const error = env.ctx.activityErrors?.(name);
    if (output === undefined && error === undefined) {
      env.fail(`The output of activity '${name}' can't be referenced since it is either not an ancestor to the current activity or does not exist (or has not run yet).`);
    }
    const result: Record<string, unknown> = { output: output === undefined ? null : output };
    if (error !== undefined) result.error = error;
    return result;
  },
  variables: (args, env) => {
    const name = str(args, 0, env);
    const vars = env.ctx.variables ?? {};
    const found = getProperty(vars, name);
    if (!found.found) {
      const known = Object.keys(vars);
      env.fail(`The variable '${name}' is not declared in the pipeline${known.length ? `; declared variables are: ${known.join(', ')}` : ''}. Declare it under the pipeline's "variables".`);
    }
    return found.value === undefined ? null : found.value;
  },
  item: (_args, env) => {
    if (!('item' in env.ctx)) env.fail("The function 'item()' can only be used inside a ForEach (or Filter) activity, where it is the current element.");
    return env.ctx.item === undefined ? null : env.ctx.item;
  },
  dataset: (_args, env) => contextValue(env, 'dataset', 'in dataset properties'),
  linkedService: (_args, env) => contextValue(env, 'linkedService', 'in linked service properties'),
  trigger: (_args, env) => contextValue(env, 'trigger', 'in trigger definitions and runs started by a trigger'),
  triggerBody: (_args, env) => contextValue(env, 'triggerBody', 'in trigger definitions'),
  triggerOutputs: (_args, env) => contextValue(env, 'triggerOutputs', 'in trigger definitions'),
};
