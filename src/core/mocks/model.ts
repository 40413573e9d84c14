/**
 * The Step Functions Local MockConfigFile, as a model the validator builds and the sandbox uses.
 *
 * Format (AWS docs, "Configuration file for mocked service integrations"):
 *   { "StateMachines": { "<machine>": { "TestCases": { "<test case>": { "<state>": "<response>" } } } },
 *     "MockedResponses": { "<response>": { "0": { "Return": … }, "1-2": { "Throw": { "Error", "Cause" } } } } }
 * A response's keys are invocation numbers ("0") or inclusive ranges ("1-2") of a mocked Task's
 * invocations, counted from 0; every invocation must have a response, or the execution fails.
 */

export type MockOutcome =
  | { kind: 'return'; value: unknown }
  | { kind: 'throw'; error: string; cause?: string };

/** One entry of a mocked response: the outcome for invocations `from` to `to` (inclusive). */
export interface MockResponseEntry {
  /** The key as written: "0" or "1-2". */
  key: string;
  from: number;
  to: number;
  outcome: MockOutcome;
}

export interface MockedResponse {
  name: string;
  /** Sorted by `from`. */
  entries: MockResponseEntry[];
}

export interface MockTestCase {
  name: string;
  /** State name -> mocked response name. */
  states: Map<string, string>;
}

export interface MockStateMachine {
  name: string;
  testCases: Map<string, MockTestCase>;
}

export interface MockConfig {
  stateMachines: Map<string, MockStateMachine>;
  responses: Map<string, MockedResponse>;
}

/** What happens at a mocked Task's `attempt`-th invocation (counted from 0) in a test case. */
export type MockResolution =
  | { kind: 'return'; value: unknown; responseName: string; key: string }
  | { kind: 'throw'; error: string; cause?: string; responseName: string; key: string }
  /** The test case does not mock this state (Step Functions Local would call the real service). */
  | { kind: 'not-mocked' }
  /** The state is mocked, but not for this invocation (or the response does not exist): the execution fails. */
  | { kind: 'no-response'; responseName: string; message: string }
  /** No such state machine or test case in the mock config. */
  | { kind: 'unknown-test-case'; message: string };

/** An invocation key: "N" or "N-M", non-negative integers without leading zeros. */
export const RESPONSE_KEY = /^(0|[1-9][0-9]*)(?:-(0|[1-9][0-9]*))?$/;

/** Parses a response key into its inclusive range, or undefined when it is not "N" or "N-M" with N <= M. */
export function parseResponseKey(key: string): { from: number; to: number } | undefined {
  const m = RESPONSE_KEY.exec(key);
  if (!m) return undefined;
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || to < from) return undefined;
  return { from, to };
}

export function resolveMockedResponse(
  config: MockConfig,
  stateMachineName: string,
  testCase: string,
  stateName: string,
  attempt: number,
): MockResolution {
  const machine = config.stateMachines.get(stateMachineName);
  if (!machine) {
    return { kind: 'unknown-test-case', message: `The mock config has no state machine '${stateMachineName}' (it has: ${[...config.stateMachines.keys()].join(', ') || 'none'}).` };
  }
  const tc = machine.testCases.get(testCase);
  if (!tc) {
    return { kind: 'unknown-test-case', message: `State machine '${stateMachineName}' has no test case '${testCase}' in the mock config (it has: ${[...machine.testCases.keys()].join(', ') || 'none'}).` };
  }
  const responseName = tc.states.get(stateName);
  if (responseName === undefined) return { kind: 'not-mocked' };
  const response = config.responses.get(responseName);
  if (!response) {
    return { kind: 'no-response', responseName, message: `Test case '${testCase}' mocks state '${stateName}' with '${responseName}', which is not in MockedResponses.` };
  }
  const entry = response.entries.find((e) => e.from <= attempt && attempt <= e.to);
  if (!entry) {
    return {
      kind: 'no-response',
      responseName,
      message: `Mocked response '${responseName}' has no entry for invocation ${attempt} of state '${stateName}' (it covers ${response.entries.map((e) => e.key).join(', ') || 'nothing'}). Step Functions Local fails the execution here.`,
    };
  }
  return entry.outcome.kind === 'return'
    ? { kind: 'return', value: entry.outcome.value, responseName, key: entry.key }
    : entry.outcome.cause === undefined
      ? { kind: 'throw', error: entry.outcome.error, responseName, key: entry.key }
      : { kind: 'throw', error: entry.outcome.error, cause: entry.outcome.cause, responseName, key: entry.key };
}
