/**
 * Errors of the emulated Step Functions API, in the shape AWS sends them (AWS JSON 1.0:
 * `{"__type": code, "message": text}`), so `@aws-sdk/client-sfn` maps each code to its typed
 * exception (StateMachineDoesNotExist, ExecutionAlreadyExists, InvalidName, ...).
 */
import { AwsJsonError } from '../aws-json';

export type SfnErrorCode =
  | 'StateMachineDoesNotExist'
  | 'ExecutionDoesNotExist'
  | 'ExecutionAlreadyExists'
  | 'ExecutionNotRedrivable'
  | 'InvalidName'
  | 'InvalidArn'
  | 'InvalidExecutionInput'
  | 'InvalidToken'
  | 'ValidationException'
  | 'ThrottlingException'
  | 'AccessDeniedException'
  | 'UnknownOperationException'
  | 'SerializationException'
  | 'InternalFailure';

/** An error answer of the emulated Step Functions API, its code one Step Functions sends. */
export class SfnApiError extends AwsJsonError {
  constructor(
    override readonly code: SfnErrorCode,
    message: string,
    status = 400,
  ) {
    super(code, message, status);
  }
}

/**
 * Thrown by an `httpInvoke` hook to fail one attempt of an HTTP Task with a Step Functions
 * error name and cause (Retry and Catch match on `error`), e.g.
 * `new TaskFailure('States.Http.StatusCode.404', 'pipeline not found')`.
 */
export class TaskFailure extends Error {
  constructor(readonly error: string, override readonly cause: string) {
    super(cause);
    this.name = 'TaskFailure';
  }
}
