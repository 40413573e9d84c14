/**
 * PERFORMANCE: what asl-path-validator asks of jsonpath-plus, answered without it. The validator
 * parses a path into a plain JSON tree, then asks jsonpath-plus whether any node of that tree
 * holds one of a few keys: `$..[func]`, `$..[var]` and
 * `$..[atmark,wildcard,negOffset,slice,recursiveDescent,multipleIndex,filter]`
 * (asl-path-validator/dist/ast.js). Loading jsonpath-plus, a whole JSONPath engine, and running
 * its evaluator for each check was the slowest part of checking the first paths of a cold
 * `bridge lint`. The build (scripts/build.mjs) gives this module to asl-path-validator in place of
 * jsonpath-plus; anything but that one query form throws, so a new asl-path-validator that asks
 * something else fails the ASL tests instead of being answered wrongly
 * (test/unit/asl/path-ast-query.test.ts holds it to jsonpath-plus's answers).
 */

const DESCENDANT_KEYS = /^\$\.\.\[([A-Za-z_]+(?:,[A-Za-z_]+)*)\]$/;

/** jsonpath-plus's `JSONPath({ path, json })` for `$..[k1,k2,…]`: the values of those keys anywhere in `json`. */
export function JSONPath(options: { path: string; json: unknown }): unknown[] {
  const m = DESCENDANT_KEYS.exec(options.path);
  if (!m) throw new Error(`path-ast-query answers only "$..[key,…]" queries, not ${JSON.stringify(options.path)}`);
  const keys = m[1].split(',');
  const found: unknown[] = [];
  const stack: unknown[] = [options.json];
  while (stack.length) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    const record = node as Record<string, unknown>;
    if (!Array.isArray(node)) for (const key of keys) if (Object.prototype.hasOwnProperty.call(record, key) && record[key] !== undefined) found.push(record[key]);
    const values = Array.isArray(node) ? node : Object.values(record);
    for (let i = values.length - 1; i >= 0; i--) stack.push(values[i]);
  }
  return found;
}
