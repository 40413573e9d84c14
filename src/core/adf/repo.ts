import * as path from 'node:path';
import type { Node } from 'jsonc-parser';
import { entries, nodeAt, parseJson, valueNode, type ParsedJson } from '../json/jsonc';
import type { FileHost } from '../host';
import { SourceText } from '../text';
import { CaseInsensitiveMap } from './names';

/** An activity of a pipeline, wherever it is nested (IfCondition, Switch, ForEach, Until). */
export interface ActivityFacts {
  name: string;
  nameNode: Node;
  type: string | undefined;
  typeNode: Node | undefined;
  node: Node;
  typeProperties: Node | undefined;
  /** Names of the containers it sits in, outermost first (empty at the top level). */
  containers: string[];
}

export interface DeclaredName {
  name: string;
  keyNode: Node;
  type: string | undefined;
  hasDefault: boolean;
}

export interface PipelineFacts {
  src: SourceText;
  parsed: ParsedJson;
  name: string | undefined;
  /** Looked up without regard to case, as ADF does (./names.ts). */
  parameters: CaseInsensitiveMap<DeclaredName>;
  variables: CaseInsensitiveMap<DeclaredName>;
  activities: ActivityFacts[];
}

/** Keys under typeProperties that hold nested activity lists, per container type (a Map: the type is the file's text, "constructor" included). */
const NESTED_LISTS = new Map<string, string[][]>([
  ['IfCondition', [['ifTrueActivities'], ['ifFalseActivities']]],
  ['ForEach', [['activities']]],
  ['Until', [['activities']]],
  ['Switch', [['defaultActivities']]],
]);

/** Reads the facts of a pipeline JSON file as ADF's git integration writes it. */
export function readPipeline(src: SourceText): PipelineFacts {
  const parsed = parseJson(src);
  const properties = nodeAt(parsed.root, ['properties']);
  const facts: PipelineFacts = {
    src,
    parsed,
    name: stringValue(valueNode(parsed.root, 'name')),
    parameters: declaredNames(valueNode(properties, 'parameters')),
    variables: declaredNames(valueNode(properties, 'variables')),
    activities: [],
  };
  collectActivities(valueNode(properties, 'activities'), [], facts.activities, 0);
  return facts;
}

function collectActivities(list: Node | undefined, containers: string[], out: ActivityFacts[], depth: number): void {
  if (list?.type !== 'array' || depth > 32) return;
  for (const node of list.children ?? []) {
    if (node.type !== 'object') continue;
    const nameNode = valueNode(node, 'name');
    if (nameNode?.type !== 'string') continue;
    const typeNode = valueNode(node, 'type');
    const type = stringValue(typeNode);
    const typeProperties = valueNode(node, 'typeProperties');
    const name = nameNode.value as string;
    out.push({ name, nameNode, type, typeNode, node, typeProperties, containers });
    const inner = [...containers, name];
    for (const path of type ? NESTED_LISTS.get(type) ?? [] : []) collectActivities(nodeAt(typeProperties, path), inner, out, depth + 1);
    if (type === 'Switch') {
      const cases = valueNode(typeProperties, 'cases');
      for (const c of cases?.type === 'array' ? cases.children ?? [] : []) collectActivities(valueNode(c, 'activities'), inner, out, depth + 1);
    }
  }
}

function declaredNames(obj: Node | undefined): CaseInsensitiveMap<DeclaredName> {
  const out = new CaseInsensitiveMap<DeclaredName>();
  for (const [name, value, prop] of entries(obj)) {
    const type = stringValue(valueNode(value, 'type'));
    const def = valueNode(value, 'defaultValue');
    out.set(name, { name, keyNode: prop.children![0], type, hasDefault: def !== undefined });
  }
  return out;
}

/** Global parameters from factory/*.json (`properties.globalParameters`). */
export function readGlobalParameters(src: SourceText): string[] {
  const parsed = parseJson(src);
  return entries(nodeAt(parsed.root, ['properties', 'globalParameters'])).map(([name]) => name);
}

function stringValue(node: Node | undefined): string | undefined {
  return node?.type === 'string' ? (node.value as string) : undefined;
}

/** The folders of an ADF git repo that bridge reads: one per resource kind, as ADF's git integration lays them out. */
export type AdfRepoFolder = 'pipeline' | 'factory' | 'dataset' | 'linkedService' | 'trigger';

/** Where the `folder` resources of the ADF git repo at `repoRoot` live. */
export function adfRepoFolder(repoRoot: string, folder: AdfRepoFolder): string {
  return path.join(repoRoot, folder);
}

/**
 * The JSON files of a repo folder (full paths, sorted), read through the FileHost; the suffix is
 * matched case-insensitively (a `Pipeline1.JSON` is a pipeline to ADF too). Empty when the folder is absent.
 */
export async function repoJsonFiles(host: FileHost, dir: string, suffix = '.json'): Promise<string[]> {
  const names = await host.readDirectory(dir).catch(() => [] as string[]);
  return names.filter((n) => n.toLowerCase().endsWith(suffix)).sort().map((n) => path.join(dir, n));
}

/**
 * Finds a pipeline of an ADF git folder by its name: `pipeline/<name>.json` first (ADF's git
 * integration names files so), else any `pipeline/*.json` whose `name` is it. Undefined when
 * there is none or the folder cannot be read. The one reader of a repo's pipelines outside lint.
 */
export async function findPipeline(host: FileHost, repoRoot: string, name: string): Promise<PipelineFacts | undefined> {
  const dir = adfRepoFolder(repoRoot, 'pipeline');
  const direct = path.join(dir, `${name}.json`);
  const read = async (file: string) => {
    const text = await host.readFile(file);
    return text === undefined ? undefined : readPipeline(new SourceText(file, text));
  };
  const first = await read(direct);
  if (first?.name === name) return first;
  for (const file of await repoJsonFiles(host, dir)) {
    if (file === direct) continue;
    const facts = await read(file);
    if (facts?.name === name) return facts;
  }
  return first;
}
