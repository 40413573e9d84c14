/**
 * Live status and drift of each link's ends through the SDK clients (cloud or sandbox alike):
 * DescribeStateMachine + ListExecutions for the state machine, pipelines.get + queryByFactory for
 * the pipeline, the deployed definitions compared with the local files by src/core/status.
 */
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { DataFactoryManagementClient } from '@azure/arm-datafactory';
import type { BridgeConfigModel, LinkModel } from '../../core/config/model';
import { findPipelineFile, pipelineFilePath } from '../../core/adf/repo';
import { parseArn, stateMachineLabel } from '../../core/config/arn';
import type { FileHost } from '../../core/host';
import { compareDefinitions, type DefinitionKind } from '../../core/status/drift';
import { publishedPipelineNote, type EndStatus, type LinkStatus, type StatusReport } from '../../core/status/model';
import { cloudErrorShape, describeCloudError, httpStatusOf, serviceCodeOf, type CloudErrorContext } from '../identity/errors';

export interface StatusClients {
  sfn: SFNClient;
  adf: DataFactoryManagementClient;
  resourceGroup: string;
  factoryName: string;
}

export interface StatusOptions {
  host: FileHost;
  clientsFor(config: BridgeConfigModel): StatusClients;
  /** What error lines name (profile, tenant, subscription) for a config. */
  errorContext?(config: BridgeConfigModel): CloudErrorContext;
  /** The detail behind a one-line error (credential chains, raw service errors): for the log. */
  onDetail?(detail: string): void;
  /** Only these links (by name). */
  links?: string[];
  signal?: AbortSignal;
}

/** Checks every link's ends; each state machine and pipeline is asked about once per config. */
export async function collectStatus(configs: BridgeConfigModel[], options: StatusOptions): Promise<StatusReport> {
  const report: StatusReport = { links: [] };
  for (const config of configs) {
    const cache = new Map<string, Promise<EndStatus>>();
    const once = (key: string, make: () => Promise<EndStatus>) => {
      let p = cache.get(key);
      if (!p) cache.set(key, (p = make()));
      return p;
    };
    let clients: StatusClients | undefined;
    const lazyClients = () => (clients ??= options.clientsFor(config));
    for (const link of config.links) {
      if (options.links && !options.links.includes(link.name)) continue;
      options.signal?.throwIfAborted();
      const ends: Promise<EndStatus>[] = [];
      const arn = link.stateMachine?.arn;
      if (arn) ends.push(once(`sfn ${arn} ${link.stateMachine?.definition ?? ''}`, () => stateMachineStatus(config, link, arn, lazyClients(), options)));
      const pipeline = link.adf?.pipeline;
      if (pipeline) ends.push(once(`adf ${pipeline}`, () => pipelineStatus(config, pipeline, lazyClients(), options)));
      report.links.push({ config: config.path, link: link.name, ends: await Promise.all(ends) } satisfies LinkStatus);
    }
  }
  return report;
}

async function stateMachineStatus(config: BridgeConfigModel, link: LinkModel, arn: string, clients: StatusClients, options: StatusOptions): Promise<EndStatus> {
  const sfn = require('@aws-sdk/client-sfn') as typeof import('@aws-sdk/client-sfn');
  const end: EndStatus = { kind: 'stateMachine', name: arn, state: 'in-sync' };
  const context = { ...options.errorContext?.(config), cloud: 'aws' as const, resource: arn };
  let deployedText: string | undefined;
  try {
    const described = await clients.sfn.send(new sfn.DescribeStateMachineCommand({ stateMachineArn: arn }), { abortSignal: options.signal });
    end.status = described.status;
    end.type = described.type;
    deployedText = described.definition;
  } catch (e) {
    if (cloudErrorShape(e).name === 'StateMachineDoesNotExist') {
      return { ...end, state: 'missing', message: `State machine ${stateMachineLabel(arn)} is not deployed in ${parseArn(arn)?.region} (account ${parseArn(arn)?.account}): deploy it, or fix stateMachine.arn.` };
    }
    return failed(end, e, { ...context, operation: 'DescribeStateMachine' }, options);
  }
  try {
    const listed = await clients.sfn.send(new sfn.ListExecutionsCommand({ stateMachineArn: arn, maxResults: 1 }), { abortSignal: options.signal });
    const last = listed.executions?.[0];
    if (last) end.lastRun = { id: last.executionArn ?? last.name ?? '', status: last.status ?? 'UNKNOWN', start: last.startDate?.toISOString() };
  } catch (e) {
    // The definition was read; a missing states:ListExecutions permission is named, the end stays checked.
    const described = describeCloudError(e, { ...context, operation: 'ListExecutions' });
    options.onDetail?.(described.detail);
    end.lastRunError = described.line;
  }
  return compareWithLocal(end, link.stateMachine?.definition, deployedText, 'asl', options, (local) => local);
}

async function pipelineStatus(config: BridgeConfigModel, pipeline: string, clients: StatusClients, options: StatusOptions): Promise<EndStatus> {
  const end: EndStatus = { kind: 'pipeline', name: pipeline, state: 'in-sync' };
  const context = { ...options.errorContext?.(config), cloud: 'azure' as const, resource: pipeline, factory: clients.factoryName, resourceGroup: clients.resourceGroup };
  let publishedText: string | undefined;
  try {
    // The raw body: the SDK's model flattens and re-types activities, the repo file does not.
    await clients.adf.pipelines.get(clients.resourceGroup, clients.factoryName, pipeline, {
      abortSignal: options.signal,
      onResponse: (raw) => {
        publishedText = raw.bodyAsText ?? undefined;
      },
    });
  } catch (e) {
    if (serviceCodeOf(e) === 'PipelineNotFound' || (httpStatusOf(e) === 404 && /pipeline/i.test(String(cloudErrorShape(e).message)))) {
      return { ...end, state: 'missing', runsOtherThanBranch: true, message: publishedPipelineNote(pipeline, 'missing') };
    }
    return failed(end, e, { ...context, operation: 'pipelinesGet' }, options);
  }
  try {
    const now = Date.now();
    const runs = await clients.adf.pipelineRuns.queryByFactory(
      clients.resourceGroup,
      clients.factoryName,
      {
        lastUpdatedAfter: new Date(now - 30 * 24 * 3600_000),
        lastUpdatedBefore: new Date(now + 60_000),
        filters: [{ operand: 'PipelineName', operator: 'Equals', values: [pipeline] }],
        orderBy: [{ orderBy: 'RunStart', order: 'DESC' }],
      },
      { abortSignal: options.signal },
    );
    const last = runs.value[0];
    if (last) end.lastRun = { id: last.runId ?? '', status: last.status ?? 'Unknown', start: last.runStart?.toISOString() };
  } catch (e) {
    const described = describeCloudError(e, { ...context, operation: 'queryByFactory' });
    options.onDetail?.(described.detail);
    end.lastRunError = described.line;
  }
  const repoRoot = config.azure?.repoRoot;
  const repoFile = repoRoot ? ((await findPipelineFile(options.host, repoRoot, pipeline))?.file ?? pipelineFilePath(repoRoot, pipeline)) : undefined;
  let publishedProperties: string | undefined;
  try {
    publishedProperties = publishedText === undefined ? undefined : JSON.stringify(JSON.parse(publishedText)?.properties ?? {});
  } catch {
    publishedProperties = undefined;
  }
  const result = await compareWithLocal(end, repoFile, publishedProperties, 'pipeline', options, (local) => (local as { properties?: unknown })?.properties ?? {});
  if (result.state === 'drift') {
    result.runsOtherThanBranch = true;
    result.message = publishedPipelineNote(pipeline, 'drift');
  }
  return result;
}

async function compareWithLocal(
  end: EndStatus,
  localFile: string | undefined,
  deployedText: string | undefined,
  kind: DefinitionKind,
  options: StatusOptions,
  pick: (local: unknown) => unknown,
): Promise<EndStatus> {
  const what = kind === 'asl' ? 'stateMachine.definition' : 'the pipeline file in azure.repoRoot';
  if (!localFile) return { ...end, state: 'unchecked', message: `no local file to compare with (set ${what})` };
  end.localFile = localFile;
  const text = await options.host.readFile(localFile);
  if (text === undefined) return { ...end, state: 'unchecked', message: `${localFile} could not be read, so the deployed definition was not compared (run "bridge lint").` };
  let local: unknown;
  try {
    local = pick(JSON.parse(text));
  } catch {
    return { ...end, state: 'unchecked', message: `${localFile} is not valid JSON, so the deployed definition was not compared (run "bridge lint" for the place).` };
  }
  if (deployedText === undefined) return { ...end, state: 'unchecked', message: 'the service returned no definition to compare' };
  let deployed: unknown;
  try {
    deployed = JSON.parse(deployedText);
  } catch {
    return { ...end, state: 'unchecked', message: 'the deployed definition is not JSON (JSONata or a template?), so it was not compared' };
  }
  const drift = compareDefinitions(local, deployed, kind);
  return { ...end, drift, state: drift.inSync ? 'in-sync' : 'drift' };
}

function failed(end: EndStatus, e: unknown, context: CloudErrorContext, options: StatusOptions): EndStatus {
  const described = describeCloudError(e, context);
  options.onDetail?.(described.detail);
  return { ...end, state: 'error', message: described.line };
}
