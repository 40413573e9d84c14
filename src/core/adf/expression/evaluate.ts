/**
 * Evaluates ADF expressions and interpolated strings against a run context, as the ADF runtime
 * does for activity inputs: whole `@expr` values keep their type, `@{…}` parts are stringified
 * (objects as JSON, booleans as True/False), `@@` escapes become literals.
 *
 * The only exception that leaves this module is ExpressionEvaluationError.
 */
import type { CallNode, ExprNode, IndexNode, MemberNode, ParsedAdfValue, Span } from './ast';
import { lookupFunction } from './catalog';
import type { AdfEvalContext } from './context';
import { FUNCTION_IMPLEMENTATIONS, type CallEnv } from './functions';
import { parseAdfValue } from './parse';
import { ExpressionEvaluationError, getProperty, isPlainObject, preview, stringify, typeName } from './values';

export type { AdfEvalContext, AdfPipelineContext } from './context';
export { ExpressionEvaluationError } from './values';

/** JSON values nested deeper than this are refused by evaluateAdfValue. */
export const MAX_VALUE_DEPTH = 512;

const PARSE_CACHE_LIMIT = 2000;
const parseCache = new Map<string, ParsedAdfValue>();

function parseCached(value: string): ParsedAdfValue {
  let parsed = parseCache.get(value);
  if (!parsed) {
    parsed = parseAdfValue(value);
    if (parseCache.size >= PARSE_CACHE_LIMIT) parseCache.clear();
    parseCache.set(value, parsed);
  }
  return parsed;
}

/**
 * Evaluates one JSON string value. Literals come back unchanged (`@@x` as `@x`); whole
 * expressions return their typed result; interpolations return a string.
 * Throws ExpressionEvaluationError (with the range in `value`) when it cannot be evaluated.
 */
export function evaluateAdfString(value: string, ctx: AdfEvalContext): unknown {
  return guard(value, () => evaluateParsed(parseCached(value), ctx, value));
}

/** Evaluates an already parsed value; `source` is the string it was parsed from (for messages). */
export function evaluateParsed(parsed: ParsedAdfValue, ctx: AdfEvalContext, source: string): unknown {
  return guard(source, () => {
    if (parsed.errors.length) {
      const e = parsed.errors[0];
      throw new ExpressionEvaluationError(`The expression '${preview(source, 200)}' is not valid: ${e.message}`, e, source);
    }
    const v = parsed.value;
    if (v.kind === 'literal') return v.text;
    const ev = new Evaluator(ctx, source);
    if (v.kind === 'expression') return ev.evaluate(v.expr!);
    let out = '';
    for (const s of v.segments) out += s.kind === 'text' ? s.text : stringify(ev.evaluate(s.expr!));
    return out;
  });
}

/**
 * Evaluates every expression in a JSON value (activity inputs): strings are evaluated as ADF
 * values, `{ "value": "...", "type": "Expression" }` objects are replaced by their result, other
 * objects and arrays are walked (keys are never evaluated). The input is not modified.
 */
export function evaluateAdfValue(value: unknown, ctx: AdfEvalContext): unknown {
  return walkValue(value, ctx, 0);
}

export type EvaluationResult = { ok: true; value: unknown } | { ok: false; error: ExpressionEvaluationError };

/** evaluateAdfValue without throwing. */
export function tryEvaluateAdfValue(value: unknown, ctx: AdfEvalContext): EvaluationResult {
  try {
    return { ok: true, value: evaluateAdfValue(value, ctx) };
  } catch (e) {
    return { ok: false, error: e instanceof ExpressionEvaluationError ? e : new ExpressionEvaluationError(`The expression could not be evaluated: ${String(e)}`) };
  }
}

/** True for `{ "value": …, "type": "Expression" }` (type compared case-insensitively). */
export function isExpressionValueObject(v: unknown): v is { value: unknown; type: string } {
  return isPlainObject(v) && 'value' in v && typeof v.type === 'string' && v.type.toLowerCase() === 'expression';
}

function walkValue(value: unknown, ctx: AdfEvalContext, depth: number): unknown {
  if (depth > MAX_VALUE_DEPTH) {
    throw new ExpressionEvaluationError(`The value is nested more than ${MAX_VALUE_DEPTH} levels deep and cannot be evaluated.`);
  }
  if (typeof value === 'string') return evaluateAdfString(value, ctx);
  if (Array.isArray(value)) return value.map((v) => walkValue(v, ctx, depth + 1));
  if (isPlainObject(value)) {
    if (isExpressionValueObject(value)) return walkValue(value.value, ctx, depth + 1);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = walkValue(v, ctx, depth + 1);
    return out;
  }
  return value;
}

/** Turns any stray JS exception into an ExpressionEvaluationError. */
function guard<T>(source: string, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof ExpressionEvaluationError) {
      if (e.source === undefined) e.source = source;
      throw e;
    }
    throw new ExpressionEvaluationError(`The expression '${preview(source, 200)}' could not be evaluated: ${e instanceof Error ? e.message : String(e)}`, undefined, source);
  }
}

class Evaluator {
  constructor(
    readonly ctx: AdfEvalContext,
    readonly source: string,
  ) {}

  text(span: Span): string {
    return this.source.slice(span.offset, span.offset + span.length);
  }

  fail(span: Span, message: string): never {
    throw new ExpressionEvaluationError(message, span, this.source);
  }

  cannotEvaluate(node: Span, reason: string): never {
    this.fail(node, `The expression '${this.text(node)}' cannot be evaluated because ${reason}`);
  }

  evaluate(node: ExprNode): unknown {
    // Property/index chains are unwound into a loop so that long chains never recurse.
    const chain: (MemberNode | IndexNode)[] = [];
    let base: ExprNode = node;
    while (base.kind === 'member' || base.kind === 'index') {
      chain.push(base);
      base = base.object;
    }
    let v = this.evaluateBase(base);
    for (let i = chain.length - 1; i >= 0; i--) {
      const link = chain[i];
      v = link.kind === 'member' ? this.select(link, v, link.name) : this.index(link, v);
    }
    return v;
  }

  evaluateBase(node: ExprNode): unknown {
    switch (node.kind) {
      case 'string':
      case 'number':
      case 'boolean':
        return node.value;
      case 'null':
        return null;
      case 'call':
        return this.call(node);
      default:
        return this.evaluate(node);
    }
  }

  select(link: MemberNode | IndexNode, target: unknown, name: string): unknown {
    if (target === null || target === undefined) {
      if (link.nullSafe) return null;
      this.cannotEvaluate(link, `property '${name}' cannot be selected. Property selection is not supported on values of type 'Null'. Use '?.' (or '?[…]') to get null instead.`);
    }
    if (!isPlainObject(target)) {
      this.cannotEvaluate(link, `property '${name}' cannot be selected. Property selection is not supported on values of type '${typeName(target)}'.`);
    }
    const found = getProperty(target, name);
    if (!found.found) {
      if (link.nullSafe) return null;
      const keys = Object.keys(target);
      this.cannotEvaluate(
        link,
        `property '${name}' doesn't exist, available properties are '${keys.join(', ')}'. Use '?.${name}' (or ?['${name}']) to get null when it is missing.`,
      );
    }
    return found.value === undefined ? null : found.value;
  }

  index(link: IndexNode, target: unknown): unknown {
    const key = this.evaluate(link.index);
    if (typeof key === 'string') return this.select(link, target, key);
    if (target === null || target === undefined) {
      if (link.nullSafe) return null;
      this.cannotEvaluate(link, `an index cannot be applied to a value of type 'Null'. Use '?[…]' to get null instead.`);
    }
    if (!Array.isArray(target)) {
      this.cannotEvaluate(link, `a value of type '${typeName(key)}' cannot be used to index a value of type '${typeName(target)}': index arrays with integers and objects with property names.`);
    }
    if (typeof key !== 'number' || !Number.isInteger(key)) {
      this.cannotEvaluate(link, `an array can only be indexed with an integer, not with a value of type '${typeName(key)}'.`);
    }
    if (key < 0 || key >= target.length) {
      if (link.nullSafe) return null;
      this.cannotEvaluate(link, `array index '${key}' is outside bounds (0, ${target.length - 1}) of array.`);
    }
    const v = target[key];
    return v === undefined ? null : v;
  }

  call(node: CallNode): unknown {
    const sig = lookupFunction(node.name);
    if (!sig) this.fail(node.nameSpan, `The template function '${node.name}' is not defined or not valid.`);
    const name = sig.name;
    if (node.args.length < sig.minArgs || node.args.length > sig.maxArgs) {
      this.fail(node, `The function '${name}' was called with ${node.args.length} argument(s); usage: ${sig.usage}.`);
    }
    const env: CallEnv = {
      name,
      ctx: this.ctx,
      fail: (message: string): never => this.fail(node, message),
    };
    switch (name) {
      case 'if': {
        const cond = this.evaluate(node.args[0]);
        if (typeof cond !== 'boolean') {
          this.fail(node.args[0], `The template language function 'if' expects its first parameter to be of type boolean. The provided value is of type '${typeName(cond)}'.`);
        }
        return this.evaluate(node.args[cond ? 1 : 2]);
      }
      case 'and':
      case 'or': {
        // Evaluated left to right and stopped as soon as the result is known.
        for (let i = 0; i < node.args.length; i++) {
          const v = this.evaluate(node.args[i]);
          if (typeof v !== 'boolean') {
            this.fail(node.args[i], `The template language function '${name}' expects all its parameters to be of type boolean. The provided value of parameter ${i + 1} is of type '${typeName(v)}'.`);
          }
          if (name === 'and' && !v) return false;
          if (name === 'or' && v) return true;
        }
        return name === 'and';
      }
      default: {
        // Own entries only: the name is the expression's text, and "constructor" is no ADF function.
        const impl = Object.hasOwn(FUNCTION_IMPLEMENTATIONS, name) ? FUNCTION_IMPLEMENTATIONS[name] : undefined;
        if (!impl) this.fail(node.nameSpan, `The function '${name}' is not supported by the evaluator.`);
        const args = node.args.map((a) => this.evaluate(a));
        return impl(args, env);
      }
    }
  }
}
