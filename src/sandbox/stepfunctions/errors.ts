/**
 * Errors of the emulated Step Functions API, in the shape AWS sends them (AWS JSON 1.0:
 * `{"__type": code, "message": text}`), so `@aws-sdk/client-sfn` maps each code to its typed
 * exception (StateMachineDoesNotExist, ExecutionAlreadyExists, InvalidName, ...).
 */
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

export class SfnApiError extends Error {
  constructor(readonly code: SfnErrorCode, message: string, readonly status = 400) {
    super(message);
    this.name = code;
  }

  body(): { __type: string; message: string } {
    return { __type: this.code, message: this.message };
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
