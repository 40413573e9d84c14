import type { Node } from 'jsonc-parser';
import { keyNode, nodeAt, valueNode } from '../json/jsonc';
import type { LinkFacts } from '../config/rules';
import { relatedOnNode, type DiagnosticSink } from '../rules/report';
import type { RelatedLocation } from '../diagnostics';
import { closest } from '../config/suggest';
import { forEachExpressionString } from './expression';
import type { ActivityFacts, PipelineFacts } from './repo';
import type { SourceText } from '../text';
import { CaseInsensitiveSet } from './names';

const CALLING_TYPES = new Set(['WebActivity', 'WebHook']);

/**
 * Rules that hold a link against its pipeline: the activity it names, the URL and audience the
 * activity calls with, and the correlation parameter. `config` is the bridge config's text.
 */
export function checkLinkAgainstPipeline(config: SourceText, link: LinkFacts, pipeline: PipelineFacts, sink: DiagnosticSink): void {
  const p = pipeline.src;
  if (link.correlationParameter && pipeline.parsed.root && !pipeline.parameters.has(link.correlationParameter.value)) {
    const name = link.correlationParameter.value;
    const other = closest(name, [...pipeline.parameters.keys()]);
    sink.onNode(
      'correlation-parameter-missing',
      config,
      link.correlationParameter.node,
      `Pipeline "${link.pipeline!.value}" declares no parameter "${name}", so the correlation id has nowhere to go. ${other ? `Did you mean "${other}"? Otherwise declare` : 'Declare'} "${name}" (type String) in the pipeline's parameters.`,
      { kind: 'declare-pipeline-parameter', pipelineFile: p.path, name },
      { related: [pipelineParametersLocation(pipeline)] },
    );
  }
  if (link.trigger !== 'adf-to-sfn' || !link.activity) return;

  const activity = pipeline.activities.find((a) => a.name === link.activity!.value);
  if (!activity) {
    const names = pipeline.activities.map((a) => a.name);
    const other = closest(link.activity.value, names);
    sink.onNode(
      'activity-not-found',
      config,
      link.activity.node,
      `Pipeline "${link.pipeline!.value}" has no activity "${link.activity.value}".${other ? ` Did you mean "${other}"?` : names.length ? ` Its activities: ${names.slice(0, 12).join(', ')}${names.length > 12 ? ', …' : ''}.` : ' It has no activities.'}`,
      other ? { kind: 'replace-value', value: other } : undefined,
    );
    return;
  }
  if (!activity.type || !CALLING_TYPES.has(activity.type)) {
    // Reported where the fix is: the config's adf.activity, pointing at the activity's type.
    const callers = pipeline.activities.filter((a) => a.type && CALLING_TYPES.has(a.type)).map((a) => a.name);
    sink.onNode(
      'activity-type',
      config,
      link.activity.node,
      `Activity "${activity.name}" of pipeline "${link.pipeline!.value}" is a ${activity.type ?? 'activity without a type'}, but adf-to-sfn link "${link.name}" needs the WebActivity or WebHook that calls the gateway. Point adf.activity at that activity${callers.length ? ` (${callers.slice(0, 6).map((c) => `"${c}"`).join(', ')}${callers.length > 6 ? ', …' : ''})` : ''}.`,
      callers.length === 1 ? { kind: 'replace-value', value: callers[0] } : undefined,
      { related: [relatedOnNode(p, activity.typeNode ?? activity.nameNode, `the type of activity "${activity.name}"`)] },
    );
    return;
  }
  checkCallingActivity(config, p, link, activity, sink);
}

/** Where a pipeline declares its parameters (its `parameters` key, else its `properties` or root). */
function pipelineParametersLocation(pipeline: PipelineFacts): RelatedLocation {
  const properties = nodeAt(pipeline.parsed.root, ['properties']);
  const at = (properties && propertyKey(properties, 'parameters')) ?? keyNode(properties?.parent) ?? pipeline.parsed.root!;
  const names = [...pipeline.parameters.keys()];
  return relatedOnNode(pipeline.src, at, names.length ? `the parameters of pipeline "${pipeline.name ?? ''}": ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', …' : ''}` : `pipeline "${pipeline.name ?? ''}" declares no parameters`);
}

/** The key node of property `key` of object `obj`. */
function propertyKey(obj: Node, key: string): Node | undefined {
  return obj.children?.find((prop) => prop.children?.[0]?.value === key)?.children?.[0];
}

function checkCallingActivity(config: SourceText, p: SourceText, link: LinkFacts, activity: ActivityFacts, sink: DiagnosticSink): void {
  const tp = activity.typeProperties;
  const url = valueNode(tp, 'url');
  if (link.gatewayUrl && url?.type === 'string') {
    const text = url.value as string;
    const literal = !text.startsWith('@') || text.startsWith('@@');
    const value = text.startsWith('@@') ? text.slice(1) : text;
    if (literal && !text.includes('@{') && normaliseUrl(value) !== normaliseUrl(link.gatewayUrl.value)) {
      sink.onNode(
        'url-mismatch',
        p,
        url,
        `Activity "${activity.name}" calls ${value}, but link "${link.name}" declares gateway.url ${link.gatewayUrl.value}. Make them the same, or the pipeline calls a route the bridge does not know.`,
        { kind: 'replace-value', value: link.gatewayUrl.value },
        { related: [relatedOnNode(config, link.gatewayUrl.node, `gateway.url of link "${link.name}"`)] },
      );
    }
  }
  const resource = nodeAt(tp, ['authentication', 'resource']);
  if (link.audience) {
    const related = [relatedOnNode(config, link.audience.node, `gateway.audience of link "${link.name}"`)];
    if (resource?.type === 'string' && resource.value !== link.audience.value) {
      sink.onNode(
        'audience-mismatch',
        p,
        resource,
        `Activity "${activity.name}" asks for a token for "${resource.value as string}", but the gateway accepts audience "${link.audience.value}": every call would get 401. Set authentication.resource to "${link.audience.value}".`,
        { kind: 'replace-value', value: link.audience.value },
        { related },
      );
    } else if (!resource) {
      const auth = nodeAt(tp, ['authentication']);
      sink.onNode(
        'audience-mismatch',
        p,
        auth ?? activity.nameNode,
        `Activity "${activity.name}" sends no managed-identity token for audience "${link.audience.value}", but the gateway requires one. Add "authentication": { "type": "MSI", "resource": "${link.audience.value}" }.`,
        undefined,
        { related },
      );
    }
  }
  if (!forwardsCorrelation(activity, link.correlationParameter?.value, p)) {
    const body = valueNode(tp, 'body');
    const param = link.correlationParameter?.value;
    sink.onNode(
      'correlation-not-forwarded',
      p,
      body ?? activity.nameNode,
      `Activity "${activity.name}" never sends the correlation id, so its run cannot be joined with the state machine's. Reference ${param ? `@pipeline().parameters.${param} or ` : ''}@pipeline().RunId in its body or headers, for example "correlationId": "@{pipeline().${param ? `parameters.${param}` : 'RunId'}}".`,
    );
  }
}

function forwardsCorrelation(activity: ActivityFacts, parameter: string | undefined, src: SourceText): boolean {
  const sent = sentReferences(activity, src);
  return sent.runId || (parameter !== undefined && sent.parameters.has(parameter));
}

/** What an activity's body and headers reference: the pipeline's RunId, and which parameters. */
interface SentReferences {
  runId: boolean;
  parameters: CaseInsensitiveSet;
}

// Keyed by the activity of a pipeline's facts, which the LintCache keeps while the pipeline file
// is unchanged: a keystroke in a config does not re-parse every calling activity's expressions.
const sentReferencesOf = new WeakMap<ActivityFacts, SentReferences>();

function sentReferences(activity: ActivityFacts, src: SourceText): SentReferences {
  let sent = sentReferencesOf.get(activity);
  if (!sent) {
    const found: SentReferences = { runId: false, parameters: new CaseInsensitiveSet() };
    for (const key of ['body', 'headers']) {
      forEachExpressionString(valueNode(activity.typeProperties, key), src, (s) => {
        const refs = s.analysis.references;
        if (refs.systemVariables.some((v) => v.variable === 'RunId')) found.runId = true;
        for (const r of refs.parameters) found.parameters.add(r.name);
      });
    }
    sentReferencesOf.set(activity, (sent = found));
  }
  return sent;
}

function normaliseUrl(url: string): string {
  return url.trim().replace(/\/+$/, '').replace(/^(https?:\/\/[^/]+)/i, (host) => host.toLowerCase());
}

/**
 * `expression-error` over the whole pipeline: syntax, unknown functions, and names of parameters,
 * variables, activities and global parameters that do not exist.
 */
export function checkPipelineExpressions(pipeline: PipelineFacts, globalParameters: CaseInsensitiveSet | undefined, sink: DiagnosticSink): void {
  const src = pipeline.src;
  const activityNames = new Set(pipeline.activities.map((a) => a.name));
  const activityNamesAnyCase = new CaseInsensitiveSet(activityNames);
  const properties = nodeAt(pipeline.parsed.root, ['properties']);
  const activities = valueNode(properties, 'activities');
  // Declarations that are not an object (an ARM template's "[parameters('pipelineParameters')]")
  // are filled in at deployment: the names are unknown here, so none is reported missing.
  const knowsParameters = isObjectOrAbsent(valueNode(properties, 'parameters'));
  const knowsVariables = isObjectOrAbsent(valueNode(properties, 'variables'));
  const check = (root: Node | undefined) =>
    forEachExpressionString(root, src, (s) => {
      if (isActivityLabel(s.path)) return;
      for (const e of s.analysis.errors) sink.report('expression-error', src.path, s.sourceRange(e), e.message);
      const refs = s.analysis.references;
      // Parameter, variable and global parameter names are case-insensitive in ADF (./names.ts).
      for (const r of knowsParameters ? refs.parameters : []) {
        if (!pipeline.parameters.has(r.name)) sink.report('expression-error', src.path, s.sourceRange(r.nameSpan), unknownName('parameter', r.name, [...pipeline.parameters.keys()], 'Declare it under properties.parameters'));
      }
      for (const r of knowsVariables ? refs.variables : []) {
        if (!pipeline.variables.has(r.name)) sink.report('expression-error', src.path, s.sourceRange(r.nameSpan), unknownName('variable', r.name, [...pipeline.variables.keys()], 'Declare it under properties.variables'));
      }
      for (const r of refs.activities) {
        if (activityNames.has(r.name)) continue;
        // ADF names are case-insensitive (factories, pipelines, datasets, parameters, variables:
        // Microsoft's naming-rules page), and public pipelines reference activities in another case
        // than declared (activity('LKP_Get') for "lkp_Get"), publish and run: ADF resolves them, so
        // neither is a problem here (expression-error is an error, the spec's severity for it).
        if (activityNamesAnyCase.declared(r.name) !== undefined) continue;
        sink.report('expression-error', src.path, s.sourceRange(r.nameSpan), unknownName('activity', r.name, [...activityNames], 'Reference an activity of this pipeline'));
      }
      if (globalParameters) {
        for (const r of refs.globalParameters) {
          if (!globalParameters.has(r.name)) sink.report('expression-error', src.path, s.sourceRange(r.nameSpan), unknownName('global parameter', r.name, [...globalParameters], 'Declare it in the factory (factory/*.json, globalParameters)'));
        }
      }
    });
  check(activities);
}

function isObjectOrAbsent(node: Node | undefined): boolean {
  return node === undefined || node.type === 'object';
}

/**
 * An activity's own name or description (`[…, 3, "description"]`): ADF shows them, it never
 * evaluates them, so "@" there is text (a description such as "@daily: refresh the cache").
 */
function isActivityLabel(path: (string | number)[]): boolean {
  const key = path[path.length - 1];
  return (key === 'description' || key === 'name') && typeof path[path.length - 2] === 'number';
}

function unknownName(kind: string, name: string, known: string[], todo: string): string {
  const other = closest(name, known);
  return `This pipeline has no ${kind} "${name}".${other ? ` Did you mean "${other}"?` : ''} ${todo}, or fix the name.`;
}
