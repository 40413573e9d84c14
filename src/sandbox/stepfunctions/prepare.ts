/**
 * Turns a workspace state machine into what the interpreter runs, and records what the sandbox
 * needs to know about each state to write the history AWS would write.
 *
 * The interpreter (aws-local-stepfunctions) is given a rewritten copy of the definition:
 * - Task states lose Retry, TimeoutSeconds and heartbeats: the sandbox runs each attempt itself so
 *   that every attempt appears in the history (TaskScheduled/Started/Failed per attempt) and retry
 *   waits are scaled. Catch stays with the interpreter.
 * - Wait states become Tasks answered by the sandbox, which waits `seconds * waitScale` (the
 *   interpreter would wait the full time); InputPath/OutputPath keep their meaning.
 * - Pass states with a falsy Result (false, 0, "", null), which the interpreter ignores, are
 *   answered by the sandbox.
 * - States the interpreter cannot run faithfully (JSONata, variables, distributed Map features)
 *   become Tasks that fail the execution with a "not emulated" cause, instead of running wrongly.
 */
import { isObject, readStateMachine, type AslModel } from '../../core/asl/model';
import { validateAslDefinition } from '../../core/asl/validate';
import { parseJson } from '../../core/json/jsonc';
import { DiagnosticSink } from '../../core/rules/report';
import { SourceText } from '../../core/text';

/** Resource of the placeholder tasks; never called on AWS. */
export const SANDBOX_WAIT_RESOURCE = 'arn:aws:states:::bridge-sandbox:wait';
export const SANDBOX_NOT_EMULATED_RESOURCE = 'arn:aws:states:::bridge-sandbox:not-emulated';
export const SANDBOX_PASS_RESOURCE = 'arn:aws:states:::bridge-sandbox:pass';

/** setTimeout's ceiling in seconds: the interpreter's own per-task timer must never fire. */
const INTERPRETER_TASK_TIMEOUT_SECONDS = 2_147_483;

export interface StateInfo {
  name: string;
  /** The state's Type as written in the workspace definition. */
  type: string;
  /** The state's object as written. */
  definition: Record<string, unknown>;
  /** Why the sandbox does not run this state (it fails the execution), when it does not. */
  notEmulated?: string;
}

export interface PreparedDefinition {
  /** What the interpreter runs. */
  interpreterDefinition: Record<string, unknown>;
  states: Map<string, StateInfo>;
  /** Names of the states the interpreter calls back for (Tasks, rewritten Waits, placeholders). */
  handledStates: string[];
  /** Why the definition cannot run at all (asl-validator errors), when it cannot. */
  problems: string[];
}

/** Fields the interpreter ignores (it would run the state as if they were absent). */
const UNSUPPORTED_FIELDS: Record<string, string> = {
  Assign: 'variables (Assign)',
  Arguments: 'Arguments (JSONata)',
  Output: 'Output (JSONata)',
  Items: 'Items (JSONata)',
  ItemReader: 'ItemReader (distributed Map)',
  ItemBatcher: 'ItemBatcher (distributed Map)',
  ResultWriter: 'ResultWriter (distributed Map)',
  ToleratedFailurePercentage: 'ToleratedFailurePercentage (distributed Map)',
  ToleratedFailurePercentagePath: 'ToleratedFailurePercentagePath (distributed Map)',
  ToleratedFailureCount: 'ToleratedFailureCount (distributed Map)',
  ToleratedFailureCountPath: 'ToleratedFailureCountPath (distributed Map)',
};

function notEmulatedReason(name: string, def: Record<string, unknown>, queryLanguage: string): string | undefined {
  const what = (feature: string) => `State "${name}" uses ${feature}, which the bridge sandbox does not emulate; run this state machine in AWS, or change the state to use JSONPath without this feature.`;
  if (queryLanguage === 'JSONata') return what('QueryLanguage JSONata');
  for (const [field, feature] of Object.entries(UNSUPPORTED_FIELDS)) if (field in def) return what(feature);
  const processor = isObject(def.ItemProcessor) ? def.ItemProcessor : undefined;
  if (processor && isObject(processor.ProcessorConfig) && processor.ProcessorConfig.Mode === 'DISTRIBUTED') return what('a distributed Map (ProcessorConfig.Mode DISTRIBUTED)');
  return undefined;
}

/** Errors the project's ASL validator finds in a definition (as "line:col message"). */
function definitionProblems(definition: unknown, label: string): string[] {
  const src = new SourceText(label, JSON.stringify(definition, null, 2));
  const sink = new DiagnosticSink();
  try {
    validateAslDefinition(src, parseJson(src, { strict: true }), sink);
  } catch (e) {
    return [`the ASL validator failed: ${(e as Error).message}`];
  }
  return sink
    .diagnostics(label)
    .filter((d) => d.severity === 'error')
    .map((d) => d.message);
}

/** `label` names the definition in problems (e.g. the state machine ARN). */
export function prepareDefinition(definition: unknown, label: string): PreparedDefinition {
  if (!isObject(definition)) {
    return { interpreterDefinition: {}, states: new Map(), handledStates: [], problems: ['The definition is not a JSON object.'] };
  }
  const problems = definitionProblems(definition, label);
  const model: AslModel = readStateMachine(definition);
  const states = new Map<string, StateInfo>();
  const handledStates: string[] = [];
  const qlByPath = new Map<string, string>();
  for (const s of model.states) qlByPath.set(JSON.stringify(s.path), s.queryLanguage);

  const rewriteScope = (scope: Record<string, unknown>, path: (string | number)[]): Record<string, unknown> => {
    const out: Record<string, unknown> = { ...scope };
    const src = isObject(scope.States) ? scope.States : {};
    const rewritten: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(src)) {
      const def = isObject(value) ? value : {};
      const statePath = [...path, 'States', name];
      const type = typeof def.Type === 'string' ? def.Type : 'Unknown';
      const reason = notEmulatedReason(name, def, qlByPath.get(JSON.stringify(statePath)) ?? model.queryLanguage);
      const info: StateInfo = { name, type, definition: def };
      if (reason) info.notEmulated = reason;
      if (!states.has(name)) states.set(name, info);
      if (reason) {
        rewritten[name] = { Type: 'Task', Resource: SANDBOX_NOT_EMULATED_RESOURCE, End: true, TimeoutSeconds: INTERPRETER_TASK_TIMEOUT_SECONDS };
        handledStates.push(name);
        continue;
      }
      const copy: Record<string, unknown> = { ...def };
      switch (type) {
        case 'Task':
          for (const k of ['Retry', 'TimeoutSeconds', 'TimeoutSecondsPath', 'HeartbeatSeconds', 'HeartbeatSecondsPath', 'Credentials']) delete copy[k];
          copy.TimeoutSeconds = INTERPRETER_TASK_TIMEOUT_SECONDS;
          handledStates.push(name);
          break;
        case 'Wait': {
          const task: Record<string, unknown> = { Type: 'Task', Resource: SANDBOX_WAIT_RESOURCE, TimeoutSeconds: INTERPRETER_TASK_TIMEOUT_SECONDS };
          for (const k of ['InputPath', 'OutputPath', 'Next', 'End', 'Comment']) if (k in def) task[k] = def[k];
          rewritten[name] = task;
          handledStates.push(name);
          continue;
        }
        case 'Pass':
          // The interpreter ignores a falsy Result (false, 0, "", null); the sandbox answers it.
          if ('Result' in def && !def.Result) {
            const task: Record<string, unknown> = { Type: 'Task', Resource: SANDBOX_PASS_RESOURCE, TimeoutSeconds: INTERPRETER_TASK_TIMEOUT_SECONDS };
            for (const k of ['InputPath', 'ResultPath', 'OutputPath', 'Next', 'End', 'Comment']) if (k in def) task[k] = def[k];
            rewritten[name] = task;
            handledStates.push(name);
            continue;
          }
          break;
        case 'Parallel':
          if (Array.isArray(def.Branches)) copy.Branches = def.Branches.map((b, i) => (isObject(b) ? rewriteScope(b, [...statePath, 'Branches', i]) : b));
          break;
        case 'Map':
          if (isObject(def.ItemProcessor)) copy.ItemProcessor = rewriteScope(def.ItemProcessor, [...statePath, 'ItemProcessor']);
          if (isObject(def.Iterator)) copy.Iterator = rewriteScope(def.Iterator, [...statePath, 'Iterator']);
          break;
      }
      rewritten[name] = copy;
    }
    out.States = rewritten;
    return out;
  };
  const interpreterDefinition = rewriteScope(definition, []);
  delete interpreterDefinition.QueryLanguage;
  return { interpreterDefinition, states, handledStates, problems };
}
