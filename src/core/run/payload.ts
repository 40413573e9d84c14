/**
 * Where a test run's payload comes from: the caller's value or file, the link's first payload, or
 * a generated dummy. A broken payload file of the link is not fatal (a dummy is generated), but
 * the run says so, so nobody mistakes the dummy's result for the file's.
 */
import path = require('node:path');
import type { BridgeConfigModel, LinkModel } from '../config/model';
import type { FileHost } from '../host';
import { findPipeline, type RepoReadHost } from '../adf/repo';
import type { PipelineParameter } from './plan';
import type { PayloadChoice } from './request';

export interface ResolvedPayload {
  /** undefined: plan a generated dummy (planTestRun decides its shape from the trigger). */
  value: unknown;
  /** For people: where it came from ("payloads/a.json", "generated from the parameters of pipeline X" …). */
  source: string;
  /** Set when the link's own payload file could not be used and a dummy stands in for it. */
  warning?: string;
  /** The pipeline's declared parameters, for a dummy of an adf-to-sfn link. */
  pipelineParameters?: Record<string, PipelineParameter>;
}

/** A payload the caller named explicitly could not be read: the run does not start. */
export class PayloadError extends Error {}

export async function resolvePayload(config: BridgeConfigModel, link: LinkModel, choice: PayloadChoice, host: FileHost): Promise<ResolvedPayload> {
  const shown = (file: string) => path.relative(path.dirname(config.path), file) || file;
  if (choice && 'value' in choice) return { value: choice.value, source: 'given by the caller' };
  if (choice && 'file' in choice) {
    const read = await readJson(host, choice.file);
    if ('problem' in read) throw new PayloadError(`The payload file ${choice.file} ${read.problem}. Fix it, or leave out --payload to use the link's own.`);
    return { value: read.value, source: choice.file };
  }
  let warning: string | undefined;
  const first = link.payloads[0];
  if (first) {
    const read = await readJson(host, first);
    if (!('problem' in read)) return { value: read.value, source: shown(first) };
    warning = `The payload file ${shown(first)} of link "${link.name}" ${read.problem}, so a dummy payload was generated instead. Fix the file (bridge lint shows where) to run with it.`;
  }
  const dummy = await dummySource(config, link, host);
  return { value: undefined, ...dummy, source: warning ? `${dummy.source}, because ${shown(first!)} is broken` : dummy.source, ...(warning ? { warning } : {}) };
}

async function dummySource(config: BridgeConfigModel, link: LinkModel, host: FileHost): Promise<Pick<ResolvedPayload, 'source' | 'pipelineParameters'>> {
  if (link.trigger === 'adf-to-sfn') {
    const pipeline = link.adf?.pipeline;
    const pipelineParameters = await linkPipelineParameters(config, link, host);
    if (!pipelineParameters) return { source: `a dummy: no parameters (pipeline ${pipeline ?? '?'} was not found under azure.repoRoot)`, pipelineParameters: {} };
    return { source: `a dummy generated from the parameters of pipeline ${pipeline}`, pipelineParameters };
  }
  if (link.trigger === 's3-to-sfn') return { source: 'a dummy S3 "Object Created" event for the link\'s bucket and prefix' };
  return { source: 'a dummy: an empty input with the correlation id' };
}

/**
 * The parameters the pipeline of a link declares (its type, and whether it has a default), as a
 * dummy payload is made from them; undefined when the repo has no such pipeline.
 */
export async function linkPipelineParameters(config: BridgeConfigModel, link: LinkModel, host: RepoReadHost): Promise<Record<string, PipelineParameter> | undefined> {
  const pipeline = link.adf?.pipeline;
  const facts = pipeline && config.azure?.repoRoot ? await findPipeline(host, config.azure.repoRoot, pipeline) : undefined;
  if (!facts) return undefined;
  const parameters: Record<string, PipelineParameter> = {};
  for (const [name, p] of facts.parameters) parameters[name] = { type: p.type, defaultValue: p.hasDefault ? true : undefined };
  return parameters;
}

async function readJson(host: FileHost, file: string): Promise<{ value: unknown } | { problem: string }> {
  const text = await host.readFile(file);
  if (text === undefined) return { problem: 'could not be read' };
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    return { problem: `is not valid JSON (${(e as Error).message})` };
  }
}
