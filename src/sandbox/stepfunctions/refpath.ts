/**
 * ASL reference paths (`$.a.b[0]['c']`, `$$.Execution.Input`): the subset of JSONPath that
 * ItemsPath, SecondsPath and TimestampPath allow (no wildcards or filters). The sandbox reads them
 * itself where it must know a value before the interpreter does (a Map's item count for
 * MapStateStarted, a Wait's duration).
 */

export class ReferencePathError extends Error {}

/** The value at `path` in `input` (`$…`) or `context` (`$$…`); throws ReferencePathError when absent. */
export function readReferencePath(path: string, input: unknown, context: unknown): unknown {
  let rest: string;
  let value: unknown;
  if (path.startsWith('$$')) {
    rest = path.slice(2);
    value = context;
  } else if (path.startsWith('$')) {
    rest = path.slice(1);
    value = input;
  } else {
    throw new ReferencePathError(`"${path}" is not a reference path (it must start with $)`);
  }
  const token = /^(?:\.([A-Za-z_$][\w$-]*)|\[\s*(\d+)\s*\]|\[\s*'((?:[^'\\]|\\.)*)'\s*\]|\[\s*"((?:[^"\\]|\\.)*)"\s*\])/;
  while (rest.length > 0) {
    const m = token.exec(rest);
    if (!m) throw new ReferencePathError(`"${path}" is not a reference path the sandbox can read (near "${rest}")`);
    rest = rest.slice(m[0].length);
    if (m[2] !== undefined) {
      if (!Array.isArray(value) || Number(m[2]) >= value.length) throw new ReferencePathError(`"${path}" does not exist in the input`);
      value = value[Number(m[2])];
    } else {
      const key = m[1] ?? m[3] ?? m[4];
      if (typeof value !== 'object' || value === null || Array.isArray(value) || !(key in value)) throw new ReferencePathError(`"${path}" does not exist in the input`);
      value = (value as Record<string, unknown>)[key];
    }
  }
  return value;
}
