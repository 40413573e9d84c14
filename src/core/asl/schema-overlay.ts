/**
 * Corrections to asl-validator 4.0.0's JSON Schemas, applied at build time before they are
 * compiled (src/core/asl/compile-schemas.ts). Each one names the schema node it replaces, what the
 * third-party schema gets wrong, and the vendor documentation that says so; each checks that the
 * node still has the shape it was written against, so a new asl-validator fails the build here
 * instead of silently keeping (or losing) a correction.
 *
 * The run-time side of these corrections (what the formats accept) is in ./formats.ts; the
 * patterns below are also read by ./validate.ts to word its messages.
 */

type Schema = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * A JSONata expression: the whole string is `{%` … `%}`. Step Functions requires no text
 * outside the delimiters ("The string must start with {% … and end with %}") but nothing about
 * the inside: `{%$x%}` and an expression over several lines are expressions. Whether the inside
 * parses is the `jsonata_string` format's job.
 */
export const JSONATA_EXPRESSION_PATTERN = '^\\{%[\\s\\S]*%\\}$';

/** A string with one JSONata delimiter but not the other: `{% 10 %` or `10 %}`. */
export const HALF_DELIMITED_PATTERN = '^(?:\\{%(?![\\s\\S]*%\\}$)|(?!\\{%)[\\s\\S]*%\\}$)';

/** Any string that is not a JSONata expression, including "" and text with line breaks: a literal. */
export const NOT_JSONATA_PATTERN = '^(?!\\{%[\\s\\S]*%\\}$)';

export interface SchemaOverlay {
  /** asl-validator schema file name, without `.json`. */
  file: string;
  /** JSON pointer of the replaced node inside that file. */
  pointer: string;
  /** What the third-party schema gets wrong, and where the vendor says so. */
  reason: string;
  /** The node as asl-validator 4.0.0 ships it must satisfy this, or the build fails. */
  expect(node: Schema): boolean;
  /** The replacement node. */
  replace(node: Schema): Schema;
}

const RESULT_WRITER_REASON =
  'asl-validator requires "Resource" in ResultWriter, but the Distributed Map docs (input-output-resultwriter) allow three ' +
  'combinations: "WriterConfig" alone (format the output without exporting it), "Resource" and "Parameters", or all three. ' +
  'WriterConfig takes Transformation (NONE | COMPACT | FLATTEN) and OutputType (JSON | JSONL).';

const WRITER_CONFIG: Schema = {
  type: 'object',
  properties: {
    Transformation: { enum: ['NONE', 'COMPACT', 'FLATTEN'] },
    OutputType: { enum: ['JSON', 'JSONL'] },
  },
};

function resultWriter(variant: 0 | 1): SchemaOverlay {
  return {
    file: 'map',
    pointer: `/oneOf/${variant}/properties/ResultWriter`,
    reason: RESULT_WRITER_REASON,
    expect: (node) => node.type === 'object' && Array.isArray(node.required) && node.required.join() === 'Resource' && !!node.properties?.Resource,
    replace: (node) => {
      const { required: _required, ...rest } = node;
      return {
        ...rest,
        properties: { ...node.properties, WriterConfig: WRITER_CONFIG },
        anyOf: [{ required: ['WriterConfig'] }, { required: ['Resource'] }],
      };
    },
  };
}

export const ASL_SCHEMA_OVERLAYS: readonly SchemaOverlay[] = [
  {
    file: 'jsonata',
    pointer: '/definitions/jsonata',
    reason:
      'asl-validator\'s pattern "^\\{% .+ %\\}$" demands a space after "{%" and before "%}" and an expression on one line. ' +
      'Step Functions (transforming-data: JSONata syntax "{% <JSONata expression> %}") only requires the string to start with "{%" ' +
      'and end with "%}"; "{%$x%}" and expressions spanning lines are evaluated.',
    expect: (node) => node.type === 'string' && node.pattern === '^\\{% .+ %\\}$' && node.format === 'jsonata_string',
    replace: (node) => ({ ...node, pattern: JSONATA_EXPRESSION_PATTERN }),
  },
  {
    file: 'jsonata',
    pointer: '/definitions/not_jsonata',
    reason:
      'asl-validator\'s pattern "^(?!\\{% )(.+)(?! %\\})$" rejects the empty string and any text with a line break, so "" and ' +
      'multi-line plain strings in Arguments, Output, Assign or a Fail state\'s Error/Cause are reported. Step Functions treats ' +
      'every string that is not "{% … %}" as a literal value (transforming-data), whatever it holds.',
    expect: (node) => node.type === 'string' && node.pattern === '^(?!\\{% )(.+)(?! %\\})$',
    replace: (node) => ({ ...node, pattern: NOT_JSONATA_PATTERN }),
  },
  {
    file: 'jsonata',
    pointer: '/definitions/output',
    reason:
      'asl-validator allows only a JSONata expression or an object in Output, so an array, a number, true/false, null or a ' +
      'plain string is reported. Step Functions (transforming-data; the JSONata Output field as the CDK and CloudFormation ' +
      'references word it): "The output field accepts any JSON value (object, array, string, number, boolean, null). Any ' +
      'string value, including those inside objects or arrays, will be evaluated as JSONata if surrounded by {% %}".',
    expect: (node) =>
      Array.isArray(node.oneOf) && node.oneOf.length === 2 && node.oneOf[0].$ref === '#/definitions/jsonata' && node.oneOf[1].$ref === '#/definitions/_jsonata_template_object',
    // A whole Output string with only one delimiter ("{% 10 %", "10 %}") is a broken expression,
    // not a literal: it stays reported, as asl-validator's own tests expect.
    replace: () => ({ allOf: [{ $ref: '#/definitions/jsonata_template' }, { not: { type: 'string', pattern: HALF_DELIMITED_PATTERN } }] }),
  },
  {
    file: 'jsonata',
    pointer: '/definitions/jsonata_template/oneOf/1',
    reason:
      'asl-validator lets an array in a JSONata template (Arguments, Output, Assign values) hold objects only, so [1, 2], ' +
      '["a", "{% $x %}"] and arrays of arrays are reported. A template is any JSON value whose strings may be JSONata ' +
      '(transforming-data: "Any string value, including those inside objects or arrays, will be evaluated as JSONata").',
    expect: (node) => node.type === 'array' && node.items?.$ref === '#/definitions/_jsonata_template_object',
    replace: (node) => ({ ...node, items: { $ref: '#/definitions/jsonata_template' } }),
  },
  resultWriter(0),
  resultWriter(1),
];

function resolvePointer(root: Schema, pointer: string): { parent: Schema; key: string } | undefined {
  const segs = pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let parent: Schema | undefined = root;
  for (const seg of segs.slice(0, -1)) {
    parent = parent?.[seg];
    if (!parent || typeof parent !== 'object') return undefined;
  }
  const key = segs[segs.length - 1];
  return parent && key in parent ? { parent, key } : undefined;
}

/** Applies every overlay to (copies of) the schema files; throws when one no longer fits. */
export function applySchemaOverlays(files: Record<string, Schema>, overlays: readonly SchemaOverlay[] = ASL_SCHEMA_OVERLAYS): Record<string, Schema> {
  const out: Record<string, Schema> = { ...files };
  for (const overlay of overlays) {
    const copy = (out[overlay.file] = out[overlay.file] === files[overlay.file] ? structuredClone(files[overlay.file]) : out[overlay.file]);
    const at = copy ? resolvePointer(copy, overlay.pointer) : undefined;
    if (!at || !overlay.expect(at.parent[at.key])) {
      throw new Error(`asl-validator schema ${overlay.file}.json#${overlay.pointer} changed shape; review the overlay in src/core/asl/schema-overlay.ts (${overlay.reason.slice(0, 80)}…)`);
    }
    at.parent[at.key] = overlay.replace(at.parent[at.key]);
  }
  return out;
}
