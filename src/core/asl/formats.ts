/**
 * The string formats asl-validator's schemas use, for the precompiled validators
 * (src/core/asl/generated/validators.ts refers to `aslFormats[name]`). They are asl-validator's
 * own checks: asl-path-validator for paths, its ARN check, JSONata parsing, ajv-formats' date-time,
 * corrected where they reject what Step Functions runs (./path-grammar.ts for paths; JSONata below).
 *
 * A format check depends only on the string, and paths repeat ("$", "$.result") across states
 * and files, while asl-path-validator parses each with a PEG parser and queries the tree (in the
 * bundles with ./path-ast-query.ts, in place of jsonpath-plus), so results are cached per format.
 */
import { memoize } from '../memo';
import { pathForGrammar } from './path-grammar';

type FormatCheck = (value: string) => boolean;

type PathContext = 'PATH' | 'REFERENCE_PATH' | 'PAYLOAD_TEMPLATE' | 'RESULT_PATH';
interface AslPathValidator {
  AslPathValidatorConfig: { format_names: Record<string, string> };
  validatePath(path: string, context: string): { isValid: boolean };
}

const pathValidator = require('asl-path-validator') as AslPathValidator;
const { AslPathContext } = require('asl-path-validator/dist/types') as { AslPathContext: Record<PathContext, string> };
const { isArnFormatValid } = require('asl-validator/dist/src/checks/formats') as { isArnFormatValid: FormatCheck };
const { fullFormats } = require('ajv-formats/dist/formats') as { fullFormats: Record<string, unknown> };

let jsonataParse: ((expr: string) => unknown) | undefined;

/**
 * asl-validator's JSONata check: the text between `{%` and `%}` parses as JSONata. One leniency:
 * a sequence of expressions separated by `;` without the block's parentheses
 * (`{% $a := 1; $a %}`), which jsonata-js rejects at the top level, is accepted when it parses as
 * a block: such expressions are found in deployed public workflows, and this check must never
 * report what Step Functions runs.
 */
function isJsonata(value: string): boolean {
  let expr = value.trim();
  if (expr.startsWith('{%')) expr = expr.slice(2);
  if (expr.endsWith('%}')) expr = expr.slice(0, -2);
  return parsesAsJsonata(expr) || (expr.includes(';') && parsesAsJsonata(`(${expr}\n)`));
}

function parsesAsJsonata(expr: string): boolean {
  jsonataParse ??= require('jsonata') as (expr: string) => unknown;
  try {
    jsonataParse(expr);
    return true;
  } catch {
    return false;
  }
}

/**
 * `$` or `$.a.b` with plain field names: valid in every path context (Paths in the ASL
 * specification; asl-path-validator agrees), and most paths in real definitions. Answered here,
 * so a cold `bridge lint` does not start asl-path-validator's parser and its tree queries for them;
 * any other path goes to the validator.
 */
const PLAIN_PATH = /^\$(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;

const PLACEHOLDER = /\$\{[^}]*\}/g;

/**
 * A definition deployed through SAM's DefinitionSubstitutions, CloudFormation's Fn::Sub, CDK or a
 * Terraform template holds `${…}` placeholders that the deployment fills in; asl-validator already
 * accepts a Resource that is one whole placeholder, but not an ARN built of parts
 * (`arn:${Partition}:states:::batch:submitJob.sync`, `arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:f`).
 * Each placeholder is replaced by a value its ARN field accepts, and the ARN checked as usual.
 */
function arnWithPlaceholdersFilled(arn: string): string {
  const marker = '\u0000';
  const fields = arn.replace(PLACEHOLDER, marker).split(':');
  const filler = ['arn', 'aws', 'service', 'us-east-1', '123456789012'];
  return fields.map((f, i) => f.split(marker).join(i < filler.length ? (f === marker ? filler[i] : 'x') : 'x')).join(':');
}

/**
 * asl-validator's ARN check knows the partitions aws, aws-cn and aws-us-gov only, but Step
 * Functions also runs in the isolated and sovereign partitions (aws-iso, aws-iso-b, aws-iso-e,
 * aws-iso-f, aws-eusc), whose definitions name their own partition in every Resource. Any
 * `aws-…` partition is checked as `aws`: the rest of the ARN is held to the same format.
 */
function withKnownPartition(arn: string): string | undefined {
  const m = /^arn:(aws(?:-[a-z]+)+):/i.exec(arn);
  return m ? `arn:aws:${arn.slice(m[0].length)}` : undefined;
}

function isAslArn(arn: string): boolean {
  const filled = arn.includes('${') ? arnWithPlaceholdersFilled(arn) : arn;
  if (isArnFormatValid(arn) || isArnFormatValid(filled)) return true;
  const standard = withKnownPartition(filled);
  return standard !== undefined && isArnFormatValid(standard);
}

function pathFormat(context: PathContext): [string, FormatCheck] {
  const ctx = AslPathContext[context];
  const valid = (path: string) => pathValidator.validatePath(path, ctx).isValid;
  return [
    pathValidator.AslPathValidatorConfig.format_names[ctx],
    memoize((path) => {
      if (PLAIN_PATH.test(path)) return true;
      if (valid(path)) return true;
      const rewritten = pathForGrammar(path);
      return rewritten !== undefined && rewritten !== path && valid(rewritten);
    }),
  ];
}

/** Every format the ASL schemas name, by name: functions, except ajv-formats' date-time object. */
export const aslFormats: Record<string, unknown> = {
  'date-time': fullFormats['date-time'],
  asl_arn: memoize(isAslArn),
  jsonata_string: memoize(isJsonata),
  maybe_jsonata_string: memoize((value) => {
    const t = value.trim();
    return t.startsWith('{%') || t.endsWith('%}') ? isJsonata(t) : true;
  }),
  ...Object.fromEntries([pathFormat('REFERENCE_PATH'), pathFormat('PATH'), pathFormat('PAYLOAD_TEMPLATE'), pathFormat('RESULT_PATH')]),
};
