/**
 * How a state fails in the interpreter: a Step Functions error name and cause, and whether Retry
 * and Catch may handle it. `States.Runtime` (a path that selects nothing, a bad ResultPath, a
 * sandbox limitation) is neither retried nor caught, as in AWS.
 */
export class StatesFailure extends Error {
  constructor(
    readonly error: string,
    readonly causeText: string,
    /** False for States.Runtime and the sandbox's own stops: they end the execution. */
    readonly handleable = true,
  ) {
    super(causeText);
    this.name = error;
  }
}

/** A States.Runtime failure: ends the execution; Retry and Catch (even States.ALL) do not apply. */
export function runtimeFailure(cause: string): StatesFailure {
  return new StatesFailure('States.Runtime', cause, false);
}

/** States.QueryEvaluationError: a JSONata expression failed or returned an unusable value (catchable). */
export class QueryEvaluationFailure extends StatesFailure {
  constructor(
    cause: string,
    /** Where in the state the expression sits (e.g. "Arguments", "Assign/total"), for EvaluationFailed. */
    readonly location: string,
  ) {
    super('States.QueryEvaluationError', cause);
  }
}
