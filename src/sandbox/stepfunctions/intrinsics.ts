/**
 * The intrinsic functions of JSONPath states (`"key.$": "States.Format('{}', $.name)"`), as the
 * Amazon States Language defines them. Arguments are string literals ('...', with \' \{ \} \\
 * escapes), numbers, booleans, null, paths (`$.a`, `$$.Execution.Id`, `$variable`) and nested calls.
 * A failure is States.IntrinsicFailure (catchable), as in AWS.
 */
import { createHash, randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { StatesFailure } from './failure';

/** Reads a path argument (`$...`); supplied by the JSONPath evaluator. */
export type PathReader = (path: string) => unknown;

function fail(cause: string): StatesFailure {
  return new StatesFailure('States.IntrinsicFailure', cause);
}

export function isIntrinsicCall(text: string): boolean {
  return /^States\.[A-Za-z0-9]+\s*\(/.test(text.trim());
}

/** A deterministic generator for MathRandom's and $random's optional seed (mulberry32). */
export function seededRandom(seed: number): number {
  let t = (Math.trunc(seed) + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

export const HASH_ALGORITHMS: Record<string, string> = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

class Parser {
  pos = 0;
  constructor(
    readonly text: string,
    readonly readPath: PathReader,
  ) {}

  private skip(): void {
    while (/\s/.test(this.text[this.pos] ?? '')) this.pos++;
  }

  call(): unknown {
    this.skip();
    const m = /^States\.([A-Za-z0-9]+)\s*\(/.exec(this.text.slice(this.pos));
    if (!m) throw fail(`"${this.text}" is not a valid intrinsic function call (near "${this.text.slice(this.pos)}").`);
    this.pos += m[0].length;
    const args: unknown[] = [];
    this.skip();
    if (this.text[this.pos] === ')') this.pos++;
    else {
      for (;;) {
        args.push(this.arg());
        this.skip();
        const c = this.text[this.pos++];
        if (c === ')') break;
        if (c !== ',') throw fail(`Intrinsic function ${m[1]}: expected "," or ")" in "${this.text}".`);
      }
    }
    return invoke(`States.${m[1]}`, args);
  }

  private arg(): unknown {
    this.skip();
    const rest = this.text.slice(this.pos);
    if (rest.startsWith("'")) return this.stringLiteral();
    if (rest.startsWith('States.')) return this.call();
    if (rest.startsWith('$')) return this.readPath(this.pathText());
    const literal = /^(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(rest);
    if (literal) {
      this.pos += literal[0].length;
      return JSON.parse(literal[0]);
    }
    throw fail(`Intrinsic function argument not understood near "${rest}".`);
  }

  private stringLiteral(): string {
    this.pos++;
    let out = '';
    while (this.pos < this.text.length) {
      const c = this.text[this.pos++];
      if (c === '\\') {
        const next = this.text[this.pos++];
        // \{ and \} stay escaped so that States.Format can tell a literal brace from a placeholder.
        out += next === '{' || next === '}' ? `\\${next}` : next;
      } else if (c === "'") return out;
      else out += c;
    }
    throw fail(`Unterminated string literal in "${this.text}".`);
  }

  private pathText(): string {
    const start = this.pos;
    let depth = 0;
    let quote: string | undefined;
    for (; this.pos < this.text.length; this.pos++) {
      const c = this.text[this.pos];
      if (quote) {
        if (c === quote) quote = undefined;
      } else if (c === "'" || c === '"') quote = c;
      else if (c === '[' || c === '(') depth++;
      else if ((c === ']' || c === ')') && depth > 0) depth--;
      else if ((c === ',' || c === ')') && depth === 0) break;
    }
    return this.text.slice(start, this.pos).trim();
  }
}

/** Evaluates one intrinsic function call; `readPath` resolves its path arguments. */
export function evaluateIntrinsic(text: string, readPath: PathReader): unknown {
  const parser = new Parser(text.trim(), readPath);
  const value = parser.call();
  if (parser.pos < parser.text.length) throw fail(`Unexpected text after the intrinsic function call in "${text}".`);
  return value;
}

function unescapeBraces(s: string): string {
  return s.replace(/\\([{}])/g, '$1');
}

function expectArgs(name: string, args: unknown[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    throw fail(`${name} takes ${min === max ? min : `${min} to ${max}`} argument${max === 1 ? '' : 's'}; it was given ${args.length}.`);
  }
}

function expectType<T>(name: string, value: unknown, check: (v: unknown) => v is T, what: string, position: number): T {
  if (!check(value)) throw fail(`${name}: argument ${position} must be ${what}; it is ${JSON.stringify(value) ?? 'undefined'}.`);
  return value;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isInteger = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isArray = (v: unknown): v is unknown[] => Array.isArray(v);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function invoke(name: string, rawArgs: unknown[]): unknown {
  // String literals keep \{ \} only for States.Format's first argument.
  const args = name === 'States.Format' ? rawArgs : rawArgs.map((a) => (typeof a === 'string' ? unescapeBraces(a) : a));
  switch (name) {
    case 'States.Format': {
      if (args.length < 1) throw fail('States.Format takes a template string and its values.');
      const template = expectType(name, args[0], isString, 'a string', 1);
      const values = args.slice(1).map((a) => (typeof a === 'string' ? unescapeBraces(a) : a));
      let next = 0;
      const out = template.replace(/\\\{|\\\}|\{\}/g, (token) => {
        if (token !== '{}') return token.slice(1);
        if (next >= values.length) throw fail(`States.Format: the template has more {} placeholders than the ${values.length} values given.`);
        const v = values[next++];
        if (typeof v === 'object' && v !== null) throw fail('States.Format: values must be strings, numbers, booleans or null.');
        return String(v);
      });
      if (next !== values.length) throw fail(`States.Format: ${values.length} values were given for ${next} {} placeholders.`);
      return out;
    }
    case 'States.StringToJson': {
      expectArgs(name, args, 1);
      const text = expectType(name, args[0], isString, 'a string', 1);
      try {
        return JSON.parse(text);
      } catch {
        throw fail(`States.StringToJson: "${text}" is not JSON text.`);
      }
    }
    case 'States.JsonToString':
      expectArgs(name, args, 1);
      return JSON.stringify(args[0]);
    case 'States.Array':
      return args;
    case 'States.ArrayPartition': {
      expectArgs(name, args, 2);
      const array = expectType(name, args[0], isArray, 'an array', 1);
      const size = expectType(name, args[1], isInteger, 'a positive integer', 2);
      if (size <= 0) throw fail('States.ArrayPartition: the chunk size must be a positive integer.');
      const out: unknown[][] = [];
      for (let i = 0; i < array.length; i += size) out.push(array.slice(i, i + size));
      return out;
    }
    case 'States.ArrayContains': {
      expectArgs(name, args, 2);
      const array = expectType(name, args[0], isArray, 'an array', 1);
      return array.some((v) => isDeepStrictEqual(v, args[1]));
    }
    case 'States.ArrayRange': {
      expectArgs(name, args, 3);
      const [start, end, step] = [1, 2, 3].map((p) => expectType(name, args[p - 1], isInteger, 'an integer', p));
      if (step === 0) throw fail('States.ArrayRange: the step must not be 0.');
      const out: number[] = [];
      for (let v = start; step > 0 ? v <= end : v >= end; v += step) {
        out.push(v);
        if (out.length > 1000) throw fail('States.ArrayRange: the array would have more than 1000 items.');
      }
      return out;
    }
    case 'States.ArrayGetItem': {
      expectArgs(name, args, 2);
      const array = expectType(name, args[0], isArray, 'an array', 1);
      const index = expectType(name, args[1], isInteger, 'an integer index', 2);
      if (index < 0 || index >= array.length) throw fail(`States.ArrayGetItem: index ${index} is out of bounds (the array has ${array.length} items).`);
      return array[index];
    }
    case 'States.ArrayLength':
      expectArgs(name, args, 1);
      return expectType(name, args[0], isArray, 'an array', 1).length;
    case 'States.ArrayUnique': {
      expectArgs(name, args, 1);
      const out: unknown[] = [];
      for (const v of expectType(name, args[0], isArray, 'an array', 1)) if (!out.some((o) => isDeepStrictEqual(o, v))) out.push(v);
      return out;
    }
    case 'States.Base64Encode':
      expectArgs(name, args, 1);
      return Buffer.from(expectType(name, args[0], isString, 'a string', 1), 'utf8').toString('base64');
    case 'States.Base64Decode':
      expectArgs(name, args, 1);
      return Buffer.from(expectType(name, args[0], isString, 'a string', 1), 'base64').toString('utf8');
    case 'States.Hash': {
      expectArgs(name, args, 2);
      const algorithm = HASH_ALGORITHMS[String(args[1])];
      if (!algorithm) throw fail(`States.Hash: the algorithm must be one of ${Object.keys(HASH_ALGORITHMS).join(', ')}; it is ${JSON.stringify(args[1])}.`);
      const data = typeof args[0] === 'string' ? args[0] : JSON.stringify(args[0]);
      return createHash(algorithm).update(data, 'utf8').digest('hex');
    }
    case 'States.JsonMerge': {
      expectArgs(name, args, 3);
      const a = expectType(name, args[0], isObject, 'an object', 1);
      const b = expectType(name, args[1], isObject, 'an object', 2);
      if (args[2] !== false) throw fail('States.JsonMerge: only shallow merges are supported (the third argument must be false).');
      return { ...a, ...b };
    }
    case 'States.MathRandom': {
      expectArgs(name, args, 2, 3);
      const start = expectType(name, args[0], isInteger, 'an integer', 1);
      const end = expectType(name, args[1], isInteger, 'an integer', 2);
      const r = args.length === 3 ? seededRandom(expectType(name, args[2], isInteger, 'an integer seed', 3)) : Math.random();
      return start + Math.floor(r * (end - start));
    }
    case 'States.MathAdd': {
      expectArgs(name, args, 2);
      // AWS adds integers: a fractional argument is truncated (MathAdd(59, 4.3) is 63).
      return Math.trunc(expectType(name, args[0], isNumber, 'a number', 1)) + Math.trunc(expectType(name, args[1], isNumber, 'a number', 2));
    }
    case 'States.StringSplit': {
      expectArgs(name, args, 2);
      const text = expectType(name, args[0], isString, 'a string', 1);
      const delimiters = expectType(name, args[1], isString, 'a string', 2);
      if (delimiters === '') return [text];
      const escaped = [...delimiters].map((c) => c.replace(/[\\^$.*+?()[\]{}|-]/g, '\\$&')).join('');
      return text.split(new RegExp(`[${escaped}]`)).filter((s) => s !== '');
    }
    case 'States.UUID':
      expectArgs(name, args, 0);
      return randomUUID();
    default:
      throw fail(`${name} is not an intrinsic function of the Amazon States Language.`);
  }
}
