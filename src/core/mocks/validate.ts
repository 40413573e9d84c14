import type { Node } from 'jsonc-parser';
import type { AslDefinitionFacts } from '../asl/model';
import { closest } from '../config/suggest';
import { entries, jsonValue, propertyNode, type ParsedJson } from '../json/jsonc';
import { nodeSpan, type DiagnosticSink } from '../rules/report';
import type { SourceText } from '../text';
import { parseResponseKey, type MockConfig, type MockOutcome, type MockResponseEntry, type MockStateMachine, type MockTestCase } from './model';

export interface MockConfigOptions {
  /** The linked state machine's name (the last part of its ARN). */
  stateMachineName: string;
  /** The linked definition, when there is a local one: state names are checked against it. */
  definition?: AslDefinitionFacts;
}

/** The valid parts of a mock config, for the sandbox. */
export interface MockConfigFacts extends MockConfig {
  /** Test case names of the linked state machine (empty when the file has no entry for it). */
  testCases: string[];
}

const TOP_LEVEL_KEYS = ['StateMachines', 'MockedResponses'];
const DOCS = 'https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-mock-cfg-file.html';

/**
 * Validates a Step Functions Local MockConfigFile and reports every problem as `mock-invalid` on
 * the mocks file, at the range of the offending key or value. Returns the valid parts (undefined
 * when the file is not JSON or not an object).
 */
export function validateMockConfig(src: SourceText, parsed: ParsedJson, sink: DiagnosticSink, opts: MockConfigOptions): MockConfigFacts | undefined {
  sink.touch(src.path);
  if (parsed.syntax.length > 0) {
    for (const p of parsed.syntax) sink.at('mock-invalid', src, p.offset, p.length, `This mock config is not valid JSON: ${p.message}`);
    return undefined;
  }
  const root = parsed.root;
  if (!root) return undefined;
  const problems: { offset: number; length: number; message: string }[] = [];
  // A node is reported as diagnostics show it: a string key or value on its content, without quotes.
  const add: Add = (span, message) => {
    const [offset, length] = 'type' in span ? nodeSpan(span) : [span.offset, span.length];
    problems.push({ offset, length, message });
  };
  const flush = () => {
    problems.sort((a, b) => a.offset - b.offset || a.length - b.length);
    for (const p of problems) sink.at('mock-invalid', src, p.offset, p.length, p.message);
  };
  if (root.type !== 'object') {
    add(root, `A mock config is a JSON object with "StateMachines" and "MockedResponses", but this file holds ${describe(root)}. See ${DOCS}.`);
    flush();
    return undefined;
  }

  for (const dup of parsed.duplicates) {
    const key = dup.children?.[0];
    if (key && typeof key.value === 'string') add(key, `"${key.value}" appears twice in this object; only the last one counts. Remove or rename one of them.`);
  }
  const facts: MockConfigFacts = { stateMachines: new Map(), responses: new Map(), testCases: [] };
  for (const [key, , prop] of entries(root)) {
    if (!TOP_LEVEL_KEYS.includes(key)) {
      const guess = closest(key, TOP_LEVEL_KEYS);
      add(prop.children![0], `"${key}" is not a field of a mock config. ${guess ? `Did you mean "${guess}"?` : 'A mock config has only "StateMachines" and "MockedResponses".'}`);
    }
  }

  const responsesNode = lastValue(root, 'MockedResponses');
  const responsesValid = responsesNode?.type === 'object';
  if (!responsesNode) add(brace(root), `The mock config has no "MockedResponses". Add "MockedResponses": an object of named responses such as {"Ok": {"0": {"Return": {}}}}.`);
  else if (!responsesValid) add(responsesNode, `"MockedResponses" must be an object of named responses, not ${describe(responsesNode)}.`);
  const responseNames = responsesValid ? readResponses(src, responsesNode, facts, add) : undefined;

  const machinesNode = lastValue(root, 'StateMachines');
  if (!machinesNode) add(brace(root), `The mock config has no "StateMachines". Add "StateMachines": {"${opts.stateMachineName}": {"TestCases": {…}}}.`);
  else if (machinesNode.type !== 'object') add(machinesNode, `"StateMachines" must be an object keyed by state machine name, not ${describe(machinesNode)}.`);
  else readStateMachines(machinesNode, facts, opts, responseNames, add);

  flush();
  return facts;
}

type Add = (span: { offset: number; length: number } | Node, message: string) => void;

/** `responseNames`: every name in MockedResponses (also those whose body is invalid); undefined when MockedResponses is unusable. */
function readStateMachines(node: Node, facts: MockConfigFacts, opts: MockConfigOptions, responseNames: Set<string> | undefined, add: Add): void {
  const machines = entries(node);
  if (!machines.some(([name]) => name === opts.stateMachineName)) {
    const names = machines.map(([n]) => n);
    const guess = closest(opts.stateMachineName, names);
    const target = guess ?? (names.length === 1 ? names[0] : undefined);
    const at = target !== undefined ? machines.find(([n]) => n === target)![2].children![0] : keyOf(node);
    add(
      at,
      names.length === 0
        ? `"StateMachines" has no entry for the linked state machine '${opts.stateMachineName}'. Add "${opts.stateMachineName}": {"TestCases": {…}}.`
        : `"StateMachines" has no entry for the linked state machine '${opts.stateMachineName}' (the name in its ARN); it has ${names.map((n) => `'${n}'`).join(', ')}. ${target !== undefined ? `Rename '${target}' to '${opts.stateMachineName}'` : `Add "${opts.stateMachineName}"`}, since Step Functions Local picks test cases by state machine name.`,
    );
  }
  for (const [name, value, prop] of machines) {
    const machine: MockStateMachine = { name, testCases: new Map() };
    if (value.type !== 'object') {
      add(value, `State machine '${name}' must be an object with "TestCases", not ${describe(value)}.`);
      continue;
    }
    for (const [key, , p] of entries(value)) {
      if (key !== 'TestCases') add(p.children![0], `State machine '${name}' has "${key}"; its only field is "TestCases".${closest(key, ['TestCases']) ? ' Did you mean "TestCases"?' : ''}`);
    }
    const testCases = lastValue(value, 'TestCases');
    if (!testCases) {
      add(prop.children![0], `State machine '${name}' has no "TestCases". Add "TestCases": {"HappyPath": {"<state name>": "<mocked response name>"}}.`);
      continue;
    }
    if (testCases.type !== 'object') {
      add(testCases, `"TestCases" of '${name}' must be an object of named test cases, not ${describe(testCases)}.`);
      continue;
    }
    const linked = name === opts.stateMachineName;
    for (const [caseName, caseNode] of entries(testCases)) {
      const tc: MockTestCase = { name: caseName, states: new Map() };
      if (caseNode.type !== 'object') {
        add(caseNode, `Test case '${caseName}' must be an object mapping state names to mocked response names, not ${describe(caseNode)}.`);
        continue;
      }
      for (const [stateName, responseNode, stateProp] of entries(caseNode)) {
        const stateKey = stateProp.children![0];
        let ok = true;
        if (linked && opts.definition) {
          const state = opts.definition.states.get(stateName);
          if (!opts.definition.stateNames.has(stateName)) {
            const guess = closest(stateName, [...opts.definition.stateNames]);
            add(stateKey, `Test case '${caseName}' mocks state '${stateName}', but the definition of '${name}' has no state of that name. ${guess ? `Did you mean '${guess}'?` : 'Use the name of a Task state of the definition.'}`);
            ok = false;
          } else if (state && state.type !== undefined && state.type !== 'Task') {
            add(stateKey, `Test case '${caseName}' mocks state '${stateName}', which is a ${state.type} state. Only Task states call services, so only they can be mocked: remove this line.`);
            ok = false;
          }
        }
        if (responseNode.type !== 'string') {
          add(responseNode, `Test case '${caseName}': the value for state '${stateName}' must be the name of a mocked response (a string), not ${describe(responseNode)}.`);
          continue;
        }
        const responseName = String(responseNode.value);
        if (responseNames && !responseNames.has(responseName)) {
          const guess = closest(responseName, [...responseNames]);
          add(responseNode, `Test case '${caseName}' uses mocked response '${responseName}' for state '${stateName}', but "MockedResponses" has no '${responseName}'. ${guess ? `Did you mean '${guess}'? ` : ''}Add it to "MockedResponses" or fix the name.`);
          continue;
        }
        if (ok) tc.states.set(stateName, responseName);
      }
      machine.testCases.set(caseName, tc);
    }
    facts.stateMachines.set(name, machine);
    if (linked) facts.testCases = [...machine.testCases.keys()];
  }
}

/** Reads MockedResponses into the facts (valid entries only); returns every response name. */
function readResponses(src: SourceText, node: Node, facts: MockConfigFacts, add: Add): Set<string> {
  const names = new Set<string>();
  for (const [name, value, prop] of entries(node)) {
    names.add(name);
    if (value.type !== 'object') {
      add(value, `Mocked response '${name}' must be an object keyed by invocation ("0", "1-2"), not ${describe(value)}.`);
      continue;
    }
    const list = entries(value);
    if (list.length === 0) {
      add(prop.children![0], `Mocked response '${name}' has no entries, so the first invocation has no response and the execution fails. Add "0": {"Return": {…}}.`);
      continue;
    }
    const parsedEntries: MockResponseEntry[] = [];
    const keyNodes = new Map<MockResponseEntry, Node>();
    let allValid = true;
    for (const [key, entryNode, entryProp] of list) {
      const keyNode = entryProp.children![0];
      const range = parseResponseKey(key);
      if (!range) {
        add(keyNode, badKeyMessage(name, key));
        allValid = false;
        continue;
      }
      const outcome = readOutcome(src, name, key, entryNode, keyNode, add);
      if (!outcome) {
        allValid = false;
        continue;
      }
      const entry: MockResponseEntry = { key, from: range.from, to: range.to, outcome };
      parsedEntries.push(entry);
      keyNodes.set(entry, keyNode);
    }
    const sorted = [...parsedEntries].sort((a, b) => a.from - b.from || a.to - b.to);
    checkCoverage(name, sorted, keyNodes, add, allValid);
    facts.responses.set(name, { name, entries: sorted });
  }
  return names;
}

function badKeyMessage(name: string, key: string): string {
  const m = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(key);
  if (m && Number(m[2]) < Number(m[1])) return `Mocked response '${name}': range "${key}" ends before it starts. Write it as "${m[2]}-${m[1]}".`;
  if (/^\d+$/.test(key)) return `Mocked response '${name}': "${key}" has a leading zero. Write the invocation number as "${Number(key)}".`;
  if (m) return `Mocked response '${name}': "${key}" is not an invocation key. Write "N" or "N-M" with plain digits, no spaces or leading zeros, such as "${Number(m[1])}-${Number(m[2])}".`;
  return `Mocked response '${name}': "${key}" is not an invocation key. Keys are invocation numbers counted from 0 ("0") or inclusive ranges ("1-2").`;
}

function readOutcome(src: SourceText, name: string, key: string, node: Node, keyNode: Node, add: Add): MockOutcome | undefined {
  const where = `Mocked response '${name}', invocation "${key}"`;
  if (node.type !== 'object') {
    add(node, `${where} must be an object with "Return" or "Throw", not ${describe(node)}.`);
    return undefined;
  }
  const fields = entries(node);
  let bad = false;
  for (const [k, , p] of fields) {
    if (k !== 'Return' && k !== 'Throw') {
      const guess = closest(k, ['Return', 'Throw']);
      add(p.children![0], `${where} has "${k}"; an entry has exactly one field, "Return" or "Throw".${guess ? ` Did you mean "${guess}"?` : ''}`);
      bad = true;
    }
  }
  const ret = propertyNode(node, 'Return');
  const thr = propertyNode(node, 'Throw');
  if (ret && thr) {
    const later = ret.offset > thr.offset ? ret : thr;
    add(later.children![0], `${where} has both "Return" and "Throw". An invocation either returns or throws: keep one, and give the other its own invocation key.`);
    return undefined;
  }
  if (!ret && !thr) {
    if (!bad) add(keyNode, `${where} has neither "Return" nor "Throw". Add "Return": {…} for a result or "Throw": {"Error": "…", "Cause": "…"} for a failure.`);
    return undefined;
  }
  if (bad) return undefined;
  if (ret) return { kind: 'return', value: plainJson(src, ret.children![1]) };
  const t = thr!.children![1];
  if (t.type !== 'object') {
    add(t, `${where}: "Throw" must be an object {"Error": "…", "Cause": "…"}, not ${describe(t)}.`);
    return undefined;
  }
  let ok = true;
  for (const [k, , p] of entries(t)) {
    if (k !== 'Error' && k !== 'Cause') {
      const guess = closest(k, ['Error', 'Cause']);
      add(p.children![0], `${where}: "Throw" has "${k}"; it takes only "Error" and "Cause".${guess ? ` Did you mean "${guess}"?` : ''}`);
      ok = false;
    }
  }
  const error = lastValue(t, 'Error');
  const cause = lastValue(t, 'Cause');
  if (!error) {
    add(thr!.children![0], `${where}: "Throw" has no "Error". Add "Error" with the error name your Retry and Catch match, such as "Lambda.TimeoutException".`);
    ok = false;
  } else if (error.type !== 'string') {
    add(error, `${where}: "Error" must be a string (an error name such as "States.TaskFailed"), not ${describe(error)}.`);
    ok = false;
  }
  if (!cause) {
    add(thr!.children![0], `${where}: "Throw" has no "Cause". Step Functions Local expects both "Error" and "Cause" strings; add "Cause" with a human-readable reason.`);
    ok = false;
  } else if (cause.type !== 'string') {
    add(cause, `${where}: "Cause" must be a string, not ${describe(cause)}.`);
    ok = false;
  }
  if (!ok || !error || error.type !== 'string') return undefined;
  return cause?.type === 'string' ? { kind: 'throw', error: String(error.value), cause: String(cause.value) } : { kind: 'throw', error: String(error.value) };
}

/** Every invocation from 0 up to the last covered one needs exactly one response. */
function checkCoverage(name: string, sorted: MockResponseEntry[], keyNodes: Map<MockResponseEntry, Node>, add: Add, allKeysValid: boolean): void {
  let next = 0;
  let previous: MockResponseEntry | undefined;
  for (const e of sorted) {
    const keyNode = keyNodes.get(e)!;
    if (previous && e.key === previous.key) {
      // The same key twice: reported as a repeated key already.
    } else if (previous && e.from <= previous.to) {
      add(keyNode, `Mocked response '${name}': "${e.key}" overlaps "${previous.key}" (invocation ${e.from} is in both). Each invocation has one response: make the ranges disjoint.`);
    } else if (e.from > next && allKeysValid) {
      const gap = e.from - 1 === next ? `Invocation ${next} has` : `Invocations ${next}-${e.from - 1} have`;
      add(keyNode, `Mocked response '${name}': ${gap} no response, so the execution fails there. Cover every invocation from 0 without gaps (for example change "${e.key}" to start at ${next}).`);
    }
    next = Math.max(next, e.to + 1);
    if (!previous || e.to > previous.to) previous = e;
  }
}

/** A value as plain JSON (ordinary objects, as the sandbox hands them on), read from its text. */
function plainJson(src: SourceText, node: Node): unknown {
  try {
    return JSON.parse(src.text.slice(node.offset, node.offset + node.length));
  } catch {
    // JSONC inside the value (a comment): rebuild from the tree as ordinary objects.
    return JSON.parse(JSON.stringify(jsonValue(node)));
  }
}

function lastValue(obj: Node, key: string): Node | undefined {
  let found: Node | undefined;
  for (const [k, v] of entries(obj)) if (k === key) found = v;
  return found;
}

function keyOf(node: Node): { offset: number; length: number } {
  const parent = node.parent;
  if (parent?.type === 'property' && parent.children?.[0]) return parent.children[0];
  return brace(node);
}

function brace(node: Node): { offset: number; length: number } {
  return { offset: node.offset, length: 1 };
}

function describe(node: Node): string {
  switch (node.type) {
    case 'array':
      return 'an array';
    case 'string':
      return `a string (${JSON.stringify(String(node.value).slice(0, 40))})`;
    case 'number':
      return `a number (${node.value})`;
    case 'boolean':
      return String(node.value);
    case 'null':
      return 'null';
    default:
      return 'an object';
  }
}
