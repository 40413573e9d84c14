/**
 * Where a bar of the timeline is defined: an activity in a pipeline JSON file (nested in ForEach,
 * IfCondition, Switch or Until too), a state in an ASL file (in Parallel branches and Map item
 * processors too). The range is the name's key or string, what a click on the bar selects.
 */
import { getNodeValue } from 'jsonc-parser';
import { readPipeline } from '../adf/repo';
import { readStateMachine } from '../asl/model';
import { nodeAt, parseJson } from '../json/jsonc';
import { SourceText } from '../text';

export interface TextSpan {
  offset: number;
  length: number;
}

/** The `"name": "<activity>"` string of the activity, or undefined when the pipeline has none of that name. */
export function locateActivity(path: string, text: string, activity: string): TextSpan | undefined {
  const pipeline = readPipeline(new SourceText(path, text));
  const found = pipeline.activities.find((a) => a.name === activity);
  return found ? { offset: found.nameNode.offset, length: found.nameNode.length } : undefined;
}

/** The state's key under `States`, or undefined when the definition has no state of that name. */
export function locateState(path: string, text: string, state: string): TextSpan | undefined {
  const parsed = parseJson(new SourceText(path, text));
  if (!parsed.root) return undefined;
  const model = readStateMachine(getNodeValue(parsed.root));
  const found = model.states.find((s) => s.name === state);
  const key = found && nodeAt(parsed.root, found.path)?.parent?.children?.[0];
  return key ? { offset: key.offset, length: key.length } : undefined;
}
