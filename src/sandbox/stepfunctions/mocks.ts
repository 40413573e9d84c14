/**
 * The sandbox's view of a Step Functions Local MockConfigFile: which test case an execution uses.
 * Answers come from the shared resolver (`resolveMockedResponse` in src/core/mocks/model.ts); this
 * file only turns a plain parsed mocks file into that model and picks the test case.
 */
import { parseResponseKey, type MockConfig, type MockOutcome, type MockResponseEntry } from '../../core/mocks/model';
import { SfnApiError } from './errors';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isMockConfig(v: unknown): v is MockConfig {
  return isObject(v) && v.stateMachines instanceof Map && v.responses instanceof Map;
}

/**
 * The model of a mocks file given as plain JSON (or already as a MockConfig). Lenient: parts that
 * are not well-formed are left out (the linter reports them as `mock-invalid`); a state mapped to a
 * missing response then fails its execution with a cause that names the response.
 */
export function toMockConfig(mockConfig: unknown): MockConfig {
  if (isMockConfig(mockConfig)) return mockConfig;
  const config: MockConfig = { stateMachines: new Map(), responses: new Map() };
  if (!isObject(mockConfig)) return config;
  if (isObject(mockConfig.StateMachines)) {
    for (const [machineName, machine] of Object.entries(mockConfig.StateMachines)) {
      const testCases = new Map<string, { name: string; states: Map<string, string> }>();
      if (isObject(machine) && isObject(machine.TestCases)) {
        for (const [caseName, mapping] of Object.entries(machine.TestCases)) {
          const states = new Map<string, string>();
          if (isObject(mapping)) for (const [state, response] of Object.entries(mapping)) if (typeof response === 'string') states.set(state, response);
          testCases.set(caseName, { name: caseName, states });
        }
      }
      config.stateMachines.set(machineName, { name: machineName, testCases });
    }
  }
  if (isObject(mockConfig.MockedResponses)) {
    for (const [responseName, response] of Object.entries(mockConfig.MockedResponses)) {
      const entries: MockResponseEntry[] = [];
      if (isObject(response)) {
        for (const [key, value] of Object.entries(response)) {
          const range = parseResponseKey(key.trim());
          const outcome = outcomeOf(value);
          if (range && outcome) entries.push({ key, from: range.from, to: range.to, outcome });
        }
      }
      entries.sort((a, b) => a.from - b.from);
      config.responses.set(responseName, { name: responseName, entries });
    }
  }
  return config;
}

function outcomeOf(value: unknown): MockOutcome | undefined {
  if (!isObject(value)) return undefined;
  if ('Return' in value) return { kind: 'return', value: value.Return };
  if (isObject(value.Throw) && typeof value.Throw.Error === 'string') {
    return typeof value.Throw.Cause === 'string' ? { kind: 'throw', error: value.Throw.Error, cause: value.Throw.Cause } : { kind: 'throw', error: value.Throw.Error };
  }
  return undefined;
}

/**
 * The test case an execution of `stateMachineName` uses: `requested` (the `#TestCase` suffix of the
 * state machine ARN) when given, else the machine's first test case; undefined when there is none.
 * Throws ValidationException for a requested test case that does not exist.
 */
export function selectTestCase(config: MockConfig, source: string, stateMachineName: string, requested: string | undefined): string | undefined {
  const machine = config.stateMachines.get(stateMachineName);
  const names = machine ? [...machine.testCases.keys()] : [];
  if (requested === undefined) return names[0];
  if (!names.includes(requested)) {
    const known = names.length ? `its test cases are: ${names.join(', ')}` : `it has no test cases for state machine "${stateMachineName}"`;
    throw new SfnApiError('ValidationException', `Test case "${requested}" is not defined for state machine "${stateMachineName}" in ${source}; ${known}.`);
  }
  return requested;
}
