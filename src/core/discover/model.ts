/**
 * Discovery: the factory's pipelines and the region's state machines that no link names yet, and
 * the link skeleton "Link…" writes for one of them. The listing itself is the cloud layer's
 * (src/cloud/discover); what counts as linked, where a resource is listed from and what a new link
 * looks like are decided here.
 */
import type { BridgeConfigModel } from '../config/model';
import type { AwsPartition, AzureCloud, TriggerName } from '../config/shape';

/** A factory to list pipelines from, with the configs that declare it. */
export interface FactorySource {
  kind: 'factory';
  key: string;
  subscriptionId: string;
  resourceGroup: string;
  factory: string;
  tenantId?: string;
  cloud: AzureCloud;
  configs: string[];
}

/** A region of an account to list state machines from (with the profile that signs in to it). */
export interface RegionSource {
  kind: 'region';
  key: string;
  region: string;
  accountId?: string;
  partition: AwsPartition;
  profile?: string;
  configs: string[];
}

export type DiscoverySource = FactorySource | RegionSource;

export interface DiscoveredPipeline {
  kind: 'pipeline';
  name: string;
  source: FactorySource;
}

export interface DiscoveredStateMachine {
  kind: 'stateMachine';
  arn: string;
  name: string;
  type?: string;
  source: RegionSource;
}

export type DiscoveredResource = DiscoveredPipeline | DiscoveredStateMachine;

/** The factories and regions the configs point at, each once (configs sharing one are listed together). */
export function discoverySources(configs: BridgeConfigModel[]): DiscoverySource[] {
  const out = new Map<string, DiscoverySource>();
  for (const config of configs) {
    const a = config.azure;
    if (a?.subscriptionId && a.resourceGroup && a.factory) {
      const key = `factory ${a.cloud} ${a.subscriptionId} ${a.resourceGroup} ${a.factory}`.toLowerCase();
      const existing = out.get(key);
      if (existing) existing.configs.push(config.path);
      else out.set(key, { kind: 'factory', key, subscriptionId: a.subscriptionId, resourceGroup: a.resourceGroup, factory: a.factory, tenantId: a.tenantId, cloud: a.cloud, configs: [config.path] });
    }
    const w = config.aws;
    if (w?.region) {
      const key = `region ${w.partition} ${w.accountId ?? ''} ${w.region} ${w.profile ?? ''}`.toLowerCase();
      const existing = out.get(key);
      if (existing) existing.configs.push(config.path);
      else out.set(key, { kind: 'region', key, region: w.region, accountId: w.accountId, partition: w.partition, profile: w.profile, configs: [config.path] });
    }
  }
  return [...out.values()];
}

/** Pipelines of a factory that no link of the configs declaring that factory names. */
export function unlinkedPipelines(source: FactorySource, configs: BridgeConfigModel[], names: string[]): DiscoveredPipeline[] {
  const linked = new Set<string>();
  for (const config of configs) {
    if (!source.configs.includes(config.path)) continue;
    for (const link of config.links) if (link.adf?.pipeline) linked.add(link.adf.pipeline.toLowerCase());
  }
  // ADF pipeline names are case-insensitive.
  return names.filter((n) => !linked.has(n.toLowerCase())).map((name) => ({ kind: 'pipeline', name, source }));
}

/** State machines of a region that no link of any config names (ARNs are global). */
export function unlinkedStateMachines(source: RegionSource, configs: BridgeConfigModel[], machines: { arn: string; name: string; type?: string }[]): DiscoveredStateMachine[] {
  const linked = new Set<string>();
  for (const config of configs) for (const link of config.links) if (link.stateMachine?.arn) linked.add(link.stateMachine.arn);
  return machines.filter((m) => !linked.has(m.arn)).map((m) => ({ kind: 'stateMachine', arn: m.arn, name: m.name, type: m.type, source }));
}

/** The triggers a new link for this resource can have, the likeliest first. */
export function triggersFor(resource: DiscoveredResource): TriggerName[] {
  return resource.kind === 'pipeline' ? ['adf-to-sfn', 'sfn-to-adf'] : ['adf-to-sfn', 'sfn-to-adf', 's3-to-sfn'];
}
