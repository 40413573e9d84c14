/**
 * Choice rules of JSONPath states: `Variable` with a comparison operator (and its `…Path` form),
 * `IsNull`/`IsPresent`/`Is<Type>`, `StringMatches`, and the `And`/`Or`/`Not` combinators.
 */
import { runtimeFailure } from './failure';
import { readPath, type PathData } from './jsonpath';

type Rule = Record<string, unknown>;

const COMPARISONS = ['StringEquals', 'StringLessThan', 'StringGreaterThan', 'StringLessThanEquals', 'StringGreaterThanEquals', 'NumericEquals', 'NumericLessThan', 'NumericGreaterThan', 'NumericLessThanEquals', 'NumericGreaterThanEquals', 'BooleanEquals', 'TimestampEquals', 'TimestampLessThan', 'TimestampGreaterThan', 'TimestampLessThanEquals', 'TimestampGreaterThanEquals'];

function isTimestamp(v: unknown): v is string {
  return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v));
}

/** StringMatches: `*` matches any run of characters; `\*` and `\\` are literal. */
function wildcardMatch(value: string, pattern: string): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) re += pattern[++i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (c === '*') re += '[\\s\\S]*';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`).test(value);
}

function compare(op: string, a: unknown, b: unknown): boolean {
  const kind = op.startsWith('String') ? 'string' : op.startsWith('Numeric') ? 'number' : op.startsWith('Boolean') ? 'boolean' : 'timestamp';
  if (kind === 'timestamp') {
    if (!isTimestamp(a) || !isTimestamp(b)) return false;
    a = Date.parse(a);
    b = Date.parse(b);
  } else if (typeof a !== kind || typeof b !== kind) return false;
  const x = a as number | string | boolean;
  const y = b as number | string | boolean;
  if (op.endsWith('LessThanEquals')) return x <= y;
  if (op.endsWith('GreaterThanEquals')) return x >= y;
  if (op.endsWith('LessThan')) return x < y;
  if (op.endsWith('GreaterThan')) return x > y;
  return x === y;
}

/** Whether `rule` holds for the state's (effective) input. */
export function choiceRuleMatches(rule: Rule, data: PathData): boolean {
  if (Array.isArray(rule.And)) return rule.And.every((r) => choiceRuleMatches(r as Rule, data));
  if (Array.isArray(rule.Or)) return rule.Or.some((r) => choiceRuleMatches(r as Rule, data));
  if (rule.Not && typeof rule.Not === 'object') return !choiceRuleMatches(rule.Not as Rule, data);
  const variablePath = String(rule.Variable);
  let present = true;
  let value: unknown;
  try {
    value = readPath(variablePath, data, 'Variable');
  } catch {
    present = false;
  }
  if ('IsPresent' in rule) return present === rule.IsPresent;
  if (!present) throw runtimeFailure(`Invalid path '${variablePath}': the choice state's Variable selects nothing in the input.`);
  if ('IsNull' in rule) return (value === null) === rule.IsNull;
  if ('IsString' in rule) return (typeof value === 'string') === rule.IsString;
  if ('IsNumeric' in rule) return (typeof value === 'number') === rule.IsNumeric;
  if ('IsBoolean' in rule) return (typeof value === 'boolean') === rule.IsBoolean;
  if ('IsTimestamp' in rule) return isTimestamp(value) === rule.IsTimestamp;
  if ('StringMatches' in rule) return typeof value === 'string' && wildcardMatch(value, String(rule.StringMatches));
  for (const op of COMPARISONS) {
    if (op in rule) return compare(op, value, rule[op]);
    if (`${op}Path` in rule) return compare(op, value, readPath(String(rule[`${op}Path`]), data, `${op}Path`));
  }
  throw runtimeFailure(`The choice rule on '${variablePath}' has no comparison operator the Amazon States Language defines.`);
}
