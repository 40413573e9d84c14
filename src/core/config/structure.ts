import type { Node } from 'jsonc-parser';
import { entries, jsonTypeOf, keyNode } from '../json/jsonc';
import type { DiagnosticSink } from '../rules/report';
import type { SourceText } from '../text';
import type { Shape, ObjectShape } from './shape';
import { closest } from './suggest';

/**
 * Checks a JSON tree against a shape: unknown keys, wrong types, values outside their enum,
 * pattern or range, and always-required keys. Trigger-specific requirements are in `links.ts`.
 */
export function checkStructure(src: SourceText, node: Node, shape: Shape, sink: DiagnosticSink, at: StructurePath): void {
  const actual = jsonTypeOf(node);
  const expected = expectedJsonType(shape);
  if (actual !== expected && !(expected === 'number' && actual === 'number')) {
    sink.onNode('invalid-type', src, node, `${describe(at)} must be ${article(expected)}, not ${article(actual)}.${typeHint(shape, node)}`);
    return;
  }
  switch (shape.kind) {
    case 'object':
      checkObject(src, node, shape, sink, at);
      return;
    case 'map':
      for (const [key, value, prop] of entries(node)) {
        const k = keyNode(prop)!;
        if (!shape.keyPattern.test(key)) {
          sink.onNode('invalid-value', src, k, `The name "${key}" is not valid: use ${shape.keyRule}.`);
        }
        checkStructure(src, value, shape.values, sink, { ...at, path: [...at.path, key], keyNode: k });
      }
      return;
    case 'array':
      node.children?.forEach((child, i) => checkStructure(src, child, shape.items, sink, { ...at, path: [...at.path, i], keyNode: undefined }));
      if (shape.minItems !== undefined && (node.children?.length ?? 0) < shape.minItems) {
        sink.onNode('invalid-value', src, node, `${describe(at)} needs at least ${shape.minItems} entr${shape.minItems === 1 ? 'y' : 'ies'}.`);
      }
      return;
    case 'string': {
      const value = node.value as string;
      if (shape.enum && !shape.enum.includes(value)) {
        const suggestion = closest(value, shape.enum);
        sink.onNode(
          'invalid-value',
          src,
          node,
          `${describe(at)} is "${value}", which is not one of ${shape.enum.map((e) => `"${e}"`).join(', ')}.${suggestion ? ` Did you mean "${suggestion}"?` : ''}`,
          suggestion ? { kind: 'replace-value', value: suggestion } : undefined,
        );
      } else if (shape.minLength !== undefined && value.length < shape.minLength) {
        sink.onNode('invalid-value', src, node, `${describe(at)} is empty: give a value or remove the key.`);
      } else if (shape.pattern && !shape.pattern.test(value)) {
        sink.onNode('invalid-value', src, node, `${describe(at)} "${truncate(value)}" is not valid: it must be ${shape.patternRule ?? `match ${shape.pattern}`}.`);
      }
      return;
    }
    case 'number': {
      const value = node.value as number;
      if (shape.integer && !Number.isInteger(value)) {
        sink.onNode('invalid-value', src, node, `${describe(at)} must be a whole number, not ${value}.`);
      } else if (shape.minimum !== undefined && value < shape.minimum) {
        sink.onNode('invalid-value', src, node, `${describe(at)} is ${value}; it must be at least ${shape.minimum}.`);
      } else if (shape.maximum !== undefined && value > shape.maximum) {
        sink.onNode('invalid-value', src, node, `${describe(at)} is ${value}; it must be at most ${shape.maximum}.`);
      }
      return;
    }
    case 'boolean':
      return;
  }
}

export interface StructurePath {
  /** Path of keys and indexes from the root. */
  path: (string | number)[];
  /** The key node of the property holding the current value: where missing keys are reported. */
  keyNode: Node | undefined;
}

function checkObject(src: SourceText, node: Node, shape: ObjectShape, sink: DiagnosticSink, at: StructurePath): void {
  const present = new Set<string>();
  for (const [key, value, prop] of entries(node)) {
    present.add(key);
    const k = keyNode(prop)!;
    const child = Object.hasOwn(shape.properties, key) ? shape.properties[key] : undefined;
    if (!child) {
      const known = Object.keys(shape.properties);
      const suggestion = closest(key, known.filter((name) => !entries(node).some(([other]) => other === name)));
      const where = at.path.length ? `in ${dotted(at.path)}` : 'at the top level';
      sink.onNode(
        'unknown-property',
        src,
        k,
        suggestion
          ? `Unknown property "${key}" ${where}. Did you mean "${suggestion}"?`
          : `Unknown property "${key}" ${where}. Known properties: ${known.join(', ')}. Remove it or fix its name.`,
        suggestion ? { kind: 'rename-key', to: suggestion } : undefined,
      );
      continue;
    }
    checkStructure(src, value, child, sink, { path: [...at.path, key], keyNode: k });
  }
  for (const key of shape.required ?? []) {
    if (!present.has(key)) reportMissing(src, node, at, key, shape.properties[key], sink);
  }
}

/** Reports a missing key on the key of the object that should hold it (or the object's brace at the root). */
export function reportMissing(src: SourceText, objectNode: Node, at: StructurePath, key: string, shape: Shape | undefined, sink: DiagnosticSink, why = ''): void {
  const where = at.path.length ? `${dotted(at.path)}` : 'The config';
  const message = `${where} is missing "${key}"${why}. Add it: ${shape ? lowerFirst(shape.description) : key}`;
  const fix = { kind: 'insert-property', path: at.path, key, value: skeleton(shape) } as const;
  // The key that holds the object, or the object's opening brace at the root.
  if (at.keyNode) sink.onNode('missing-property', src, at.keyNode, message, fix);
  else sink.at('missing-property', src, objectNode.offset, 1, message, fix);
}

/** A value to insert for a missing key: the shape's default or an empty value of its type. */
export function skeleton(shape: Shape | undefined): unknown {
  if (!shape) return '';
  switch (shape.kind) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of shape.required ?? []) out[key] = skeleton(shape.properties[key]);
      return out;
    }
    case 'map':
      return {};
    case 'array':
      return [];
    case 'string':
      return shape.default ?? shape.enum?.[0] ?? '';
    case 'number':
      return shape.minimum ?? 0;
    case 'boolean':
      return shape.default ?? false;
  }
}

function expectedJsonType(shape: Shape): 'object' | 'array' | 'string' | 'number' | 'boolean' {
  return shape.kind === 'map' ? 'object' : shape.kind;
}

function typeHint(shape: Shape, node: Node): string {
  if (shape.kind === 'string' && node.type === 'number') return ` Put it in double quotes: "${String(node.value)}".`;
  if (shape.kind === 'number' && node.type === 'string' && /^-?\d+(\.\d+)?$/.test(String(node.value))) return ' Remove the quotes.';
  if (shape.kind === 'boolean' && node.type === 'string' && /^(true|false)$/.test(String(node.value))) return ' Remove the quotes.';
  return '';
}

function article(t: string): string {
  return t === 'null' ? 'null' : `${/^[aeio]/.test(t) ? 'an' : 'a'} ${t}`;
}

function truncate(value: string): string {
  return value.length > 60 ? `${value.slice(0, 57)}…` : value;
}

export function dotted(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : /^[A-Za-z_$][\w$]*$/.test(p) ? `.${p}` : `["${p}"]`)).join('');
}

function describe(at: StructurePath): string {
  return at.path.length ? `"${dotted(at.path)}"` : 'The config';
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
