import { CONFIG_SHAPE, LINK_SHAPE, TRIGGERS, type Shape, type TriggerName } from './shape';

type JsonSchema = Record<string, unknown>;

/**
 * The JSON Schema of a bridge config, built from the same shape table as the rules. VS Code uses
 * it for completion and hover (`contributes.jsonValidation`); other editors and CI can validate
 * with it. `allowComments`/`allowTrailingCommas` are VS Code's own keywords for JSONC.
 */
export function bridgeConfigSchema(): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://adf-sfn-bridge.dev/schemas/bridge-config.schema.json',
    title: 'ADF–Step Functions Bridge config',
    allowComments: true,
    allowTrailingCommas: true,
    ...toSchema(CONFIG_SHAPE, true),
    properties: {
      ...(toSchema(CONFIG_SHAPE, true).properties as JsonSchema),
      version: { type: 'number', const: 1, description: CONFIG_SHAPE.properties.version.description, markdownDescription: CONFIG_SHAPE.properties.version.description },
    },
  };
}

function toSchema(shape: Shape, root = false): JsonSchema {
  const doc = { description: shape.description, markdownDescription: shape.description };
  switch (shape.kind) {
    case 'object': {
      const out: JsonSchema = {
        type: 'object',
        ...doc,
        properties: Object.fromEntries(Object.entries(shape.properties).map(([k, v]) => [k, toSchema(v)])),
        additionalProperties: false,
      };
      if (shape.required?.length) out.required = shape.required;
      if (shape === LINK_SHAPE) out.allOf = triggerRules();
      if (root) out.required = shape.required;
      return out;
    }
    case 'map':
      return {
        type: 'object',
        ...doc,
        propertyNames: { pattern: shape.keyPattern.source },
        additionalProperties: toSchema(shape.values),
      };
    case 'array':
      return { type: 'array', ...doc, items: toSchema(shape.items), ...(shape.minItems !== undefined ? { minItems: shape.minItems } : {}) };
    case 'string': {
      const out: JsonSchema = { type: 'string', ...doc };
      if (shape.enum) out.enum = [...shape.enum];
      if (shape.pattern) out.pattern = shape.pattern.source;
      if (shape.minLength !== undefined) out.minLength = shape.minLength;
      if (shape.default !== undefined) out.default = shape.default;
      return out;
    }
    case 'number': {
      const out: JsonSchema = { type: shape.integer ? 'integer' : 'number', ...doc };
      if (shape.minimum !== undefined) out.minimum = shape.minimum;
      if (shape.maximum !== undefined) out.maximum = shape.maximum;
      return out;
    }
    case 'boolean':
      return { type: 'boolean', ...doc, ...(shape.default !== undefined ? { default: shape.default } : {}) };
  }
}

/** Per-trigger requirements and bans as if/then clauses. */
function triggerRules(): JsonSchema[] {
  return (Object.keys(TRIGGERS) as TriggerName[]).map((trigger) => {
    const rule = TRIGGERS[trigger];
    const then: JsonSchema = {};
    const requireAt = (target: JsonSchema, path: string[]) => {
      let node = target;
      for (let i = 0; i < path.length; i++) {
        const key = path[i];
        node.required = [...new Set([...((node.required as string[]) ?? []), key])];
        if (i < path.length - 1) {
          const props = (node.properties ??= {}) as JsonSchema;
          node = (props[key] ??= {}) as JsonSchema;
        }
      }
    };
    for (const path of rule.requires) requireAt(then, path);
    for (const path of rule.notAllowed) {
      let node = then;
      for (let i = 0; i < path.length - 1; i++) {
        const props = (node.properties ??= {}) as JsonSchema;
        node = (props[path[i]] ??= {}) as JsonSchema;
      }
      const props = (node.properties ??= {}) as JsonSchema;
      props[path[path.length - 1]] = false;
    }
    return { if: { properties: { trigger: { const: trigger } }, required: ['trigger'] }, then };
  });
}

/** What VS Code's key completion inserts for a key whose schema has no example or default. */
const EMPTY_VALUE_SNIPPET: Record<string, { label: string; body: string }> = {
  object: { label: '{}', body: '^{$1}' },
  array: { label: '[]', body: '^[$1]' },
  string: { label: '""', body: '^"$1"' },
  number: { label: '0', body: '^${1:0}' },
  integer: { label: '0', body: '^${1:0}' },
};

/**
 * The schema the editor contributes (`contributes.jsonValidation`): every key, description,
 * default and allowed value of the strict schema for completion and hover, but no validation
 * keyword. VS Code's JSON server validates against a contributed schema on its own, so with the
 * strict one each unknown key, missing key or bad value would show twice in Problems, once from
 * the bridge rules (with a code, a docs link and a quick fix) and once from the JSON server.
 * Allowed values become `examples`, so value completion still offers them.
 */
export function editorSchema(strict: JsonSchema = bridgeConfigSchema()): JsonSchema {
  return {
    $schema: strict.$schema,
    $id: String(strict.$id).replace('.schema.json', '.editor.schema.json'),
    allowComments: true,
    allowTrailingCommas: true,
    ...documentationOnly(strict),
  };
}

function documentationOnly(s: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const k of ['title', 'description', 'markdownDescription', 'default', 'examples']) if (k in s) out[k] = s[k];
  if (s.properties) out.properties = Object.fromEntries(Object.entries(s.properties as Record<string, JsonSchema>).map(([k, v]) => [k, documentationOnly(v)]));
  if (s.additionalProperties && typeof s.additionalProperties === 'object') out.additionalProperties = documentationOnly(s.additionalProperties as JsonSchema);
  if (s.items && typeof s.items === 'object') out.items = documentationOnly(s.items as JsonSchema);
  const values = (s.enum as unknown[] | undefined) ?? ('const' in s ? [s.const] : s.type === 'boolean' ? [false, true] : undefined);
  if (values) out.examples = [...new Set([...((out.examples as unknown[] | undefined) ?? []), ...values])];
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (!out.examples && !('default' in out) && typeof type === 'string' && EMPTY_VALUE_SNIPPET[type]) out.defaultSnippets = [EMPTY_VALUE_SNIPPET[type]];
  return out;
}
