/**
 * The activity types the sandbox runs, one handler per file (see CONTRIBUTING.md, "Add an ADF
 * activity type"). A type not in the table (Copy, Lookup, notebooks …) takes its mocked output
 * from *.sandbox.json, else the default below.
 */
import { evaluateDeep } from '../expressions';
import type { ActivityJson } from '../repo';
import type { ActivityHandler, ExecContext } from '../run-context';
import { appendVariableActivity } from './append-variable';
import { executePipelineActivity } from './execute-pipeline';
import { failActivity } from './fail';
import { filterActivity } from './filter';
import { forEachActivity } from './for-each';
import { ifConditionActivity } from './if-condition';
import { setVariableActivity } from './set-variable';
import { switchActivityHandler } from './switch';
import { untilActivity } from './until';
import { waitActivity } from './wait';
import { webActivityHandler } from './web-activity';
import { webHookActivity } from './web-hook';

/** What a non-emulated activity returns when the user set no mocked output. */
function defaultMockedOutput(type: string): unknown {
  switch (type) {
    case 'Copy':
      return { dataRead: 0, dataWritten: 0, filesRead: 0, filesWritten: 0, rowsRead: 0, rowsCopied: 0, copyDuration: 0, throughput: 0, errors: [], effectiveIntegrationRuntime: 'AutoResolveIntegrationRuntime (Sandbox)', usedDataIntegrationUnits: 4, usedParallelCopies: 1, executionDetails: [] };
    case 'Lookup':
      return { count: 0, value: [], firstRow: {} };
    case 'GetMetadata':
      return { exists: true, childItems: [] };
    default:
      return {};
  }
}

/** Types ADF runs without data movement the sandbox could emulate: evaluated input, default output. */
export function notEmulatedActivity(activity: ActivityJson, typeProperties: Record<string, unknown>, exec: ExecContext): unknown {
  exec.record.arm.input = evaluateDeep(typeProperties, exec.evalScope);
  return defaultMockedOutput(activity.type);
}

/** Validation waits for a dataset in ADF; the sandbox has no datasets, so it succeeds at once. */
const validationActivity: ActivityHandler = { control: true, run: notEmulatedActivity };

export const ACTIVITY_HANDLERS: Readonly<Record<string, ActivityHandler>> = {
  SetVariable: setVariableActivity,
  AppendVariable: appendVariableActivity,
  IfCondition: ifConditionActivity,
  Switch: switchActivityHandler,
  ForEach: forEachActivity,
  Until: untilActivity,
  Wait: waitActivity,
  Fail: failActivity,
  Filter: filterActivity,
  ExecutePipeline: executePipelineActivity,
  Validation: validationActivity,
  WebActivity: webActivityHandler,
  WebHook: webHookActivity,
};

/** The handler of an activity type (own entries only: the type comes from workspace JSON). */
export function activityHandler(type: string): ActivityHandler | undefined {
  return Object.hasOwn(ACTIVITY_HANDLERS, type) ? ACTIVITY_HANDLERS[type] : undefined;
}
