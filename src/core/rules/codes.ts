import type { Severity } from '../diagnostics';

/**
 * Every rule of the contract (`shared/spec/bridge-config.md`), with its severity and a one-line
 * summary. The codes are fixed by the spec: tests outside the project check them.
 */
export const RULES = {
  'json-syntax': { severity: 'error', summary: 'The file is not valid JSONC.' },
  'duplicate-key': { severity: 'error', summary: 'A key appears twice in one object.' },
  'unknown-property': { severity: 'warning', summary: 'A key the format does not have.' },
  'missing-property': { severity: 'error', summary: 'A required key is absent.' },
  'invalid-type': { severity: 'error', summary: 'A value of the wrong JSON type.' },
  'invalid-value': { severity: 'error', summary: 'A value outside its enum, pattern or range.' },
  'not-allowed': { severity: 'error', summary: "A block that the link's trigger does not allow." },
  'unsupported-version': { severity: 'error', summary: '`version` is not 1.' },
  'invalid-arn': { severity: 'error', summary: 'A malformed ARN, or an ARN of the wrong service or resource type.' },
  'region-mismatch': { severity: 'error', summary: 'An ARN or gateway URL names a region other than `aws.region`.' },
  'account-mismatch': { severity: 'error', summary: 'An ARN names an account other than `aws.accountId`.' },
  'partition-mismatch': { severity: 'error', summary: "An ARN's partition differs from `aws.partition`." },
  'unknown-environment': { severity: 'error', summary: 'A link names an environment that is not declared.' },
  'unprotected-prod': { severity: 'warning', summary: 'A production environment without `"protected": true`.' },
  'inline-secret': { severity: 'error', summary: 'A value that looks like a credential.' },
  'static-credentials': { severity: 'warning', summary: 'A profile or setting that points at long-lived keys.' },
  'shared-role': { severity: 'warning', summary: 'Links for different ADF pipelines share one AWS role.' },
  'issuer-format': { severity: 'error', summary: '`gateway.issuer` is not an Entra ID issuer URL.' },
  'issuer-tenant-mismatch': { severity: 'error', summary: "The issuer's tenant or host does not match `azure`." },
  'missing-throttle': { severity: 'warning', summary: 'A gateway without `throttle`.' },
  's3-no-filter': { severity: 'warning', summary: 'An `s3-to-sfn` link with neither `prefix` nor `suffix`.' },
  'file-not-found': { severity: 'error', summary: 'A referenced path does not exist.' },
  'pipeline-not-found': { severity: 'error', summary: '`adf.pipeline` is not in the ADF repo.' },
  'activity-not-found': { severity: 'error', summary: '`adf.activity` is not an activity of the pipeline.' },
  'activity-type': { severity: 'error', summary: 'The activity is not a `WebActivity` or `WebHook`.' },
  'url-mismatch': { severity: 'error', summary: "The activity's `url` differs from `gateway.url`." },
  'audience-mismatch': { severity: 'error', summary: "The activity's `authentication.resource` differs from `gateway.audience`." },
  'correlation-parameter-missing': { severity: 'error', summary: 'The correlation parameter is not declared in the pipeline.' },
  'correlation-not-forwarded': { severity: 'warning', summary: 'The calling activity never forwards the correlation id.' },
  'expression-error': { severity: 'error', summary: 'An ADF expression does not parse or names something that does not exist.' },
  'asl-invalid': { severity: 'error', summary: 'The linked ASL definition is not a valid state machine.' },
  'payload-invalid-json': { severity: 'error', summary: 'A payload file is not valid JSON.' },
  'payload-too-large': { severity: 'error', summary: 'A payload over 256 KiB.' },
  'payload-unknown-parameter': { severity: 'warning', summary: 'A payload key the pipeline does not declare.' },
  'payload-missing-parameter': { severity: 'error', summary: 'A required pipeline parameter the payload does not supply.' },
  'mock-invalid': { severity: 'error', summary: 'A mocks file that is not a valid MockConfigFile.' },
} as const satisfies Record<string, { severity: Severity; summary: string }>;

export type RuleCode = keyof typeof RULES;

export const RULE_CODES = Object.keys(RULES) as RuleCode[];

/** Where a rule is documented: its section of docs/rules.md (a test checks every code has one). */
export function ruleDocUrl(code: RuleCode): string {
  return `https://github.com/adf-sfn-bridge/adf-sfn-bridge/blob/main/docs/rules.md#${code}`;
}
