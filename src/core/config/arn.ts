import { AWS_PARTITIONS, AWS_REGION } from './shape';
import { memoize } from '../memo';

export interface Arn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

/**
 * Splits an ARN into its six parts, or undefined when it does not have them. ARNs repeat (every
 * link names its state machine and role, re-read on each keystroke): parsed once, frozen, shared.
 */
export const parseArn: (text: string) => Readonly<Arn> | undefined = memoize((text) => {
  const arn = splitArn(text);
  return arn && Object.freeze(arn);
});

function splitArn(text: string): Arn | undefined {
  const parts = text.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, partition, service, region, account, ...rest] = parts;
  return { partition, service, region, account, resource: rest.join(':') };
}

/** The ARN text of `arn`'s parts (the inverse of parseArn), e.g. after changing its partition. */
export function formatArn(arn: Arn): string {
  return `arn:${arn.partition}:${arn.service}:${arn.region}:${arn.account}:${arn.resource}`;
}

export type ArnKind = 'stateMachine' | 'role';

/** Why `text` is not a valid ARN of `kind`, or undefined when it is. */
export function arnProblem(text: string, kind: ArnKind): string | undefined {
  const arn = parseArn(text);
  const example =
    kind === 'stateMachine' ? 'arn:aws:states:eu-west-1:123456789012:stateMachine:MyStateMachine' : 'arn:aws:iam::123456789012:role/my-role';
  if (!arn) return `"${short(text)}" is not an ARN: an ARN has six parts separated by colons, such as ${example}.`;
  if (!/^aws(-[a-z]+)*$/.test(arn.partition)) return `The ARN's partition "${arn.partition}" is not a partition: use ${AWS_PARTITIONS.join(', ')}.`;
  if (!(AWS_PARTITIONS as readonly string[]).includes(arn.partition)) {
    return `The ARN's partition "${arn.partition}" is not one this product knows: use ${AWS_PARTITIONS.join(', ')}.`;
  }
  if (kind === 'stateMachine') {
    if (arn.service !== 'states') return `This is an ARN of "${arn.service}", not of a Step Functions state machine: expected ${example}.`;
    if (!AWS_REGION.test(arn.region)) return `The ARN's region "${arn.region}" is not an AWS region, such as eu-west-1.`;
    if (!/^\d{12}$/.test(arn.account)) return `The ARN's account "${arn.account}" is not a 12-digit AWS account id.`;
    const m = /^([A-Za-z]+):(.*)$/.exec(arn.resource);
    if (!m || m[1] !== 'stateMachine') {
      const type = m ? m[1] : arn.resource;
      return `This ARN names a "${type}", not a state machine: the resource part must be stateMachine:<name>, as in ${example}.`;
    }
    const [name, qualifier, ...extra] = m[2].split(':');
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) {
      return `The state machine name "${name}" is not valid: use 1-80 letters, digits, "-" and "_".`;
    }
    if (extra.length || (qualifier !== undefined && !/^[A-Za-z0-9_-]{1,80}$/.test(qualifier))) {
      return `"${m[2]}" is not a state machine name with an optional version or alias: write stateMachine:<name> or stateMachine:<name>:<version-or-alias>.`;
    }
    return undefined;
  }
  if (arn.service !== 'iam') return `This is an ARN of "${arn.service}", not of an IAM role: expected ${example}.`;
  if (arn.region !== '') return `An IAM ARN has no region (IAM is global): remove "${arn.region}" so it reads arn:${arn.partition}:iam::${arn.account}:${arn.resource}.`;
  if (!/^\d{12}$/.test(arn.account)) return `The ARN's account "${arn.account}" is not a 12-digit AWS account id.`;
  if (!/^role\/([\x21-\x7e]+\/)?[\w+=,.@-]{1,64}$/.test(arn.resource)) {
    return `This ARN names "${short(arn.resource)}", not an IAM role: the resource part must be role/<name> (or role/<path>/<name>), as in ${example}.`;
  }
  return undefined;
}

function short(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}

/** The region of an API Gateway execute-api URL, if it is one. */
export function gatewayUrlRegion(url: string): string | undefined {
  const m = /^https?:\/\/[a-z0-9]+\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?(?::\d+)?(\/|$)/i.exec(url);
  return m ? m[1].toLowerCase() : undefined;
}

/**
 * The parts of a state machine ARN: `arn:<partition>:states:<region>:<account>:stateMachine:<name>`
 * with an optional `:<version-or-alias>` qualifier, or undefined when it is not one.
 */
export function stateMachineArnParts(text: string): { partition: string; region: string; account: string; name: string; qualifier?: string } | undefined {
  const arn = parseArn(text);
  if (!arn || arn.service !== 'states') return undefined;
  const [type, name, qualifier, ...extra] = arn.resource.split(':');
  if (type !== 'stateMachine' || !name || extra.length) return undefined;
  return { partition: arn.partition, region: arn.region, account: arn.account, name, ...(qualifier ? { qualifier } : {}) };
}

/** The name of the state machine an ARN names (without version or alias), or undefined when it names none. */
export function stateMachineName(text: string): string | undefined {
  return stateMachineArnParts(text)?.name;
}

/** How a state machine ARN is shown in one line: `<name>` or `<name>:<version-or-alias>`; other text as it is. */
export function stateMachineLabel(text: string): string {
  const sm = stateMachineArnParts(text);
  return sm ? (sm.qualifier ? `${sm.name}:${sm.qualifier}` : sm.name) : text;
}

/**
 * The ARN of the execution named `executionName` of a state machine. Executions of a version or
 * an alias belong to the state machine itself (`…:execution:<machine>:<name>`), so the qualifier
 * is dropped, never pasted into the execution ARN. Undefined when `stateMachineArn` is not one.
 */
export function executionArnOf(stateMachineArn: string, executionName: string): string | undefined {
  const sm = stateMachineArnParts(stateMachineArn);
  return sm && `arn:${sm.partition}:states:${sm.region}:${sm.account}:execution:${sm.name}:${executionName}`;
}

/** The unqualified state machine ARN (a version or alias ARN without its qualifier). */
export function unqualifiedStateMachineArn(stateMachineArn: string): string | undefined {
  const sm = stateMachineArnParts(stateMachineArn);
  return sm && `arn:${sm.partition}:states:${sm.region}:${sm.account}:stateMachine:${sm.name}`;
}

/** State machine and execution names of an execution ARN (`…:execution:<machine>:<name>`). */
export function executionArnParts(text: string): { stateMachine: string; name: string } | undefined {
  const arn = parseArn(text);
  if (!arn || arn.service !== 'states') return undefined;
  const [type, stateMachine, name] = arn.resource.split(':');
  return type === 'execution' && stateMachine && name ? { stateMachine, name } : undefined;
}

/**
 * How an execution ARN is shown in one line: `<machine>:<execution>`. Text that is not a whole
 * execution ARN (a shortened or made-up id) shows its last two colon-separated fields.
 */
export function executionLabel(text: string): string {
  const ex = executionArnParts(text);
  return ex ? `${ex.stateMachine}:${ex.name}` : text.split(':').slice(-2).join(':');
}

/** Whether `name` can be an execution name (1-80 letters, digits, "-" and "_"). */
export function isExecutionName(name: string): boolean {
  return /^[A-Za-z0-9_-]{1,80}$/.test(name);
}
