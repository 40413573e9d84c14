/**
 * Reads an ADF git folder (the branch the user is working on): pipeline/*.json, the factory's
 * global parameters (factory/*.json) and the sandbox's mocked activity outputs (*.sandbox.json).
 *
 * Files are read again on every request so edits to the branch show up without a restart.
 */
import { adfRepoFolder, isFileOfPipeline, pipelineFiles, repoJsonFiles } from '../../core/adf/repo';
import { CaseInsensitiveMap } from '../../core/adf/names';
import { nodeFileHost, readTextFileSync } from '../../core/node-host';
import { parseJsonBounded } from '../http-input';

/** One activity as it appears in pipeline JSON (only the keys the engine reads are typed). */
export interface ActivityJson {
  name: string;
  type: string;
  dependsOn?: { activity: string; dependencyConditions: string[] }[];
  typeProperties?: Record<string, unknown>;
  policy?: { timeout?: string; retry?: number | string; retryIntervalInSeconds?: number };
  linkedServiceName?: { referenceName?: string };
  userProperties?: { name: string; value: unknown }[];
  state?: string;
  onInactiveMarkAs?: string;
  [key: string]: unknown;
}

export interface ParameterSpec {
  type: string;
  defaultValue?: unknown;
}

export interface VariableSpec {
  type: string;
  defaultValue?: unknown;
}

export interface PipelineJson {
  name: string;
  properties: {
    description?: string;
    activities?: ActivityJson[];
    parameters?: Record<string, ParameterSpec>;
    variables?: Record<string, VariableSpec>;
    annotations?: unknown[];
    folder?: { name: string };
    concurrency?: number;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export interface LoadedPipeline {
  name: string;
  file: string;
  json: PipelineJson;
}

/** A pipeline file that could not be used, with the reason (never dropped silently). */
export interface RepoProblem {
  file: string;
  message: string;
}

/**
 * Mocked outputs for activities the sandbox does not emulate (Copy, Lookup, notebooks…), and
 * optional forced results for any activity. Shape of a `*.sandbox.json` file in the repo root and
 * of the `mockedActivityOutputs` option.
 */
export interface MockedActivityOutputs {
  /** Per pipeline, per activity name. Wins over `activityTypes`. */
  pipelines?: Record<string, { activities?: Record<string, MockedActivityResult> }>;
  /** Per activity type (e.g. "Copy", "Lookup"), for every pipeline. */
  activityTypes?: Record<string, MockedActivityResult>;
}

export interface MockedActivityResult {
  /** The activity's output (JSON). */
  output?: unknown;
  /** "Succeeded" (default) or "Failed". */
  status?: 'Succeeded' | 'Failed';
  /** The error when status is "Failed". */
  error?: { errorCode?: string; message?: string; failureType?: string };
}

export interface LoadedRepo {
  /** By the name each file declares; looked up without regard to case, as ADF does. */
  pipelines: CaseInsensitiveMap<LoadedPipeline>;
  globalParameters: Record<string, unknown>;
  mocks: MockedActivityOutputs;
  problems: RepoProblem[];
}

/** Thrown for a repo file that cannot be used; the message completes "<file> …" or stands alone. */
class RepoFileError extends Error {}

/**
 * A repo file's JSON through the one safe reader (regular files within the size limit, never a
 * FIFO or a device), its depth bounded like every request (the reader drops a byte order mark, as ADF's git does).
 */
function readJsonFile(file: string): unknown {
  const read = readTextFileSync(file);
  if (!read.ok) throw new RepoFileError(`The file ${read.reason}`);
  const parsed = parseJsonBounded(read.text, 'The file');
  if (!parsed.ok) throw new RepoFileError(parsed.reason === 'depth' ? parsed.message : `Not valid JSON (${parsed.message.replace(/^The file is not valid JSON: |\.$/g, '')})`);
  return parsed.value;
}

function listJson(dir: string, suffix = '.json'): Promise<string[]> {
  return repoJsonFiles(nodeFileHost, dir, suffix);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Merges mocked outputs; later sources win per activity / per type. */
export function mergeMocks(...sources: (MockedActivityOutputs | undefined)[]): MockedActivityOutputs {
  // Null-prototype maps: the names are the user's ("constructor" is a pipeline name like any other).
  const out: MockedActivityOutputs = { pipelines: Object.create(null), activityTypes: Object.create(null) };
  for (const src of sources) {
    if (!src) continue;
    for (const [type, result] of Object.entries(src.activityTypes ?? {})) out.activityTypes![type] = result;
    for (const [pipeline, spec] of Object.entries(src.pipelines ?? {})) {
      const target = (out.pipelines![pipeline] ??= { activities: Object.create(null) });
      for (const [activity, result] of Object.entries(spec.activities ?? {})) target.activities![activity] = result;
    }
  }
  return out;
}

function checkMocks(value: unknown, file: string, problems: RepoProblem[]): MockedActivityOutputs | undefined {
  if (!isObject(value)) {
    problems.push({ file, message: 'A *.sandbox.json file must hold an object: { "pipelines": { "<pipeline>": { "activities": { "<activity>": { "output": {…} } } } }, "activityTypes": { "<type>": { "output": {…} } } }.' });
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (key !== 'pipelines' && key !== 'activityTypes' && key !== '$schema') {
      problems.push({ file, message: `Unknown key "${key}" in a *.sandbox.json file; the known keys are "pipelines" and "activityTypes".` });
    }
  }
  return value as MockedActivityOutputs;
}

export async function loadRepo(repoRoot: string): Promise<LoadedRepo> {
  const problems: RepoProblem[] = [];
  const pipelines = new CaseInsensitiveMap<LoadedPipeline>();
  for (const file of await pipelineFiles(nodeFileHost, repoRoot)) {
    let json: unknown;
    try {
      json = readJsonFile(file);
    } catch (e) {
      problems.push({ file, message: `${(e as Error).message}; fix the file to run this pipeline in the sandbox.` });
      continue;
    }
    if (!isObject(json) || typeof json.name !== 'string' || !isObject(json.properties)) {
      problems.push({ file, message: 'Not an ADF pipeline: expected { "name": "...", "properties": { "activities": [...] } }.' });
      continue;
    }
    const loaded: LoadedPipeline = { name: json.name, file, json: json as unknown as PipelineJson };
    const claimed = pipelines.get(json.name);
    if (claimed) {
      // Two files, one pipeline (names are unique in a factory, whatever their case): the one named
      // after it wins, as findPipelineFile (src/core/adf/repo.ts) decides for lint and the run engine.
      const [kept, dropped] = isFileOfPipeline(file, json.name) && !isFileOfPipeline(claimed.file, claimed.name) ? [loaded, claimed] : [claimed, loaded];
      problems.push({ file: dropped.file, message: `It declares pipeline "${dropped.name}" too, as ${kept.file} does: a factory's pipeline names are unique (case-insensitively). Rename or remove one of them; the sandbox runs ${kept.file}.` });
      if (kept === claimed) continue;
      pipelines.delete(claimed.name);
    }
    pipelines.set(json.name, loaded);
  }
  const globalParameters: Record<string, unknown> = {};
  for (const file of await listJson(adfRepoFolder(repoRoot, 'factory'))) {
    try {
      const json = readJsonFile(file);
      const gp = isObject(json) && isObject(json.properties) ? json.properties.globalParameters : undefined;
      if (isObject(gp)) {
        for (const [name, spec] of Object.entries(gp)) {
          globalParameters[name] = isObject(spec) && 'value' in spec ? spec.value : spec;
        }
      }
    } catch (e) {
      problems.push({ file, message: `${(e as Error).message}; its global parameters are not available.` });
    }
  }
  const mockSources: MockedActivityOutputs[] = [];
  for (const file of await listJson(repoRoot, '.sandbox.json')) {
    try {
      const m = checkMocks(readJsonFile(file), file, problems);
      if (m) mockSources.push(m);
    } catch (e) {
      problems.push({ file, message: `${(e as Error).message}; its mocked outputs are not used.` });
    }
  }
  return { pipelines, globalParameters, mocks: mergeMocks(...mockSources), problems };
}
