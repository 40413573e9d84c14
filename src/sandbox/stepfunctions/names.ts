/** ARNs and names of the emulated Step Functions resources, with the rules AWS applies. */
import { executionArnOf } from '../../core/config/arn';
import { SfnApiError } from './errors';

export interface StateMachineArnParts {
  partition: string;
  region: string;
  account: string;
  name: string;
  /** The `#TestCase` suffix Step Functions Local accepts, when present. */
  testCase?: string;
}

const STATE_MACHINE_ARN = /^arn:(aws|aws-us-gov|aws-cn):states:([a-z0-9-]+):(\d{12}):stateMachine:([^:#]+)(?:#(.+))?$/;
const EXECUTION_ARN = /^arn:(aws|aws-us-gov|aws-cn):states:([a-z0-9-]+):(\d{12}):execution:([^:]+):([^:]+)$/;

export function parseStateMachineArn(arn: unknown, field = 'stateMachineArn'): StateMachineArnParts {
  if (typeof arn !== 'string' || arn === '') throw new SfnApiError('ValidationException', `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`);
  const m = STATE_MACHINE_ARN.exec(arn);
  if (!m) throw new SfnApiError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${arn}'`);
  const parts: StateMachineArnParts = { partition: m[1], region: m[2], account: m[3], name: m[4] };
  if (m[5] !== undefined) parts.testCase = m[5];
  return parts;
}

export function parseExecutionArn(arn: unknown, field = 'executionArn'): { stateMachineArn: string; name: string } {
  if (typeof arn !== 'string' || arn === '') throw new SfnApiError('ValidationException', `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`);
  const m = EXECUTION_ARN.exec(arn);
  if (!m) throw new SfnApiError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${arn}'`);
  return { stateMachineArn: `arn:${m[1]}:states:${m[2]}:${m[3]}:stateMachine:${m[4]}`, name: m[5] };
}

/** The execution ARN of a named execution (the one derivation, in src/core/config/arn.ts). */
export function executionArnFor(stateMachineArn: string, name: string): string {
  // The sandbox's state machine ARNs are checked when they are loaded, so this is never undefined.
  return executionArnOf(stateMachineArn, name)!;
}

/**
 * Why a name is not a valid execution name, or undefined when it is. AWS: 1-80 characters; no
 * whitespace, brackets `< > { } [ ]`, wildcards `? *`, special characters
 * `" # % \ ^ | ~ \` $ & , ; : /`, or control characters (U+0000-001F, U+007F-009F).
 */
export function executionNameProblem(name: string): string | undefined {
  const length = [...name].length;
  if (length < 1 || length > 80) return `the name must be 1 to 80 characters long (it has ${length})`;
  for (const ch of name) {
    const code = ch.codePointAt(0)!;
    if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) return `it contains the control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    if (/\s/u.test(ch)) return 'it contains whitespace';
    if ('<>{}[]'.includes(ch)) return `it contains the bracket "${ch}"`;
    if ('?*'.includes(ch)) return `it contains the wildcard "${ch}"`;
    if ('"#%\\^|~`$&,;:/'.includes(ch)) return `it contains the special character "${ch}"`;
  }
  return undefined;
}
