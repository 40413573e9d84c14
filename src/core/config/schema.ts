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
