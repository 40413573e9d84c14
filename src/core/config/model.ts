import path = require('node:path');
import type { Node } from 'jsonc-parser';
import { entries, jsonValue, nodeAt, parseJson } from '../json/jsonc';
import { SourceText, type Range } from '../text';
import { stateMachineName } from './arn';
import { pipelineFilePath } from '../adf/repo';
import { AWS_PARTITIONS, AZURE_CLOUDS, TRIGGER_NAMES, type AwsPartition, type AzureCloud, type TriggerName } from './shape';

/**
 * A bridge config as plain data with resolved paths, for the features that act on it (sandbox,
 * test runs, tree). Read tolerantly: what is missing or of the wrong type is left out, and the
 * lint rules say why. Never throws.
 */
export interface BridgeConfigModel {
  path: string;
  azure?: {
    tenantId?: string;
    subscriptionId?: string;
    resourceGroup?: string;
    factory?: string;
    cloud: AzureCloud;
    repoRoot?: string;
  };
  aws?: { accountId?: string; region?: string; partition: AwsPartition; profile?: string };
  environments: Record<string, { protected: boolean }>;
  links: LinkModel[];
}

export interface LinkModel {
  name: string;
  environment?: string;
  trigger?: TriggerName;
  adf?: { pipeline?: string; activity?: string };
  stateMachine?: { arn?: string; name?: string; definition?: string };
  gateway?: { url?: string; issuer?: string; audience?: string; throttle?: { rateLimit: number; burstLimit: number }; accessLogGroup?: string };
  identity?: { azurePrincipalId?: string; awsRoleArn?: string };
  correlation?: { adfParameter?: string; sfnInputPath?: string };
  s3?: { bucket?: string; prefix?: string; suffix?: string };
  payloads: string[];
  mocks?: string;
  /** Where the link is written in its config (editors reveal, select and put lenses there). */
  locations?: LinkLocations;
}

/** Ranges in the config's text, 0-based lines and UTF-16 characters (LSP style). */
export interface LinkLocations {
  /** The link's name, the key of its entry in `links`. */
  key: Range;
  /** The whole entry, key and value. */
  entry: Range;
  /** The value of each block, where the link has it. */
  adf?: Range;
  stateMachine?: Range;
  gateway?: Range;
  s3?: Range;
  /** The value of each entry of `payloads`, in the order of `payloads`. */
  payloads: Range[];
}

export function readBridgeConfig(configPath: string, text: string): BridgeConfigModel {
  const src = new SourceText(configPath, text);
  const root = parseJson(src).root;
  const dir = path.dirname(configPath);
  const str = (node: Node | undefined, p: (string | number)[]) => {
    const n = nodeAt(node, p);
    return n?.type === 'string' ? (n.value as string) : undefined;
  };
  const num = (node: Node | undefined, p: string[]) => {
    const n = nodeAt(node, p);
    return n?.type === 'number' ? (n.value as number) : undefined;
  };
  const resolve = (p: string | undefined) => (p ? path.resolve(dir, p) : undefined);
  const oneOf = <T extends string>(value: string | undefined, allowed: readonly T[], fallback: T): T => ((allowed as readonly string[]).includes(value ?? '') ? (value as T) : fallback);
  const has = (node: Node | undefined, key: string) => nodeAt(node, [key])?.type === 'object';
  const rangeOf = (node: Node): Range => ({ start: src.positionAt(node.offset), end: src.positionAt(node.offset + node.length) });
  const blockRange = (link: Node, key: string) => {
    const n = nodeAt(link, [key]);
    return n ? rangeOf(n) : undefined;
  };

  const model: BridgeConfigModel = { path: configPath, environments: {}, links: [] };
  if (root?.type !== 'object') return model;
  if (has(root, 'azure')) {
    model.azure = {
      tenantId: str(root, ['azure', 'tenantId']),
      subscriptionId: str(root, ['azure', 'subscriptionId']),
      resourceGroup: str(root, ['azure', 'resourceGroup']),
      factory: str(root, ['azure', 'factory']),
      cloud: oneOf(str(root, ['azure', 'cloud']), AZURE_CLOUDS, 'AzureCloud'),
      repoRoot: resolve(str(root, ['azure', 'repoRoot'])),
    };
  }
  if (has(root, 'aws')) {
    model.aws = {
      accountId: str(root, ['aws', 'accountId']),
      region: str(root, ['aws', 'region']),
      partition: oneOf(str(root, ['aws', 'partition']), AWS_PARTITIONS, 'aws'),
      profile: str(root, ['aws', 'profile']),
    };
  }
  for (const [name, env] of entries(nodeAt(root, ['environments']))) {
    const protectedNode = env.type === 'object' ? nodeAt(env, ['protected']) : undefined;
    model.environments[name] = { protected: !!protectedNode && jsonValue(protectedNode) === true };
  }
  const envNames = Object.keys(model.environments);
  for (const [name, link, property] of entries(nodeAt(root, ['links']))) {
    if (link.type !== 'object') continue;
    const arn = str(link, ['stateMachine', 'arn']);
    const rate = num(link, ['gateway', 'throttle', 'rateLimit']);
    const burst = num(link, ['gateway', 'throttle', 'burstLimit']);
    const payloadsNode = nodeAt(link, ['payloads']);
    const payloadNodes = payloadsNode?.type === 'array' ? (payloadsNode.children ?? []).filter((c) => c.type === 'string') : [];
    model.links.push({
      name,
      environment: str(link, ['environment']) ?? (envNames.length === 1 ? envNames[0] : undefined),
      trigger: oneOf(str(link, ['trigger']), TRIGGER_NAMES, undefined as unknown as TriggerName) || undefined,
      adf: has(link, 'adf') ? { pipeline: str(link, ['adf', 'pipeline']), activity: str(link, ['adf', 'activity']) } : undefined,
      stateMachine: has(link, 'stateMachine')
        ? { arn, name: arn ? stateMachineName(arn) : undefined, definition: resolve(str(link, ['stateMachine', 'definition'])) }
        : undefined,
      gateway: has(link, 'gateway')
        ? {
            url: str(link, ['gateway', 'url']),
            issuer: str(link, ['gateway', 'issuer']),
            audience: str(link, ['gateway', 'audience']),
            throttle: rate !== undefined && burst !== undefined ? { rateLimit: rate, burstLimit: burst } : undefined,
            accessLogGroup: str(link, ['gateway', 'accessLogGroup']),
          }
        : undefined,
      identity: has(link, 'identity') ? { azurePrincipalId: str(link, ['identity', 'azurePrincipalId']), awsRoleArn: str(link, ['identity', 'awsRoleArn']) } : undefined,
      correlation: has(link, 'correlation') ? { adfParameter: str(link, ['correlation', 'adfParameter']), sfnInputPath: str(link, ['correlation', 'sfnInputPath']) } : undefined,
      s3: has(link, 's3') ? { bucket: str(link, ['s3', 'bucket']), prefix: str(link, ['s3', 'prefix']), suffix: str(link, ['s3', 'suffix']) } : undefined,
      payloads: payloadNodes.map((c) => path.resolve(dir, c.value as string)),
      mocks: resolve(str(link, ['mocks'])),
      locations: {
        key: rangeOf(property.children![0]),
        entry: rangeOf(property),
        adf: blockRange(link, 'adf'),
        stateMachine: blockRange(link, 'stateMachine'),
        gateway: blockRange(link, 'gateway'),
        s3: blockRange(link, 's3'),
        payloads: payloadNodes.map(rangeOf),
      },
    });
  }
  return model;
}

/** Whether the protected-environment guard applies to a link. */
export function isProtected(config: BridgeConfigModel, link: LinkModel): boolean {
  return !!link.environment && !!config.environments[link.environment]?.protected;
}

/**
 * Where ADF's git integration writes the pipeline a link's `adf.pipeline` names (pipelineFilePath).
 * Synchronous, for keying the link's files; to read the pipeline use findPipelineFile
 * (src/core/adf/repo.ts), which also finds it under another case or file name.
 */
export function pipelinePath(config: BridgeConfigModel, link: LinkModel): string | undefined {
  const root = config.azure?.repoRoot;
  const name = link.adf?.pipeline;
  return root && name ? pipelineFilePath(root, name) : undefined;
}
