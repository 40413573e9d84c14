/**
 * The one place the sandbox evaluates ADF expressions. The parser/evaluator and its function
 * library live in src/core/adf/expression; this file only maps the run's state (pipeline(),
 * variables(), activity(), item(), the clock) onto that evaluator's context.
 */
import { evaluateAdfString, evaluateAdfValue, ExpressionEvaluationError, type AdfEvalContext } from '../../core/adf/expression/evaluate';

/** What expressions in one activity can see. */
export interface EvaluationScope {
  /** The object `pipeline()` returns: DataFactory, Pipeline, RunId, Trigger*, parameters, globalParameters… */
  pipeline: Record<string, unknown>;
  /** Current values of the pipeline's variables (live: SetVariable writes here). */
  variables: Map<string, unknown>;
  /** `activity('name')`: { output, error } of an activity that already ran, else undefined. */
  activity(name: string): { output: unknown; error: unknown } | undefined;
  /** The current ForEach/Filter item, when inside one. */
  item?: { value: unknown };
  /** The sandbox clock (utcNow() and friends). */
  now?: () => Date;
}

/** An expression that did not parse or could not be evaluated; ADF reports these as InvalidTemplate. */
export class ExpressionFailure extends Error {
  constructor(
    readonly expression: string,
    message: string,
  ) {
    super(message);
  }
}

function toContext(scope: EvaluationScope): AdfEvalContext {
  const ctx: AdfEvalContext = {
    pipeline: scope.pipeline,
    variables: Object.fromEntries(scope.variables),
    activityOutputs: (name) => scope.activity(name)?.output,
    activityErrors: (name) => {
      const e = scope.activity(name)?.error;
      return e === null ? undefined : e;
    },
    now: scope.now,
  };
  if (scope.item) ctx.item = scope.item.value;
  return ctx;
}

function rethrow(e: unknown, fallbackSource: string): never {
  if (e instanceof ExpressionEvaluationError) throw new ExpressionFailure(e.source ?? fallbackSource, e.message);
  throw e;
}

/** Evaluates one JSON string value as ADF reads it (`@expr`, `@{…}` interpolation, `@@` escape, or literal). */
export function evaluateString(text: string, scope: EvaluationScope): unknown {
  try {
    return evaluateAdfString(text, toContext(scope));
  } catch (e) {
    rethrow(e, text);
  }
}

/**
 * Evaluates every expression inside a JSON value: strings and the
 * `{ "value": "@…", "type": "Expression" }` wrapper ADF writes for expression-typed properties.
 */
export function evaluateDeep(value: unknown, scope: EvaluationScope): unknown {
  try {
    return evaluateAdfValue(value, toContext(scope));
  } catch (e) {
    rethrow(e, typeof value === 'string' ? value : JSON.stringify(value));
  }
}
