import { keyNode, nodeAt, parseJson, propertyNode } from '../json/jsonc';
import { readPipeline } from '../adf/repo';
import { SourceText, type Range } from '../text';

/**
 * Where an end of a link is written in the file that defines it, so an editor can open that file
 * at the right place: the activity in the pipeline JSON, the first state in the ASL. Never throws;
 * undefined when the text does not have it (the file then opens at its top).
 */
export function activityRange(pipelinePath: string, text: string, activity: string | undefined): Range | undefined {
  const src = new SourceText(pipelinePath, text);
  const facts = readPipeline(src);
  const node = (activity && facts.activities.find((a) => a.name === activity)?.nameNode) || nodeAt(facts.parsed.root, ['name']);
  return node ? { start: src.positionAt(node.offset), end: src.positionAt(node.offset + node.length) } : undefined;
}

/** The key of the state `StartAt` names, else `StartAt` itself. */
export function startStateRange(aslPath: string, text: string): Range | undefined {
  const src = new SourceText(aslPath, text);
  const root = parseJson(src).root;
  const startAt = nodeAt(root, ['StartAt']);
  const state = typeof startAt?.value === 'string' ? keyNode(propertyNode(nodeAt(root, ['States']), startAt.value)) : undefined;
  const node = state ?? startAt;
  return node ? { start: src.positionAt(node.offset), end: src.positionAt(node.offset + node.length) } : undefined;
}
