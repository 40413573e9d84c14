/**
 * What an ADF string value refers to: pipeline parameters, global parameters, variables,
 * activities, `item()` and the `pipeline()` system variables, each with its range in the decoded
 * string. Lint rules (`expression-error`, `correlation-not-forwarded`) are built on this.
 */
import type { AdfValueNode, CallNode, ExprError, ExprNode, ParsedAdfValue, Span } from './ast';
import { expressionsOf, walkExpr } from './ast';
import { canonicalSystemVariable, PIPELINE_SYSTEM_VARIABLES, type PipelineSystemVariable } from './catalog';
import { isAdfExpressionString, parseAdfValue } from './parse';

export interface NameReference {
  /** The name as written (ADF matches names as declared; compare as your rule requires). */
  name: string;
  /** The name itself: `x` in `.parameters.x`, or the text inside the quotes of `'x'`. */
  nameSpan: Span;
  /** The whole reference: `pipeline().parameters.x`, `variables('x')`, `activity('A')`. */
  span: Span;
}

export interface SystemVariableReference extends NameReference {
  /** The canonical spelling (`RunId` for `runid`). */
  variable: PipelineSystemVariable;
}

export type DynamicReferenceKind = 'parameter' | 'globalParameter' | 'variable' | 'activity';

/** A reference whose name is computed at run time, e.g. `variables(concat('a', 'b'))`. */
export interface DynamicReference {
  kind: DynamicReferenceKind;
  span: Span;
}

export interface ExprReferences {
  parameters: NameReference[];
  globalParameters: NameReference[];
  variables: NameReference[];
  activities: NameReference[];
  /** Every `item()` call. */
  items: Span[];
  systemVariables: SystemVariableReference[];
  dynamic: DynamicReference[];
  /** Every call of a known function, by canonical name (e.g. to spot `utcNow`, `trigger`). */
  calls: { name: string; span: Span }[];
}

export interface AdfStringAnalysis {
  /** True when ADF evaluates something in the value (a whole `@…` expression or an `@{…}` part). */
  isExpression: boolean;
  /** True when the whole value is one expression (`@…`), false for interpolation or a literal. */
  isWholeExpression: boolean;
  parsed: ParsedAdfValue;
  /** Syntax errors, unknown functions, wrong argument counts, unknown `pipeline()` properties. */
  errors: ExprError[];
  references: ExprReferences;
}

export function emptyReferences(): ExprReferences {
  return { parameters: [], globalParameters: [], variables: [], activities: [], items: [], systemVariables: [], dynamic: [], calls: [] };
}

/** Parses an ADF string value and collects its references and problems. Never throws. */
export function analyzeAdfString(value: string): AdfStringAnalysis {
  const parsed = parseAdfValue(value);
  const { references, errors } = collectReferences(parsed.value);
  const all = parsed.errors.concat(errors).sort((a, b) => a.offset - b.offset);
  return {
    isExpression: typeof value === 'string' && isAdfExpressionString(value),
    isWholeExpression: parsed.value.kind === 'expression',
    parsed,
    errors: all,
    references,
  };
}

/** References in a parsed value, plus `unknown-property` errors for `pipeline().X` with an unknown X. */
export function collectReferences(value: AdfValueNode): { references: ExprReferences; errors: ExprError[] } {
  const refs = emptyReferences();
  const errors: ExprError[] = [];
  for (const root of expressionsOf(value)) {
    walkExpr(root, (node) => visit(node, refs, errors));
  }
  const byOffset = (a: { span: Span } | Span, b: { span: Span } | Span): number =>
    ('span' in a ? a.span.offset : a.offset) - ('span' in b ? b.span.offset : b.offset);
  refs.parameters.sort(byOffset);
  refs.globalParameters.sort(byOffset);
  refs.variables.sort(byOffset);
  refs.activities.sort(byOffset);
  refs.items.sort(byOffset);
  refs.systemVariables.sort(byOffset);
  refs.dynamic.sort(byOffset);
  refs.calls.sort(byOffset);
  return { references: refs, errors };
}

function visit(node: ExprNode, refs: ExprReferences, errors: ExprError[]): void {
  if (node.kind === 'call') {
    if (!node.canonicalName) return;
    refs.calls.push({ name: node.canonicalName, span: spanOf(node) });
    switch (node.canonicalName) {
      case 'item':
        refs.items.push(spanOf(node));
        break;
      case 'variables':
        namedArgument(node, 'variable', refs.variables, refs);
        break;
      case 'activity':
        namedArgument(node, 'activity', refs.activities, refs);
        break;
      default:
        break;
    }
    return;
  }
  if (node.kind !== 'member' && node.kind !== 'index') return;

  // pipeline().X
  if (isPipelineCall(node.object)) {
    const key = accessedName(node);
    if (!key) return; // pipeline()[expr]: cannot be checked statically
    const lower = key.name.toLowerCase();
    if (lower === 'parameters' || lower === 'globalparameters') return;
    const variable = canonicalSystemVariable(key.name);
    if (variable) {
      refs.systemVariables.push({ name: key.name, variable, nameSpan: key.span, span: spanOf(node) });
    } else {
      errors.push({
        code: 'unknown-property',
        offset: key.span.offset,
        length: key.span.length,
        message: `pipeline() has no property '${key.name}'. Use pipeline().parameters.NAME for a parameter, pipeline().globalParameters.NAME for a global parameter, or one of the system variables: ${PIPELINE_SYSTEM_VARIABLES.join(', ')}.`,
      });
    }
    return;
  }

  // pipeline().parameters.X / pipeline().globalParameters.X
  const container = pipelineContainer(node.object);
  if (!container) return;
  const key = accessedName(node);
  const list = container === 'parameters' ? refs.parameters : refs.globalParameters;
  if (key) list.push({ name: key.name, nameSpan: key.span, span: spanOf(node) });
  else refs.dynamic.push({ kind: container === 'parameters' ? 'parameter' : 'globalParameter', span: spanOf(node) });
}

function namedArgument(call: CallNode, kind: DynamicReferenceKind, list: NameReference[], refs: ExprReferences): void {
  const arg = call.args[0];
  if (!arg) return; // arity error already reported by the parser
  if (arg.kind === 'string') list.push({ name: arg.value, nameSpan: insideQuotes(arg), span: spanOf(call) });
  else refs.dynamic.push({ kind, span: spanOf(call) });
}

function isPipelineCall(node: ExprNode): boolean {
  return node.kind === 'call' && node.canonicalName === 'pipeline' && node.args.length === 0;
}

/** `parameters` / `globalParameters` when `node` is `pipeline().parameters` (or `pipeline()['parameters']`). */
function pipelineContainer(node: ExprNode): 'parameters' | 'globalParameters' | undefined {
  if ((node.kind !== 'member' && node.kind !== 'index') || !isPipelineCall(node.object)) return undefined;
  const key = accessedName(node);
  const lower = key?.name.toLowerCase();
  if (lower === 'parameters') return 'parameters';
  if (lower === 'globalparameters') return 'globalParameters';
  return undefined;
}

/** The statically known property name of `.name` or `['name']`. */
function accessedName(node: ExprNode): { name: string; span: Span } | undefined {
  if (node.kind === 'member') return { name: node.name, span: node.nameSpan };
  if (node.kind === 'index' && node.index.kind === 'string') return { name: node.index.value, span: insideQuotes(node.index) };
  return undefined;
}

function insideQuotes(literal: Span): Span {
  return { offset: literal.offset + 1, length: Math.max(0, literal.length - 2) };
}

function spanOf(node: Span): Span {
  return { offset: node.offset, length: node.length };
}
