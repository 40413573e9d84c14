/**
 * What answers a Task state in the sandbox: the `httpInvoke` hook for HTTP Tasks (the gateway to
 * a linked ADF sandbox), else the machine's Step Functions Local MockConfigFile. Nothing leaves the
 * machine. Also how a resource appears in history events (Task / LambdaFunction / Activity).
 */
import { resolveMockedResponse, type MockConfig } from '../../core/mocks/model';
import { TaskFailure } from './errors';
import { runtimeFailure, StatesFailure } from './failure';

export interface HttpInvokeContext {
  executionArn: string;
  stateMachineArn: string;
  stateMachineName: string;
  /** The mock test case of the execution, if any. */
  testCase?: string;
  /** 0 for the first attempt of this state entry, 1 for its first retry, … */
  attempt: number;
  /** Aborted when the execution stops. */
  signal: AbortSignal;
}

/**
 * Answers an HTTP Task (`arn:aws:states:::http:invoke`) with the task result
 * (`{StatusCode, StatusText, Headers, ResponseBody}`), or returns undefined to leave it to the mocks.
 * Throw `TaskFailure` to fail the attempt with a Step Functions error name (Retry/Catch apply).
 */
export type HttpInvoke = (stateName: string, parameters: unknown, ctx: HttpInvokeContext) => Promise<unknown>;

/** How a Task resource appears in history events. */
export interface ResourceKind {
  family: 'Task' | 'LambdaFunction' | 'Activity';
  resourceType: string;
  resource: string;
}

export function classifyResource(resource: string): ResourceKind {
  const integration = /^arn:[^:]+:states:::([^:]+):(.+)$/.exec(resource);
  if (integration) return { family: 'Task', resourceType: integration[1], resource: integration[2] };
  if (/^arn:[^:]+:lambda:/.test(resource)) return { family: 'LambdaFunction', resourceType: 'lambda', resource };
  if (/^arn:[^:]+:states:[^:]*:\d*:activity:/.test(resource)) return { family: 'Activity', resourceType: 'activity', resource };
  return { family: 'Task', resourceType: 'unknown', resource };
}

export interface TaskMachine {
  arn: string;
  name: string;
  mocks?: { config: MockConfig; source: string };
}

/** Answers Task attempts of one execution; counts invocations per state for the mock ranges (across redrives). */
export class TaskAnswerer {
  private readonly invocations = new Map<string, number>();

  constructor(
    private readonly machine: TaskMachine,
    private readonly execution: { executionArn: string; testCase?: string },
    private readonly httpInvoke: HttpInvoke | undefined,
    /** The signal of the execution's current attempt (a redrive gets a new one). */
    private readonly signal: () => AbortSignal,
  ) {}

  /** The result of one attempt; throws StatesFailure (a task error, or States.Runtime when nothing answers). */
  async invoke(stateName: string, resource: string, parameters: unknown, attempt: number): Promise<unknown> {
    const invocation = this.invocations.get(stateName) ?? 0;
    this.invocations.set(stateName, invocation + 1);
    if (/^arn:[^:]+:states:::http:invoke$/.test(resource) && this.httpInvoke) {
      const ctx: HttpInvokeContext = {
        executionArn: this.execution.executionArn,
        stateMachineArn: this.machine.arn,
        stateMachineName: this.machine.name,
        attempt,
        signal: this.signal(),
      };
      if (this.execution.testCase !== undefined) ctx.testCase = this.execution.testCase;
      let answer: unknown;
      try {
        answer = await this.httpInvoke(stateName, parameters, ctx);
      } catch (e) {
        if (e instanceof TaskFailure) throw new StatesFailure(e.error, e.cause);
        throw new StatesFailure('States.TaskFailed', e instanceof Error ? e.message : String(e));
      }
      if (answer !== undefined) return answer;
    }
    const mocks = this.machine.mocks;
    const testCase = this.execution.testCase;
    if (!mocks) {
      throw runtimeFailure(`State "${stateName}" has no mocked response: state machine "${this.machine.name}" has no mocks file; link a Step Functions Local MockConfigFile ("mocks") with a test case for it.`);
    }
    if (testCase === undefined) {
      throw runtimeFailure(`State "${stateName}" has no mocked response: ${mocks.source} has no test case for state machine "${this.machine.name}"; add StateMachines."${this.machine.name}".TestCases to it.`);
    }
    const answer = resolveMockedResponse(mocks.config, this.machine.name, testCase, stateName, invocation);
    switch (answer.kind) {
      case 'return':
        return answer.value;
      case 'throw':
        throw new StatesFailure(answer.error, answer.cause ?? '');
      case 'not-mocked':
        throw runtimeFailure(`State "${stateName}" has no mocked response in test case "${testCase}": add one to ${mocks.source} (StateMachines."${this.machine.name}".TestCases."${testCase}"."${stateName}" naming a MockedResponses entry).`);
      default:
        throw runtimeFailure(`${answer.message} Fix it in ${mocks.source}.`);
    }
  }
}
