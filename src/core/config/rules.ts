import type { Node } from 'jsonc-parser';
import { entries, keyNode, nodeAt, propertyNode, valueNode } from '../json/jsonc';
import type { DiagnosticSink } from '../rules/report';
import { checkInlineSecrets } from '../rules/secrets';
import type { SourceText } from '../text';
import { arnProblem, formatArn, gatewayUrlRegion, parseArn } from './arn';
import { expectedIssuer, issuerFormatMessage, issuerHostsFor, parseIssuer } from './issuer';
import { AWS_PARTITIONS, AWS_REGION, GUID, AZURE_CLOUDS, CONFIG_SHAPE, FILE_PATH_KEYS, LINK_SHAPE, TRIGGERS, TRIGGER_NAMES, type AzureCloud, type ObjectShape, type Shape, type TriggerName } from './shape';
import { checkStructure, dotted, reportMissing } from './structure';

/** A string value with the node it came from, for ranges. */
export interface Located<T> {
  value: T;
  node: Node;
}

export function stringAt(root: Node | undefined, path: (string | number)[]): Located<string> | undefined {
  const node = nodeAt(root, path);
  return node?.type === 'string' ? { value: node.value as string, node } : undefined;
}

/** The facts of one link that the cross-file rules need, read tolerantly from the tree. */
export interface LinkFacts {
  name: string;
  keyNode: Node;
  node: Node;
  trigger: TriggerName | undefined;
  environment: string | undefined;
  pipeline: Located<string> | undefined;
  activity: Located<string> | undefined;
  definition: Located<string> | undefined;
  stateMachineArn: Located<string> | undefined;
  gatewayUrl: Located<string> | undefined;
  audience: Located<string> | undefined;
  correlationParameter: Located<string> | undefined;
  correlationInputPath: Located<string> | undefined;
  payloads: Located<string>[];
  mocks: Located<string> | undefined;
  roleArn: Located<string> | undefined;
}

export interface ConfigFacts {
  repoRoot: Located<string> | undefined;
  cloud: AzureCloud;
  links: LinkFacts[];
}

/** All rules that need only the config itself. Returns the facts the cross-file rules use. */
export function checkConfig(src: SourceText, root: Node, sink: DiagnosticSink): ConfigFacts | undefined {
  if (root.type !== 'object') {
    sink.onNode('invalid-type', src, root, `A bridge config must be a JSON object such as { "version": 1, "links": { … } }, not ${root.type === 'array' ? 'an array' : `a ${root.type}`}.`);
    return undefined;
  }
  checkStructure(src, root, CONFIG_SHAPE, sink, { path: [], keyNode: undefined });
  checkInlineSecrets(src, root, sink, 'a bridge config', FILE_PATH_KEYS);

  const version = valueNode(root, 'version');
  if (version?.type === 'number' && version.value !== 1) {
    sink.onNode('unsupported-version', src, version, `Version ${String(version.value)} is not supported: this extension reads version 1. Set "version": 1, or update the extension if the config was written for a newer one.`);
  }

  const azure = objectAt(root, ['azure']);
  const aws = objectAt(root, ['aws']);
  const cloudValue = stringAt(azure, ['cloud'])?.value;
  const cloud: AzureCloud = (AZURE_CLOUDS as readonly string[]).includes(cloudValue ?? '') ? (cloudValue as AzureCloud) : 'AzureCloud';
  const environments = checkEnvironments(src, objectAt(root, ['environments']), sink);
  const links: LinkFacts[] = [];
  const linksNode = objectAt(root, ['links']);
  const usesAzure = entries(linksNode).some(([, link]) => {
    const trigger = stringAt(link, ['trigger'])?.value;
    return trigger === 'adf-to-sfn' || trigger === 'sfn-to-adf';
  });
  if (usesAzure && !propertyNode(root, 'azure')) {
    reportMissing(src, root, { path: [], keyNode: undefined }, 'azure', CONFIG_SHAPE.properties.azure, sink, ' (a link has an ADF end)');
  }
  if (entries(linksNode).length > 0 && !propertyNode(root, 'aws')) {
    reportMissing(src, root, { path: [], keyNode: undefined }, 'aws', CONFIG_SHAPE.properties.aws, sink, ' (every link has a state machine)');
  }

  for (const [name, linkNode, prop] of entries(linksNode)) {
    if (linkNode.type !== 'object') continue;
    links.push(checkLink(src, name, linkNode, keyNode(prop)!, { azure, aws, cloud, environments }, sink));
  }
  checkSharedRoles(src, links, sink);
  return { repoRoot: stringAt(azure, ['repoRoot']), cloud, links };
}

function objectAt(root: Node | undefined, path: string[]): Node | undefined {
  const node = nodeAt(root, path);
  return node?.type === 'object' ? node : undefined;
}

const PRODUCTION_NAMES = /^(prod|production|prd)$/i;

function checkEnvironments(src: SourceText, envs: Node | undefined, sink: DiagnosticSink): string[] {
  const names: string[] = [];
  for (const [name, env, prop] of entries(envs)) {
    names.push(name);
    if (!PRODUCTION_NAMES.test(name)) continue;
    const protectedNode = env.type === 'object' ? valueNode(env, 'protected') : undefined;
    if (protectedNode?.type === 'boolean' && protectedNode.value === true) continue;
    const target = protectedNode ?? keyNode(prop)!;
    sink.onNode(
      'unprotected-prod',
      src,
      target,
      `Environment "${name}" looks like production but is not protected: test runs there would start real pipelines and state machines without asking. Add "protected": true.`,
      env.type === 'object' ? (protectedNode ? { kind: 'replace-value', value: true } : { kind: 'insert-property', path: ['environments', name], key: 'protected', value: true }) : undefined,
    );
  }
  return names;
}

interface Context {
  azure: Node | undefined;
  aws: Node | undefined;
  cloud: AzureCloud;
  environments: string[];
}

function checkLink(src: SourceText, name: string, link: Node, linkKey: Node, ctx: Context, sink: DiagnosticSink): LinkFacts {
  const path = ['links', name];
  const triggerValue = stringAt(link, ['trigger'])?.value;
  const trigger = (TRIGGER_NAMES as readonly string[]).includes(triggerValue ?? '') ? (triggerValue as TriggerName) : undefined;

  if (trigger) {
    const rules = TRIGGERS[trigger];
    for (const required of rules.requires) checkRequired(src, link, linkKey, path, required, trigger, sink);
    for (const banned of rules.notAllowed) {
      const parent = banned.length > 1 ? nodeAt(link, banned.slice(0, -1)) : link;
      const prop = propertyNode(parent, banned[banned.length - 1]);
      if (prop) {
        const what = banned.join('.');
        // The block should not be there at all: what is wrong inside it does not matter.
        sink.retract(src.path, { start: prop.offset, end: prop.offset + prop.length }, src, (d) => d.code === 'inline-secret');
        sink.onNode('not-allowed', src, keyNode(prop)!, `"${what}" is not allowed in a ${trigger} link: ${notAllowedWhy(trigger, what)} Remove it.`);
      }
    }
  }

  // Environment: named and declared, or implied by the only declared one.
  const envNode = valueNode(link, 'environment');
  let environment: string | undefined;
  if (envNode?.type === 'string') {
    environment = envNode.value as string;
    if (!ctx.environments.includes(environment)) {
      sink.onNode(
        'unknown-environment',
        src,
        envNode,
        ctx.environments.length
          ? `Environment "${environment}" is not declared. Declared: ${ctx.environments.join(', ')}. Use one of them or add "${environment}" to "environments".`
          : `Environment "${environment}" is not declared: add "environments": { "${environment}": {} } to the config.`,
        ctx.environments.length === 1 ? { kind: 'replace-value', value: ctx.environments[0] } : undefined,
      );
    }
  } else if (!envNode) {
    if (ctx.environments.length === 1) environment = ctx.environments[0];
    else if (ctx.environments.length > 1) {
      reportMissing(src, link, { path, keyNode: linkKey }, 'environment', LINK_SHAPE.properties.environment, sink, ` (${ctx.environments.length} environments are declared, so the link must say which)`);
    }
  }

  // ARNs against the declared account, region and partition.
  const region = stringAt(ctx.aws, ['region']);
  const account = stringAt(ctx.aws, ['accountId']);
  const partitionValue = stringAt(ctx.aws, ['partition'])?.value ?? 'aws';
  const partition = (AWS_PARTITIONS as readonly string[]).includes(partitionValue) ? partitionValue : undefined;
  const stateMachineArn = stringAt(link, ['stateMachine', 'arn']);
  const roleArn = stringAt(link, ['identity', 'awsRoleArn']);
  // A declared value that is itself invalid is reported once (invalid-value), never compared with.
  const validRegion = region && AWS_REGION.test(region.value) ? region : undefined;
  checkArn(src, stateMachineArn, 'stateMachine', { region: validRegion?.value, account: account?.value, partition }, sink);
  checkArn(src, roleArn, 'role', { region: undefined, account: account?.value, partition }, sink);

  // Gateway: region in the URL, issuer shape and tenant, throttle.
  const gateway = objectAt(link, ['gateway']);
  const gatewayUrl = stringAt(gateway, ['url']);
  if (gatewayUrl && validRegion) {
    const region = validRegion;
    const urlRegion = gatewayUrlRegion(gatewayUrl.value);
    if (urlRegion && urlRegion !== region.value) {
      sink.onNode('region-mismatch', src, gatewayUrl.node, `The gateway URL is in region "${urlRegion}", but aws.region is "${region.value}". Point the link at the route in ${region.value}, or fix aws.region.`, {
        kind: 'replace-value',
        value: gatewayUrl.value.replace(`.execute-api.${urlRegion}.`, `.execute-api.${region.value}.`),
      });
    }
  }
  const issuer = stringAt(gateway, ['issuer']);
  if (issuer) checkIssuer(src, issuer, ctx, sink);
  const gatewayAllowed = !trigger || !TRIGGERS[trigger].notAllowed.some((p) => p.length === 1 && p[0] === 'gateway');
  if (gateway && gatewayAllowed && !propertyNode(gateway, 'throttle')) {
    const gatewayKey = keyNode(propertyNode(link, 'gateway'))!;
    sink.onNode('missing-throttle', src, gatewayKey, `The gateway of link "${name}" has no throttle: a trigger storm in ADF would reach the state machine unthrottled. Add "throttle": { "rateLimit": …, "burstLimit": … } matching the route's API Gateway throttling.`, {
      kind: 'insert-property',
      path: [...path, 'gateway'],
      key: 'throttle',
      value: { rateLimit: 10, burstLimit: 20 },
    });
  }

  // S3 filter.
  if (trigger === 's3-to-sfn') {
    const s3Prop = propertyNode(link, 's3');
    const s3 = s3Prop?.children?.[1];
    if (s3?.type === 'object' && !propertyNode(s3, 'prefix') && !propertyNode(s3, 'suffix')) {
      sink.onNode('s3-no-filter', src, keyNode(s3Prop)!, `Every object created in bucket "${stringAt(s3, ['bucket'])?.value ?? '?'}" would start the state machine, including files it writes itself. Add a "prefix" or a "suffix" to narrow the trigger.`, {
        kind: 'insert-property',
        path: [...path, 's3'],
        key: 'prefix',
        value: 'incoming/',
      });
    }
  }

  const payloadsNode = nodeAt(link, ['payloads']);
  const payloads: Located<string>[] = [];
  if (payloadsNode?.type === 'array') {
    for (const child of payloadsNode.children ?? []) if (child.type === 'string') payloads.push({ value: child.value as string, node: child });
  }
  return {
    name,
    keyNode: linkKey,
    node: link,
    trigger,
    environment,
    pipeline: stringAt(link, ['adf', 'pipeline']),
    activity: stringAt(link, ['adf', 'activity']),
    definition: stringAt(link, ['stateMachine', 'definition']),
    stateMachineArn,
    gatewayUrl,
    audience: stringAt(gateway, ['audience']),
    correlationParameter: stringAt(link, ['correlation', 'adfParameter']),
    correlationInputPath: stringAt(link, ['correlation', 'sfnInputPath']),
    payloads,
    mocks: stringAt(link, ['mocks']),
    roleArn,
  };
}

function notAllowedWhy(trigger: TriggerName, what: string): string {
  if (trigger === 'sfn-to-adf' && what === 'adf.activity') return 'the state machine starts the whole pipeline, so no activity calls a gateway.';
  if (trigger === 's3-to-sfn' && what === 'adf') return 'an S3 upload starts the state machine, and no ADF pipeline takes part.';
  if (trigger === 's3-to-sfn' && what === 'gateway') return 'S3 starts the state machine through EventBridge, not through an API Gateway route.';
  return `the ${trigger} trigger does not use it.`;
}

function checkRequired(src: SourceText, link: Node, linkKey: Node, linkPath: (string | number)[], required: string[], trigger: TriggerName, sink: DiagnosticSink): void {
  let node = link;
  let holderKey = linkKey;
  let shape: ObjectShape = LINK_SHAPE;
  for (let i = 0; i < required.length; i++) {
    const key = required[i];
    const prop = propertyNode(node, key);
    if (!prop) {
      reportMissing(src, node, { path: [...linkPath, ...required.slice(0, i)], keyNode: holderKey }, key, shape.properties[key], sink, ` (a ${trigger} link needs ${required.join('.')})`);
      return;
    }
    const value = prop.children?.[1];
    if (i < required.length - 1) {
      if (value?.type !== 'object') return; // wrong type is reported by the structure check
      const child: Shape | undefined = shape.properties[key];
      if (child?.kind !== 'object') return;
      node = value;
      holderKey = keyNode(prop)!;
      shape = child;
    }
  }
}

function checkArn(
  src: SourceText,
  arn: Located<string> | undefined,
  kind: 'stateMachine' | 'role',
  declared: { region: string | undefined; account: string | undefined; partition: string | undefined },
  sink: DiagnosticSink,
): void {
  if (!arn) return;
  const problem = arnProblem(arn.value, kind);
  if (problem) {
    sink.onNode('invalid-arn', src, arn.node, problem);
    return;
  }
  const parts = parseArn(arn.value)!;
  const replace = (part: 'partition' | 'region' | 'account', value: string) => ({ kind: 'replace-value' as const, value: formatArn({ ...parts, [part]: value }) });
  if (declared.partition && parts.partition !== declared.partition) {
    sink.onNode('partition-mismatch', src, arn.node, `This ARN is in partition "${parts.partition}", but aws.partition is "${declared.partition}". Use arn:${declared.partition}:…, or fix aws.partition.`, replace('partition', declared.partition));
  }
  if (declared.region && kind === 'stateMachine' && parts.region !== declared.region) {
    sink.onNode('region-mismatch', src, arn.node, `This state machine is in region "${parts.region}", but aws.region is "${declared.region}". Use the state machine in ${declared.region}, or fix aws.region.`, replace('region', declared.region));
  }
  if (declared.account && /^\d{12}$/.test(declared.account) && parts.account !== declared.account) {
    sink.onNode('account-mismatch', src, arn.node, `This ARN is in account ${parts.account}, but aws.accountId is ${declared.account}. Use the ${kind === 'role' ? 'role' : 'state machine'} in account ${declared.account}, or fix aws.accountId.`, replace('account', declared.account));
  }
}

function checkIssuer(src: SourceText, issuer: Located<string>, ctx: Context, sink: DiagnosticSink): void {
  const parsed = parseIssuer(issuer.value);
  const tenantValue = stringAt(ctx.azure, ['tenantId'])?.value;
  const tenant = tenantValue && GUID.test(tenantValue) ? tenantValue : undefined;
  if (!parsed) {
    sink.onNode('issuer-format', src, issuer.node, issuerFormatMessage(issuer.value), tenant ? { kind: 'replace-value', value: expectedIssuer(ctx.cloud, tenant) } : undefined);
    return;
  }
  if (tenant && parsed.tenant.toLowerCase() !== tenant.toLowerCase()) {
    sink.onNode('issuer-tenant-mismatch', src, issuer.node, `The issuer names tenant ${parsed.tenant}, but azure.tenantId is ${tenant}: the gateway would reject every token the factory sends. Use ${expectedIssuer(ctx.cloud, tenant, parsed.version)}.`, {
      kind: 'replace-value',
      value: expectedIssuer(ctx.cloud, tenant, parsed.version),
    });
    return;
  }
  const hosts = issuerHostsFor(ctx.cloud, parsed.version);
  if (!hosts.includes(parsed.host)) {
    sink.onNode('issuer-tenant-mismatch', src, issuer.node, `The issuer host ${parsed.host} does not belong to azure.cloud "${ctx.cloud}", whose ${parsed.version} issuer host is ${hosts.join(' or ')}. Use ${expectedIssuer(ctx.cloud, parsed.tenant, parsed.version)}.`, {
      kind: 'replace-value',
      value: expectedIssuer(ctx.cloud, parsed.tenant, parsed.version),
    });
  }
}

/** Least privilege: one AWS role per pipeline identity. */
function checkSharedRoles(src: SourceText, links: LinkFacts[], sink: DiagnosticSink): void {
  const byRole = new Map<string, LinkFacts[]>();
  for (const link of links) {
    if (!link.roleArn || !link.pipeline) continue;
    const list = byRole.get(link.roleArn.value) ?? [];
    list.push(link);
    byRole.set(link.roleArn.value, list);
  }
  for (const [role, users] of byRole) {
    const pipelines = new Set(users.map((l) => l.pipeline!.value));
    if (pipelines.size < 2) continue;
    for (const link of users) {
      const others = users.filter((l) => l.pipeline!.value !== link.pipeline!.value).map((l) => `"${l.name}" (${l.pipeline!.value})`);
      sink.onNode('shared-role', src, link.roleArn!.node, `Role ${role.split('/').pop()} is shared with ${others.join(', ')}, which bridge other pipelines. Give each pipeline identity its own role, so each can do only what its own link needs.`);
    }
  }
}

export { dotted };
