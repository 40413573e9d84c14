import path = require('node:path');
import type { Node } from 'jsonc-parser';
import { entries, nodeAt, parseJson, valueNode, type ParsedJson } from '../json/jsonc';
import type { FileHost } from '../host';
import { SourceText } from '../text';
import { CaseInsensitiveMap, foldName, sameName } from './names';

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

/**
 * What the repo reader needs of a FileHost. Lint passes one that answers from its run's caches, so
 * a pipeline is read once per lint however many links name it.
 */
export type RepoReadHost = Pick<FileHost, 'readFile' | 'readDirectory'>;

/** Where the `folder` resources of the ADF git repo at `repoRoot` live. */
export function adfRepoFolder(repoRoot: string, folder: AdfRepoFolder): string {
  return path.join(repoRoot, folder);
}

/**
 * The JSON files of a repo folder (full paths, sorted), read through the FileHost; the suffix is
 * matched case-insensitively (a `Pipeline1.JSON` is a pipeline to ADF too). Empty when the folder is absent.
 */
export async function repoJsonFiles(host: RepoReadHost, dir: string, suffix = '.json'): Promise<string[]> {
  const names = await host.readDirectory(dir).catch(() => [] as string[]);
  return names.filter((n) => n.toLowerCase().endsWith(suffix)).sort().map((n) => path.join(dir, n));
}

/** The pipeline files of the repo: `pipeline/*.json`. */
export function pipelineFiles(host: RepoReadHost, repoRoot: string): Promise<string[]> {
  return repoJsonFiles(host, adfRepoFolder(repoRoot, 'pipeline'));
}

/** Where ADF's git integration writes pipeline `name`: `<repoRoot>/pipeline/<name>.json` (the file may not be there). */
export function pipelineFilePath(repoRoot: string, name: string): string {
  return path.join(adfRepoFolder(repoRoot, 'pipeline'), `${name}.json`);
}

/** Whether `file` is named after pipeline `name` (`<name>.json`, in any case: ADF's names are case-insensitive). */
export function isFileOfPipeline(file: string, name: string): boolean {
  return foldName(path.basename(file)) === foldName(`${name}.json`);
}

/** The `name` a pipeline file declares; undefined when the text is not JSON or has no string `name`. */
export function declaredPipelineName(text: string): string | undefined {
  return stringValue(valueNode(parseJson(new SourceText('', text)).root, 'name'));
}

/** A pipeline's file, and its text (undefined when the file is there but cannot be read: a FIFO, too large). */
export interface PipelineFile {
  file: string;
  text: string | undefined;
}

/**
 * The file of pipeline `name` in the ADF git repo at `repoRoot`, the one rule every reader uses
 * (lint, the run engine, deployed status, the sandbox's lookups):
 * 1. `pipeline/<name>.json`, as ADF's git integration names it;
 * 2. else a `pipeline/*.json` whose file name differs only in case (ADF's names are
 *    case-insensitive; a case-sensitive file system is not), even one that cannot be read, so the
 *    caller can say why;
 * 3. else a readable `pipeline/*.json` whose `name` is `name`, in any case (a file renamed by hand).
 * Undefined when there is none.
 */
export async function findPipelineFile(host: RepoReadHost, repoRoot: string, name: string): Promise<PipelineFile | undefined> {
  const expected = pipelineFilePath(repoRoot, name);
  const text = await host.readFile(expected);
  if (text !== undefined) return { file: expected, text };
  const files = await pipelineFiles(host, repoRoot);
  const named = files.find((f) => isFileOfPipeline(f, name));
  if (named) return { file: named, text: named === expected ? undefined : await host.readFile(named) };
  // Only a file whose text holds the name is parsed: lint runs this on every keystroke while a
  // config names no pipeline, over every pipeline of the repo.
  const folded = foldName(name);
  for (const file of files) {
    const other = await host.readFile(file);
    if (other === undefined || !foldName(other).includes(folded)) continue;
    const declared = declaredPipelineName(other);
    if (declared !== undefined && sameName(declared, name)) return { file, text: other };
  }
  return undefined;
}

/** The facts of pipeline `name` (found by findPipelineFile's rule); undefined when there is no readable one. */
export async function findPipeline(host: RepoReadHost, repoRoot: string, name: string): Promise<PipelineFacts | undefined> {
  const found = await findPipelineFile(host, repoRoot, name);
  return found?.text === undefined ? undefined : readPipeline(new SourceText(found.file, found.text));
}
